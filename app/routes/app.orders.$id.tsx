import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { currentClock } from "~/clock.server";
import { orderDetail } from "~/engine/admin/overview";
import { orderMessages, resendUnknownMessage } from "~/engine/admin/timeline";
import { formatInZone, formatReason } from "~/engine/admin/format";
import { formatMinorUnits } from "~/engine/util/money";
import { storedStrings } from "~/engine/util/stored-json";
import { requireShop } from "~/admin.server";
import { OrderMessages } from "~/components/OrderMessages";
import { DelayTimeline } from "~/components/DelayTimeline";
import { orderDelays } from "~/engine/admin/delays";
import { orderNps } from "~/engine/nps/admin";
import { NpsOrderAnswer } from "~/components/NpsOrderAnswer";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, shop } = await requireShop(request);
  const detail = await orderDetail(db, session.shop, params.id ?? "");
  if (!detail) throw new Response("Order not found", { status: 404 });
  const clock = await currentClock(db, env().TRUSTLOOP_SANDBOX);
  return {
    ...detail,
    timeZone: shop.timezone,
    messages: await orderMessages(db, shop, detail.order.id),
    delays: await orderDelays(db, shop, detail.order.id, clock.now()),
    nps: await orderNps(db, shop, detail.order.id),
    reviews: await db.review.findMany({
      where: { shopId: shop.id, orderId: detail.order.id },
      select: { id: true, productTitle: true, rating: true, status: true },
      orderBy: { submittedAt: "asc" },
    }),
  };
};

const resendSchema = z.object({ intent: z.literal("resend"), messageId: z.string().min(1).max(64) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireShop(request);
  const order = await db.order.findFirst({ where: { id: params.id ?? "", shopId: shop.id }, select: { id: true } });
  if (!order) throw new Response("Order not found", { status: 404 });
  const parsed = resendSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { errors: { messageId: "Unknown request" } };
  const message = await db.message.findFirst({ where: { id: parsed.data.messageId, shopId: shop.id, orderId: order.id }, select: { id: true } });
  if (!message) throw new Response("Message not found", { status: 404 });
  const clock = await currentClock(db, env().TRUSTLOOP_SANDBOX);
  const resent = await resendUnknownMessage(db, clock, shop.id, message.id);
  return { errors: resent ? {} : { messageId: "This message is no longer waiting for a decision." } };
};

export default function OrderPage() {
  const { order, deliveries, messages, delays, nps, reviews, timeZone } = useLoaderData<typeof loader>();
  const when = (value: Date | string | null) => formatInZone(value, timeZone);
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
        <DelayTimeline incidents={delays} />
        <NpsOrderAnswer answer={nps} />
        {reviews.length > 0 && (
          <Card>
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">Reviews</Text>
              {reviews.map((r) => (
                <Text as="p" key={r.id}>
                  {"★".repeat(r.rating)}{"☆".repeat(5 - r.rating)} {r.productTitle} · {r.status} · <Link url="/app/reviews">moderate</Link>
                </Text>
              ))}
            </BlockStack>
          </Card>
        )}
        <OrderMessages messages={messages} />
        <Card>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">Webhooks received</Text>
            {deliveries.map((d, i) => (
              <Text as="p" key={i} tone={d.status === "rejected" ? "critical" : undefined}>
                {when(d.receivedAt)} · {d.topic} · {d.status === "received" ? "waiting to be applied" : d.status}{d.reason ? ` (${formatReason(d.reason, timeZone)})` : ""}
              </Text>
            ))}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
