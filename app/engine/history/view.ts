// The history import's progress for the admin (ISO strings: loader data is JSON).
import type { PrismaClient } from "@prisma/client";
import type { HistoryImportView } from "../dashboard/types";

export async function historyImportView(db: PrismaClient, shopId: string): Promise<HistoryImportView | null> {
  const row = await db.historyImport.findUnique({ where: { shopId } });
  if (!row) return null;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    status: row.status,
    orders: row.orders,
    pages: row.pages,
    since: iso(row.since),
    until: row.until.toISOString(),
    oldestSeen: iso(row.oldestSeen),
    startedAt: row.startedAt.toISOString(),
    finishedAt: iso(row.finishedAt),
    error: row.error,
  };
}
