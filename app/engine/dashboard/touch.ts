// Marks rollup days as stale. Every write that changes a dashboard figure calls this in its own
// transaction with the instants that place the changed rows on days; the worker rebuilds the
// marked days from the raw rows (rollups.ts). A touch is one upsert, cheap on the write path.
import type { Prisma, PrismaClient } from "@prisma/client";
import { dayOf } from "./days";

type Tx = Prisma.TransactionClient | PrismaClient;

export async function touchDays(tx: Tx, shopId: string, ...instants: (Date | null | undefined)[]) {
  const days = new Set(instants.filter((at): at is Date => at instanceof Date && !Number.isNaN(at.getTime())).map(dayOf));
  for (const day of days) {
    await tx.rollupDirty.upsert({
      where: { shopId_day: { shopId, day } },
      create: { shopId, day },
      update: { version: { increment: 1 }, touchedAt: new Date() },
    });
  }
}
