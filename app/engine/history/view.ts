// The history import's progress for the admin (ISO strings: loader data is JSON).
import type { PrismaClient } from "@prisma/client";
import type { HistoryImportView } from "../dashboard/types";

/** Seconds left at the rate orders have been applied since the first chunk; null without a rate or a total. */
export function secondsLeft(row: { orders: number; total: number | null; applyStartedAt: Date | null }, now: Date): number | null {
  if (!row.total || !row.applyStartedAt || row.orders <= 0) return null;
  const elapsed = (now.getTime() - row.applyStartedAt.getTime()) / 1000;
  if (!(elapsed > 0)) return null;
  return Math.max(0, Math.round((row.total - row.orders) / (row.orders / elapsed)));
}

export async function historyImportView(db: PrismaClient, shopId: string, now = new Date()): Promise<HistoryImportView | null> {
  const row = await db.historyImport.findUnique({ where: { shopId } });
  if (!row) return null;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    status: row.status,
    orders: row.orders,
    pages: row.pages,
    total: row.total,
    exported: row.exported,
    secondsLeft: row.status === "running" ? secondsLeft(row, now) : null,
    since: iso(row.since),
    until: row.until.toISOString(),
    oldestSeen: iso(row.oldestSeen),
    startedAt: row.startedAt.toISOString(),
    finishedAt: iso(row.finishedAt),
    error: row.error,
  };
}
