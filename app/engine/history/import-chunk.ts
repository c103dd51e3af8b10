// One chunk of the import's file applied: its orders mirrored (applyOrderChunk) and its customers'
// figures refreshed, in the same transaction as the import's progress (the file line it ends at).
import type { HistoryImport, Prisma, Shop } from "@prisma/client";
import { type DayMarks, ordersFiguresChanged } from "../dashboard/customer-stats";
import { touchDays } from "../dashboard/touch";
import { applyOrderChunk } from "../orders/mirror-chunk";
import type { OrderPayload } from "../orders/payloads";
import type { ReconcileDeps } from "../reconcile/orders";
import type { BulkOperation } from "./bulk-query";
import { enqueueRun } from "./import-queue";

/** Where the applied part of the file ends: its line count, and the byte after that line. */
export interface FileEnd {
  endLine: number;
  endByte: number;
}

/** What follows the chunk: more in this run, a continuation in a new job, or nothing (the file is done). */
export type ChunkThen = "more" | "continue" | "done";

/**
 * Mirrors a chunk of the history (applyOrderChunk: the mirror's rules for each order in turn, in a
 * few statements for the whole chunk) and refreshes its customers' figures once each; the days they
 * change go to `marks`, marked once per chunk. An order is imported when it was placed before the
 * install (the same rule as every other path); an order already mirrored keeps its flag and its
 * newer version. Never afterOrderChanged: history must not message, award points or attribute.
 */
async function applyImported(tx: Prisma.TransactionClient, shop: Pick<Shop, "id" | "installedAt">, payloads: OrderPayload[], marks: DayMarks) {
  const { orderIds, stale } = await applyOrderChunk(tx, shop, payloads, marks);
  await ordersFiguresChanged(tx, shop.id, orderIds, marks);
  return { stale };
}

/** The import window and its progress are by creation time (the Admin API query filters on it). */
const createdAtOf = (p: OrderPayload) => p.created_at ?? p.processed_at ?? null;

function extremes(payloads: OrderPayload[], oldest: Date | null, newest: Date | null) {
  for (const payload of payloads) {
    const at = createdAtOf(payload);
    if (!at) continue;
    if (!oldest || at < oldest) oldest = at;
    if (!newest || at > newest) newest = at;
  }
  return { oldestSeen: oldest, newestSeen: newest };
}

/**
 * A chunk and the file line it ends at commit together. The update only matches while the row is
 * where the run left it (same export, same line): a job re-run after its lease, or a restart,
 * that got there first makes the run stop — nothing is applied or counted twice.
 * Returns the import's row as committed, or null when the run must stop.
 */
export async function commitChunk(
  deps: Pick<ReconcileDeps, "db" | "clock">,
  shop: Shop,
  row: HistoryImport,
  payloads: OrderPayload[],
  { endLine, endByte }: FileEnd,
  op: BulkOperation,
  then: ChunkThen,
): Promise<HistoryImport | null> {
  const { shopId, startedAt, lines, bulkOperationId } = row;
  const now = deps.clock.now();
  const progress = {
    bulkStatus: op.status,
    exported: op.rootObjectCount ?? row.exported,
    lines: endLine,
    bytes: BigInt(endByte),
    pages: row.pages + 1,
    orders: row.orders + payloads.length,
    ...extremes(payloads, row.oldestSeen, row.newestSeen),
    applyStartedAt: row.applyStartedAt ?? now,
    error: null,
    ...(then === "done" ? { status: "done" as const, finishedAt: now } : {}),
  };
  const applied = await deps.db.$transaction(
    async (tx) => {
      const { count } = await tx.historyImport.updateMany({ where: { shopId, startedAt, status: "running", bulkOperationId, lines }, data: progress });
      if (count === 0) return false;
      const marks: DayMarks = [];
      await applyImported(tx, shop, payloads, marks);
      await touchDays(tx, shopId, ...marks);
      if (then === "continue") await enqueueRun(tx, shopId, startedAt, `line:${endLine}`, now);
      return true;
    },
    { timeout: 120_000 },
  );
  return applied ? { ...row, ...progress } : null;
}
