// Marks rollup days as stale. Every write that changes a dashboard figure calls this in its own
// transaction with the instants that place the changed rows on days; the worker rebuilds the
// marked days from the raw rows (rollups.ts). Days are the shop's own (days.ts), read from the
// shop row in the same transaction, so a time zone change (rezone.ts) and a touch never disagree.
import type { Prisma, PrismaClient } from "@prisma/client";
import { dayOf } from "./days";

type Tx = Prisma.TransactionClient | PrismaClient;

export async function touchDays(tx: Tx, shopId: string, ...instants: (Date | null | undefined)[]) {
  const valid = instants.filter((at): at is Date => at instanceof Date && !Number.isNaN(at.getTime()));
  if (!valid.length) return;
  const shop = await tx.shop.findUnique({ where: { id: shopId }, select: { timezone: true } });
  if (!shop) return; // the shop is gone (shop/redact): nothing left to show
  await markDays(tx, shopId, new Set(valid.map((at) => dayOf(at, shop.timezone))));
}

/** Appends one mark per day: an insert that waits on no other writer (decision 029). */
export async function markDays(tx: Tx, shopId: string, days: Iterable<string>) {
  const data = [...days].map((day) => ({ shopId, day }));
  if (data.length) await tx.rollupMark.createMany({ data });
}
