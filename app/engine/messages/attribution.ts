// Last-click attribution: an order placed within 7 days after the customer clicked a link in one
// of our emails is credited to that email's flow (and to the latest such click only).
import type { Prisma } from "@prisma/client";
import { touchDays } from "../dashboard/touch";

export const ATTRIBUTION_WINDOW_MS = 7 * 86_400_000;
/** Shopify's order timestamps have one-second precision; a click in the same minute still counts. */
const CLOCK_SLACK_MS = 60_000;

type Tx = Prisma.TransactionClient;

export async function attributeOrder(tx: Tx, orderId: string) {
  const order = await tx.order.findUnique({ where: { id: orderId } });
  if (!order || order.placeholder || !order.placedAt || order.totalCents === null) return null;
  if (await tx.attribution.findFirst({ where: { orderId } })) return null; // already credited
  const sameCustomer = [
    ...(order.customerShopifyId ? [{ customerShopifyId: order.customerShopifyId }] : []),
    ...(order.email ? [{ recipient: order.email }] : []),
  ];
  if (sameCustomer.length === 0) return null;
  const click = await tx.linkClick.findFirst({
    where: {
      shopId: order.shopId,
      clickedAt: { lte: new Date(order.placedAt.getTime() + CLOCK_SLACK_MS), gte: new Date(order.placedAt.getTime() - ATTRIBUTION_WINDOW_MS) },
      message: { OR: sameCustomer, orderId: { not: order.id } },
    },
    orderBy: { clickedAt: "desc" },
    include: { message: { select: { id: true, flowId: true, createdAt: true } } },
  });
  if (!click) return null;
  await touchDays(tx, order.shopId, click.message.createdAt); // flow figures sit on the message's day
  return tx.attribution.create({
    data: {
      shopId: order.shopId,
      orderId: order.id,
      messageId: click.message.id,
      flowId: click.message.flowId,
      revenueCents: order.totalCents,
      clickedAt: click.clickedAt,
    },
  });
}
