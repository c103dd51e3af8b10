// Activity: every message of the shop, newest first, filterable by status, flow and order.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { db } from "~/db.server";
import { adminContext } from "~/route-context.server";
import { MessageStatusBadge } from "~/components/MessageStatusBadge";
import { textValues, useFields, withAny } from "~/components/fields";
import { TableCard } from "~/components/Section";
import { listActivity, parseActivityQuery } from "~/engine/admin/activity";
import { MESSAGE_STATUSES } from "~/engine/messages/ledger";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const query = parseActivityQuery(new URL(request.url).searchParams);
  return { ...(await listActivity(db, shop, query)), query };
};

const STATUS_OPTIONS = withAny(
  "All statuses",
  MESSAGE_STATUSES.map((s) => ({ label: s.replace(/_/g, " "), value: s })),
);

export default function Activity() {
  const { rows, hasNext, page, flows, orderMatch, query } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const flowOptions = flows.map((f) => ({ label: f.name, value: f.id }));
  const { field } = useFields(textValues({ status: query.status, flow: query.flow, order: query.order }), {});
  const pageUrl = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    for (const k of ["embedded", "id_token", "hmac", "session", "timestamp"]) next.delete(k);
    return `/app/activity?${next.toString()}`;
  };

  return (
    <Page title="Activity" subtitle="Every message Trustloop planned, sent or skipped — and why." backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Card>
          <Form method="get">
            <InlineStack gap="300" blockAlign="end" wrap>
              <Select label="Status" options={STATUS_OPTIONS} {...field("status")} />
              <Select label="Flow" options={withAny("All flows", flowOptions)} {...field("flow")} />
              <TextField label="Order" placeholder="#1004" {...field("order")} />
              <Button submit>Filter</Button>
            </InlineStack>
          </Form>
        </Card>
        {query.order && (
          <Banner tone={orderMatch ? "info" : "warning"}>
            {orderMatch ? (
              <Text as="p">
                Messages of order <Link url={`/app/orders/${orderMatch.id}`}>{orderMatch.name}</Link> — open it for the full timeline.
              </Text>
            ) : (
              <Text as="p">No order named {query.order}.</Text>
            )}
          </Banner>
        )}
        <TableCard
          empty="No messages match."
          columnContentTypes={["text", "text", "text", "text", "text", "text"]}
          headings={["When", "Order", "Flow", "Recipient", "Status", "Reason"]}
          rows={rows.map((r) => [
            <Text as="span" key="w">
              {r.when}{" "}
              <Text as="span" tone="subdued">
                ({r.whenLabel})
              </Text>
            </Text>,
            r.order ? (
              <Link key="o" url={`/app/orders/${r.order.id}`} removeUnderline>
                {r.order.name}
              </Link>
            ) : (
              "—"
            ),
            r.flow,
            r.recipient,
            <MessageStatusBadge key="s" status={r.status} />,
            r.reason ?? "",
          ])}
        />
        {(page > 1 || hasNext) && (
          <InlineStack align="center" gap="200">
            <Button url={pageUrl(page - 1)} disabled={page <= 1}>
              Previous
            </Button>
            <Text as="span">Page {page}</Text>
            <Button url={pageUrl(page + 1)} disabled={!hasNext}>
              Next
            </Button>
          </InlineStack>
        )}
      </BlockStack>
    </Page>
  );
}
