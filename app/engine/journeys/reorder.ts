// "Stop when the customer orders again": a journey step waiting for an order is skipped once the
// same customer (by customer id, else by address) has placed a later order that was not cancelled.
import type { Flow, Order, Prisma, PrismaClient } from "@prisma/client";

export const ORDERED_AGAIN_REASON = "customer ordered again";

type Db = PrismaClient | Prisma.TransactionClient;
type OrderRef = Pick<Order, "id" | "shopId" | "customerShopifyId" | "email" | "placedAt">;

/** Who "the same customer" is for an order: its customer id, else its address; null when neither is known. */
export function sameCustomer(order: Pick<Order, "customerShopifyId" | "email">): { customerShopifyId: string } | { email: string } | null {
  if (order.customerShopifyId) return { customerShopifyId: order.customerShopifyId };
  return order.email ? { email: order.email } : null;
}

/**
 * The reason to skip a journey step of `order`, or null (not a journey, no stop on reorder, no later
 * order). Orders count from `since` (an occasion's start: anniversary, tier reached), else from the order.
 */
export async function reorderStopReason(db: Db, flow: Pick<Flow, "journeyId">, order: OrderRef | null, since?: Date): Promise<string | null> {
  if (!flow.journeyId || !order?.placedAt) return null;
  const customer = sameCustomer(order);
  if (!customer) return null;
  const journey = await db.journey.findUnique({ where: { id: flow.journeyId }, select: { stopOnReorder: true } });
  if (!journey?.stopOnReorder) return null;
  const later = await db.order.findFirst({
    where: { shopId: order.shopId, ...customer, id: { not: order.id }, placeholder: false, cancelledAt: null, placedAt: { gt: since ?? order.placedAt } },
    select: { id: true },
  });
  return later ? ORDERED_AGAIN_REASON : null;
}
