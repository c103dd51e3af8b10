import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { db } from "~/db.server";
import { currentClock } from "~/clock.server";
import { shopOverview } from "~/engine/admin/overview";
import { formatMinorUnits } from "~/engine/util/money";
import { env } from "~/env.server";
import { requireShop } from "~/admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await requireShop(request);
  const clock = await currentClock(db, env().TRUSTLOOP_SANDBOX);
  const overview = await shopOverview(db, clock, session.shop);
  if (!overview) throw new Response("Shop not installed", { status: 404 });
  return overview;
};

export default function Home() {
  const { shop, flows, orders, orderCount, webhooks24h, rejections, worker, dataRequests } = useLoaderData<typeof loader>();
  const orderRows = orders.map((o) => [
    <Link key={o.id} url={`/app/orders/${o.id}`} removeUnderline>
      {o.name ?? "(order pending)"}
    </Link>,
    o.placedAt ? new Date(o.placedAt).toLocaleString() : "—",
    o.totalCents !== null ? `${formatMinorUnits(o.totalCents, o.currency)} ${o.currency ?? ""}` : "—",
    o.cancelledAt ? <Badge tone="critical">cancelled</Badge> : <Badge>{o.financialStatus ?? "unknown"}</Badge>,
    o.fulfillmentStatus ?? "unfulfilled",
    o.shipCountry ?? "—",
  ]);
  return (
    <Page>
      <TitleBar title="Trustloop" />
      <BlockStack gap="500">
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingLg">
                  {shop.name}
                </Text>
                <Text as="p" tone="subdued">
                  {shop.domain} · {shop.timezone} · {shop.currency}
                  {shop.primaryDomain ? ` · ${shop.primaryDomain}` : ""}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <Card>
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">Orders mirrored</Text>
              <Text as="p" variant="heading2xl" id="order-count">{orderCount}</Text>
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">Webhooks (24 h)</Text>
              <Text as="p">
                {webhooks24h.applied ?? 0} applied · {webhooks24h.rejected ?? 0} rejected
              </Text>
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">Worker</Text>
              <InlineStack gap="200">
                {worker.alive ? <Badge tone="success">running</Badge> : <Badge tone="critical">not running</Badge>}
                <Text as="span" tone="subdued">
                  {worker.lastBeatAt ? `last seen ${new Date(worker.lastBeatAt).toLocaleTimeString()}` : "never seen"}
                </Text>
              </InlineStack>
            </BlockStack>
          </Card>
        </InlineGrid>
        <Card padding="0">
          <BlockStack>
            <div style={{ padding: "16px" }}>
              <Text as="h2" variant="headingMd">Recent orders</Text>
            </div>
            {orders.length ? (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
                headings={["Order", "Placed", "Total", "Payment", "Fulfillment", "Ships to"]}
                rows={orderRows}
              />
            ) : (
              <div style={{ padding: "16px" }}>
                <Text as="p" tone="subdued">No orders yet. New orders appear here as soon as Shopify reports them.</Text>
              </div>
            )}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">Flows</Text>
            {flows.map((f) => (
              <InlineStack key={f.id} gap="200" align="space-between">
                <Text as="span">{f.name}</Text>
                <InlineStack gap="100">
                  <Badge>{f.category}</Badge>
                  {f.enabled ? <Badge tone="success">on</Badge> : <Badge>off</Badge>}
                </InlineStack>
              </InlineStack>
            ))}
          </BlockStack>
        </Card>
        {rejections.length > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">Rejected webhooks</Text>
              {rejections.map((r) => (
                <Text as="p" key={r.webhookId} tone="critical">
                  {new Date(r.receivedAt).toLocaleString()} · {r.topic}: {r.reason}
                </Text>
              ))}
            </BlockStack>
          </Card>
        )}
        {dataRequests.length > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">Customer data requests</Text>
              {dataRequests.map((d) => (
                <Text as="p" key={d.id}>
                  {new Date(d.requestedAt).toLocaleString()} · {d.status === "ready" ? "report ready" : "being compiled"}
                </Text>
              ))}
            </BlockStack>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}
