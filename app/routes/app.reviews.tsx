// Reviews: every review written on the hosted review page, newest first, with filters (product,
// rating, status, text), moderation (publish / hide with a reason / delete), public replies, the
// "publish automatically" setting, the rating distribution and the metafield sync per product.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, InlineGrid, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { db } from "~/db.server";
import { adminContext } from "~/route-context.server";
import { moderate, parseFilters, reviewsPage } from "~/engine/reviews/moderation";
import { ReviewCard, Stars } from "~/components/ReviewCard";
import { ReviewRatingChart } from "~/components/ReviewRatingChart";
import { textValues, useFields, withAny } from "~/components/fields";
import { Columns, Section, TableCard } from "~/components/Section";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  return reviewsPage(db, shop, parseFilters(new URL(request.url).searchParams));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, clock } = await adminContext(request);
  return moderate(db, clock, shop, Object.fromEntries(await request.formData()));
};

const RATING_OPTIONS = withAny(
  "Any rating",
  [5, 4, 3, 2, 1].map((n) => ({ label: `${n} star${n === 1 ? "" : "s"}`, value: String(n) })),
);
const STATUS_OPTIONS = withAny("Any status", [
  { label: "Published", value: "published" },
  { label: "Awaiting moderation", value: "pending" },
  { label: "Hidden", value: "hidden" },
]);

function SyncBadge({ status }: { status: string }) {
  if (status === "synced") return <Badge tone="success">Synced</Badge>;
  if (status === "failed") return <Badge tone="critical">Sync failed</Badge>;
  return <Badge tone="attention">Sync pending</Badge>;
}

export default function Reviews() {
  const { reviews, total, products, distribution, ratings, filters, autoPublish } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const settings = useFetcher<typeof action>({ key: "review-settings" });
  const productOptions = products.map((p) => ({ label: p.title, value: p.id }));
  const { setValues, field } = useFields(textValues(filters), {});
  // Another search (a link, back, forward) shows its own filters.
  const { product, rating, status, q } = filters;
  useEffect(() => setValues(textValues({ product, rating, status, q })), [product, rating, status, q, setValues]);
  const auto = settings.formData ? settings.formData.get("autoPublish") === "true" : autoPublish;
  const filtered = !!(filters.product || filters.rating || filters.status || filters.q);

  return (
    <Page title="Reviews" subtitle="What customers say about the products they kept — every review, whatever the rating." backAction={{ url: "/app" }}>
      <Columns
        main={
          <>
            <Card>
              <Form method="get">
                <BlockStack gap="300">
                  <InlineGrid columns={{ xs: 1, md: 4 }} gap="300">
                    <Select label="Product" options={withAny("All products", productOptions)} {...field("product")} />
                    <Select label="Rating" options={RATING_OPTIONS} {...field("rating")} />
                    <Select label="Status" options={STATUS_OPTIONS} {...field("status")} />
                    <TextField label="Search" placeholder="Words in the review…" {...field("q")} />
                  </InlineGrid>
                  <InlineStack gap="200" blockAlign="center">
                    <Button submit loading={navigation.state === "loading"}>
                      Filter
                    </Button>
                    {filtered ? (
                      <Button url="/app/reviews" variant="plain">
                        Clear filters
                      </Button>
                    ) : null}
                    <Text as="span" tone="subdued">
                      {total === 1 ? "1 review" : `${total} reviews`}
                    </Text>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
            {reviews.length ? (
              reviews.map((r) => <ReviewCard key={r.id} review={r} />)
            ) : (
              <Card>
                <Text as="p" tone="subdued">
                  {filtered ? "No review matches these filters." : "No review yet. Review requests go out 7 days after delivery."}
                </Text>
              </Card>
            )}
          </>
        }
        side={
          <>
            <Section title="Moderation" gap="200">
              <Checkbox
                label="Publish new reviews automatically"
                helpText="For every rating alike. Off: new reviews wait for you to publish them."
                checked={auto}
                onChange={(checked) => settings.submit({ intent: "settings", autoPublish: String(checked) }, { method: "post" })}
              />
              {settings.data && !settings.data.ok ? <Banner tone="critical">{settings.data.error}</Banner> : null}
            </Section>
            <Section title="Rating distribution" gap="200">
              <Text as="p" tone="subdued" variant="bodySm">
                Published reviews{filters.product ? " of the selected product" : ""}
              </Text>
              <ReviewRatingChart distribution={distribution} />
            </Section>
            <TableCard
              title="Ratings on Shopify"
              empty="No rating yet."
              intro="Written to each product's reviews.rating and reviews.rating_count metafields, for themes and Google."
              columnContentTypes={["text", "text", "text"]}
              headings={["Product", "Rating", "Metafields"]}
              verticalAlign="top"
              rows={ratings.map((r) => [
                <Text as="span" key="p" breakWord>
                  {r.productTitle}
                </Text>,
                <BlockStack key="r" gap="050">
                  {r.count ? <Stars rating={Math.round(r.average)} /> : null}
                  <Text as="span" variant="bodySm">
                    {r.count ? `${r.average.toFixed(1)} (${r.count})` : "no published review"}
                  </Text>
                </BlockStack>,
                <BlockStack key="s" gap="050">
                  <SyncBadge status={r.syncStatus} />
                  {r.syncStatus === "failed" && r.syncError ? (
                    <Text as="span" tone="critical" variant="bodySm" breakWord>
                      {r.syncError}
                    </Text>
                  ) : null}
                </BlockStack>,
              ])}
            />
          </>
        }
      />
    </Page>
  );
}
