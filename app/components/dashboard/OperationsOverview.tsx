// The operational side of the home page, compact: is the worker running, are webhooks arriving
// (and any rejected), customer data requests, and the latest orders with a link to each.
import { Badge, BlockStack, Box, DataTable, InlineStack, Link, Text } from "@shopify/polaris";
import type { shopOverview } from "~/engine/admin/overview";
import { formatInZone } from "~/engine/admin/format";
import { formatMinorUnits } from "~/engine/util/money";
import { Section, Titled } from "../Section";
import { count } from "./format";

export type Overview = NonNullable<Awaited<ReturnType<typeof shopOverview>>>;

function Status({ overview }: { overview: Overview }) {
  const { worker, webhooks24h, orderCount, shop, queue } = overview;
  return (
    <InlineStack gap="400" blockAlign="center" wrap>
      <div data-testid="worker-status">
        <InlineStack gap="100" blockAlign="center">
          <Text as="span" tone="subdued">
            Worker
          </Text>
          {worker.alive ? <Badge tone="success">running</Badge> : <Badge tone="critical">not running</Badge>}
          <Text as="span" tone="subdued" variant="bodySm">
            {worker.lastBeatAt ? `last seen ${formatInZone(worker.lastBeatAt, shop.timezone)}` : "never seen"}
          </Text>
        </InlineStack>
      </div>
      <div data-testid="send-queue">
        <InlineStack gap="100" blockAlign="center">
          <Text as="span">
            Emails due now: {count(queue.due)}
            {queue.oldestDueAt ? ` (oldest due ${formatInZone(queue.oldestDueAt, shop.timezone)})` : ""}
          </Text>
          {queue.unknown > 0 ? <Badge tone="warning">{`${count(queue.unknown)} outcome unknown`}</Badge> : null}
        </InlineStack>
      </div>
      <Text as="span">
        Webhooks (24 h): {count(webhooks24h.applied ?? 0)} applied · {count(webhooks24h.rejected ?? 0)} rejected
        {webhooks24h.received ? ` · ${count(webhooks24h.received)} waiting to be applied` : ""}
      </Text>
      <Text as="span">
        Orders mirrored: <span id="order-count">{orderCount}</span>
      </Text>
      <Text as="span" tone="subdued">
        {shop.domain} · {shop.timezone} · {shop.currency}
        {shop.primaryDomain ? ` · ${shop.primaryDomain}` : ""}
      </Text>
    </InlineStack>
  );
}

function RecentOrders({ orders, timeZone }: { orders: Overview["orders"]; timeZone: string }) {
  if (!orders.length) {
    return (
      <Text as="p" tone="subdued">
        No orders yet. New orders appear here as soon as Shopify reports them.
      </Text>
    );
  }
  return (
    <DataTable
      columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
      headings={["Order", "Placed", "Total", "Payment", "Fulfillment", "Ships to"]}
      increasedTableDensity
      rows={orders.map((o) => [
        <Link key={o.id} url={`/app/orders/${o.id}`} removeUnderline>
          {o.name ?? "(order pending)"}
        </Link>,
        formatInZone(o.placedAt, timeZone),
        o.totalCents !== null ? `${formatMinorUnits(o.totalCents, o.currency)} ${o.currency ?? ""}` : "—",
        o.cancelledAt ? <Badge tone="critical">cancelled</Badge> : <Badge>{o.financialStatus ?? "unknown"}</Badge>,
        o.fulfillmentStatus ?? "unfulfilled",
        o.shipCountry ?? "—",
      ])}
    />
  );
}

export function OperationsOverview({ overview }: { overview: Overview }) {
  const { rejections, dataRequests, orders, shop } = overview;
  const when = (at: Date | string) => formatInZone(at, shop.timezone);
  return (
    <Section title="Operations">
      <Status overview={overview} />
      {rejections.length > 0 && (
        <Titled title="Rejected webhooks" gap="100">
          {rejections.map((r) => (
            <Text as="p" key={r.webhookId} tone="critical" variant="bodySm">
              {when(r.receivedAt)} · {r.topic}: {r.reason}
            </Text>
          ))}
        </Titled>
      )}
      {dataRequests.length > 0 && (
        <BlockStack gap="100">
          <InlineStack align="space-between">
            <Text as="h3" variant="headingSm">
              Customer data requests
            </Text>
            <Link url="/app/data-requests">Download reports</Link>
          </InlineStack>
          {dataRequests.map((d) => (
            <Text as="p" key={d.id} variant="bodySm">
              {when(d.requestedAt)} · {d.status === "ready" ? "report ready" : d.status === "expired" ? "report purged" : "being compiled"}
            </Text>
          ))}
        </BlockStack>
      )}
      <Titled title="Recent orders">
        <Box>
          <RecentOrders orders={orders} timeZone={shop.timezone} />
        </Box>
      </Titled>
    </Section>
  );
}
