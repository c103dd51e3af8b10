// What the offers achieved: clicks reported by the extension, conversions found on later orders,
// the per-rule totals the admin shows; each change marks the dashboard days it touches.
import type { Prisma, PrismaClient } from "@prisma/client";
import { touchDays } from "../dashboard/touch";

type Tx = Prisma.TransactionClient | PrismaClient;

/** A click on the offer link (the extension reports it): counted on the grant of that code. */
export async function recordOfferClick(db: Tx, shopId: string, code: string): Promise<boolean> {
  const where = { shopId, code: code.trim().toUpperCase() };
  const { count } = await db.offerGrant.updateMany({ where, data: { clicks: { increment: 1 } } });
  // The code never changes, so the rows matched are the rows counted, transaction or not.
  if (count) await touchDays(db, shopId, ...(await db.offerGrant.findMany({ where, select: { createdAt: true } })).map((g) => g.createdAt));
  return count > 0;
}

/**
 * Order webhook path: a later order whose `discount_codes[].code` contains an offer code is that
 * offer's conversion, with the order's revenue. First conversion wins; idempotent under redelivery.
 * Returns how many grants converted.
 */
export async function recordOfferConversions(
  tx: Tx,
  shopId: string,
  order: { shopifyId: string; totalCents: number | null },
  codes: readonly string[],
): Promise<number> {
  const wanted = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (!wanted.length) return 0;
  const where = { shopId, code: { in: wanted }, convertedOrderGid: null, orderGid: { not: order.shopifyId } };
  const converting = await tx.offerGrant.findMany({ where, select: { createdAt: true } }); // their rollup days
  const { count } = await tx.offerGrant.updateMany({
    where,
    data: { convertedOrderGid: order.shopifyId, convertedRevenueCents: order.totalCents },
  });
  await touchDays(tx, shopId, ...converting.map((g) => g.createdAt));
  return count;
}

export interface OfferPerformance {
  ruleId: string;
  grants: number;
  impressions: number;
  clicks: number;
  conversions: number;
  revenueCents: number;
}

/** Deletes a rule of the shop; its grants go with it (cascade), so their dashboard days are rebuilt. */
export async function deleteOfferRule(db: PrismaClient, shopId: string, ruleId: string) {
  await db.$transaction(async (tx) => {
    const grants = await tx.offerGrant.findMany({ where: { ruleId, shopId }, select: { createdAt: true } });
    await tx.offerRule.deleteMany({ where: { id: ruleId, shopId } });
    await touchDays(tx, shopId, ...grants.map((g) => g.createdAt));
  });
}

/** Per rule: grants, impressions, clicks, conversions and converted revenue (one grouped query). */
export async function offerPerformance(db: Tx, shopId: string): Promise<Map<string, OfferPerformance>> {
  // A grant's conversion columns are set together, so counting one counts the conversions.
  const rows = await db.offerGrant.groupBy({
    by: ["ruleId"],
    where: { shopId },
    _count: { _all: true, convertedOrderGid: true },
    _sum: { impressions: true, clicks: true, convertedRevenueCents: true },
  });
  return new Map(
    rows.map((r) => [
      r.ruleId,
      {
        ruleId: r.ruleId,
        grants: r._count._all,
        impressions: r._sum.impressions ?? 0,
        clicks: r._sum.clicks ?? 0,
        conversions: r._count.convertedOrderGid,
        revenueCents: r._sum.convertedRevenueCents ?? 0,
      },
    ]),
  );
}
