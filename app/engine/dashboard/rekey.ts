// A guest's figures are keyed by their address (statsKeyOf). When stored addresses change form
// (the migration that normalised them), an order's stored key no longer matches the one it has
// now: its figures move to the current key, merging customers that were one all along.
import type { PrismaClient } from "@prisma/client";
import { orderFiguresChanged } from "./customer-stats";

export const REKEY_JOB_KIND = "dashboard.rekey_customer_stats";

/** Re-counts every guest order whose stored key differs from its address. Returns how many. */
export async function rekeyCustomerStats(db: PrismaClient): Promise<number> {
  const stale = await db.$queryRaw<{ id: string; shopId: string }[]>`
    SELECT "id", "shopId" FROM "Order"
    WHERE "customerShopifyId" IS NULL AND "statsKey" IS NOT NULL AND "statsKey" IS NOT "email"`;
  for (const order of stale) await db.$transaction((tx) => orderFiguresChanged(tx, order.shopId, order.id));
  return stale.length;
}
