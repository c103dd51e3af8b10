import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Page, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { orderDetail } from "~/engine/admin/overview";
import { formatMinorUnits } from "~/engine/util/money";
import { requireShop } from "~/admin.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await requireShop(request);
  const detail = await orderDetail(db, session.shop, params.id ?? "");
  if (!detail) throw new Response("Order not found", { status: 404 });
  return detail;
};

const when = (value: string | Date | null) => (value ? new Date(value).toLocaleString() : "—");

export default function OrderPage() {
  const { order, deliveries } = useLoaderData<typeof loader>();
  const money = (cents: number | null) => (cents === null ? "—" : `${formatMinorUnits(cents, order.currency)} ${order.currency ?? ""}`);
  return (
    <Page backAction={{ url: "/app" }} title={order.name ?? "Order (details pending)"} titleMetadata={order.cancelledAt ? <Badge tone="critical">cancelled</Badge> : undefined}>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="100">
            <Text as="p">Placed {when(order.placedAt)} · total {money(order.totalCents)} · {order.financialStatus ?? "unknown"} · {order.fulfillmentStatus ?? "unfulfilled"}</Text>
            <Text as="p" tone="subdued">Ships to {[order.shipProvince, order.shipCountry].filter(Boolean).join(", ") || "—"} · locale {order.locale ?? "—"}</Text>
          </BlockStack>
        </Card>
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Item", "Qty", "Price"]}
            rows={order.lineItems.map((li) => [li.title + (li.variant ? ` — ${li.variant}` : ""), li.quantity, money(li.priceCents)])}
          />
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">Shipments</Text>
            {order.fulfillments.length === 0 && <Text as="p" tone="subdued">Not shipped yet.</Text>}
            {order.fulfillments.map((f) => (
              <BlockStack key={f.id} gap="100">
                <Text as="p">
                  {f.trackingCompany ?? "Carrier unknown"} {(JSON.parse(f.trackingNumbers) as string[]).join(", ")} · {f.shipmentStatus ?? f.status ?? "pending"}
                  {f.estimatedDeliveryAt ? ` · expected ${when(f.estimatedDeliveryAt)}` : ""}
                  {f.deliveredAt ? ` · delivered ${when(f.deliveredAt)}` : ""}
                </Text>
                {f.events.map((e) => (
                  <Text as="p" tone="subdued" key={e.id}>
                    {when(e.happenedAt)} · {e.status}
                  </Text>
                ))}
              </BlockStack>
            ))}
          </BlockStack>
        </Card>
        {order.refunds.length > 0 && (
          <Card>
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">Refunds</Text>
              {order.refunds.map((r) => (
                <Text as="p" key={r.id}>{when(r.shopifyCreatedAt)} · {money(r.amountCents)}</Text>
              ))}
            </BlockStack>
          </Card>
        )}
        <Card>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">Timeline</Text>
            {deliveries.map((d, i) => (
              <Text as="p" key={i} tone={d.status === "rejected" ? "critical" : undefined}>
                {when(d.receivedAt)} · {d.topic} · {d.status}{d.reason ? ` (${d.reason})` : ""}
              </Text>
            ))}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
