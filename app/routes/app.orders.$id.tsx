import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { adminContext } from "~/route-context.server";
import { isShopOrder, orderPage, resendOrderMessage } from "~/engine/admin/order-page";
import { formatInZone, formatReason } from "~/engine/admin/format";
import { formatMinorUnits } from "~/engine/util/money";
import { storedStrings } from "~/engine/util/stored-json";
import { OrderMessages } from "~/components/OrderMessages";
import { DelayTimeline } from "~/components/DelayTimeline";
import { NpsOrderAnswer } from "~/components/NpsOrderAnswer";
import { Note, Section } from "~/components/Section";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, db, clock } = await adminContext(request);
  const page = await orderPage(db, clock, shop, params.id ?? "");
  if (!page) throw new Response("Order not found", { status: 404 });
  return page;
};

const resendSchema = z.object({ intent: z.literal("resend"), messageId: z.string().min(1).max(64) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, db, clock } = await adminContext(request);
  const orderId = params.id ?? "";
  if (!(await isShopOrder(db, shop.id, orderId))) throw new Response("Order not found", { status: 404 });
  const parsed = resendSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { errors: { messageId: "Unknown request" } };
  const outcome = await resendOrderMessage(db, clock, shop.id, orderId, parsed.data.messageId);
  if (outcome === "no-such-message") throw new Response("Message not found", { status: 404 });
  return { errors: outcome === "resent" ? {} : { messageId: "This message is no longer waiting for a decision." } };
};

export default function OrderPage() {
  const { order, deliveries, messages, delays, nps, reviews, timeZone } = useLoaderData<typeof loader>();
  const when = (value: Date | string | null) => formatInZone(value, timeZone);
  const money = (cents: number | null) => (cents === null ? "—" : `${formatMinorUnits(cents, order.currency)} ${order.currency ?? ""}`);
  return (
    <Page
      backAction={{ url: "/app" }}
      title={order.name ?? "Order (details pending)"}
      titleMetadata={order.cancelledAt ? <Badge tone="critical">cancelled</Badge> : undefined}
    >
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="100">
            <Text as="p">
              Placed {when(order.placedAt)} · total {money(order.totalCents)} · {order.financialStatus ?? "unknown"} ·{" "}
              {order.fulfillmentStatus ?? "unfulfilled"}
            </Text>
            <Text as="p" tone="subdued">
              Ships to {[order.shipProvince, order.shipCountry].filter(Boolean).join(", ") || "—"} · locale {order.locale ?? "—"}
            </Text>
          </BlockStack>
        </Card>
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Item", "Qty", "Price"]}
            rows={order.lineItems.map((li) => [li.title + (li.variant ? ` — ${li.variant}` : ""), li.quantity, money(li.priceCents)])}
          />
        </Card>
        <Section title="Shipments" gap="200">
          {order.fulfillments.length === 0 && <Note>Not shipped yet.</Note>}
          {order.fulfillments.map((f) => (
            <BlockStack key={f.id} gap="100">
              <Text as="p">
                {f.trackingCompany ?? "Carrier unknown"} {storedStrings(f.trackingNumbers).join(", ")} · {f.shipmentStatus ?? f.status ?? "pending"}
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
        </Section>
        {order.refunds.length > 0 && (
          <Section title="Refunds" gap="100">
            {order.refunds.map((r) => (
              <Text as="p" key={r.id}>
                {when(r.shopifyCreatedAt)} · {money(r.amountCents)}
              </Text>
            ))}
          </Section>
        )}
        <DelayTimeline incidents={delays} />
        <NpsOrderAnswer answer={nps} />
        {reviews.length > 0 && (
          <Section title="Reviews" gap="100">
            {reviews.map((r) => (
              <Text as="p" key={r.id}>
                {"★".repeat(r.rating)}
                {"☆".repeat(5 - r.rating)} {r.productTitle} · {r.status} · <Link url="/app/reviews">moderate</Link>
              </Text>
            ))}
          </Section>
        )}
        <OrderMessages messages={messages} />
        <Section title="Webhooks received" gap="100">
          {deliveries.map((d, i) => (
            <Text as="p" key={i} tone={d.status === "rejected" ? "critical" : undefined}>
              {when(d.receivedAt)} · {d.topic} · {d.status === "received" ? "waiting to be applied" : d.status}
              {d.reason ? ` (${formatReason(d.reason, timeZone)})` : ""}
            </Text>
          ))}
        </Section>
      </BlockStack>
    </Page>
  );
}
