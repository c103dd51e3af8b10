// A later order that uses one of our codes is a redemption: recorded once, with the order's revenue
// (attributed revenue on the Delays page). Called from the order webhook path with the payload's
// `discount_codes[].code`; idempotent under redelivery and out-of-order updates.
import type { Prisma, PrismaClient } from "@prisma/client";
import { touchDays } from "../dashboard/touch";

type Tx = Prisma.TransactionClient | PrismaClient;

export interface RedeemingOrder {
  /** The order's gid. */
  shopifyId: string;
  totalCents: number | null;
  /** When the order was placed (the payload's processed_at ?? created_at, else the delivery's receipt time). */
  placedAt: Date;
}

/** Marks this shop's codes among `codes` as redeemed by the order (first redemption wins). Returns how many were marked. */
export async function recordRedemptions(tx: Tx, shopId: string, order: RedeemingOrder, codes: readonly string[]): Promise<number> {
  const wanted = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (!wanted.length) return 0;
  // Shopify codes are case-insensitive; ours are stored upper-case.
  // "pending" too: an order that used the code proves an attempt whose answer was lost created it.
  const where = { shopId, code: { in: wanted }, status: { in: ["created", "pending"] }, redeemedAt: null } satisfies Prisma.DiscountCodeWhereInput;
  const redeemed = await tx.discountCode.findMany({ where, select: { createdAt: true } }); // their rollup days
  const { count } = await tx.discountCode.updateMany({
    where,
    data: { redeemedAt: order.placedAt, redeemedOrderGid: order.shopifyId, redeemedRevenueCents: order.totalCents },
  });
  await touchDays(tx, shopId, ...redeemed.map((c) => c.createdAt));
  return count;
}
