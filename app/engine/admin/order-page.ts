// Admin › one order: what the order page shows (the order, its webhooks, messages, delays, NPS answer
// and reviews) and the merchant's "Send again". Always within one shop: an order or message id of
// another shop is not found.
import type { PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { orderNps } from "../nps/admin";
import { orderDelays } from "./delays";
import { orderDetail } from "./overview";
import { orderMessages, resendUnknownMessage } from "./timeline";

/** The order page of the shop's order `orderId`, or null when the shop has no such order. */
export async function orderPage(db: PrismaClient, clock: Clock, shop: Pick<Shop, "id" | "domain" | "timezone" | "currency">, orderId: string) {
  const detail = await orderDetail(db, shop.domain, orderId);
  if (!detail) return null;
  const id = detail.order.id;
  return {
    ...detail,
    timeZone: shop.timezone,
    messages: await orderMessages(db, shop, id),
    delays: await orderDelays(db, shop, id, clock.now()),
    nps: await orderNps(db, shop, id),
    reviews: await orderReviews(db, shop.id, id),
  };
}

/** The reviews left for the order, oldest first. */
export function orderReviews(db: PrismaClient, shopId: string, orderId: string) {
  return db.review.findMany({
    where: { shopId, orderId },
    select: { id: true, productTitle: true, rating: true, status: true },
    orderBy: { submittedAt: "asc" },
  });
}

/** True when `orderId` is an order of the shop. */
export async function isShopOrder(db: PrismaClient, shopId: string, orderId: string): Promise<boolean> {
  return (await db.order.count({ where: { id: orderId, shopId } })) > 0;
}

export type ResendOutcome = "resent" | "no-such-message" | "not-waiting";

/**
 * "Send again" from the order page: the message must be one of this order's, in this shop; it is
 * resent only while its delivery is unknown (see resendUnknownMessage).
 */
export async function resendOrderMessage(db: PrismaClient, clock: Clock, shopId: string, orderId: string, messageId: string): Promise<ResendOutcome> {
  const message = await db.message.findFirst({ where: { id: messageId, shopId, orderId }, select: { id: true } });
  if (!message) return "no-such-message";
  return (await resendUnknownMessage(db, clock, shopId, message.id)) ? "resent" : "not-waiting";
}
