// The order-history import: on install (and on demand from the admin) export the orders the shop
// created before the install — the last 60 days, or everything with `read_all_orders` — through a
// Shopify bulk operation, and mirror them for the dashboard. Imported orders feed the metrics and
// never trigger anything else (no messages, points, attribution or redemptions):
// afterOrderChanged is deliberately not called.
//
// Bulk operations (decision 031, replacing the paged queries of decision 010): one mutation starts
// the export; the job checks its status every few seconds (a new job each time: no job sleeps
// through the export); when it completes, the JSONL file is streamed line by line and applied in
// chunks of orders. Each chunk commits together with the count of file lines it ends at, so a
// restart skips exactly the lines already applied and counts every order once. A run ends (and
// queues its continuation) after its time budget, so the worker's other work keeps flowing.
import type { Prisma, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { lockRow } from "../util/locks";
import { enqueueRun, hasLiveRun } from "./import-queue";
import { freshExport, Run, type HistoryImportDeps, type HistoryRunResult } from "./import-run";
import { importWindow } from "./window";

type Tx = Prisma.TransactionClient | PrismaClient;

/**
 * Starts the shop's import and queues its first run. Without `restart` it only starts when the shop
 * never had one (an install that runs again changes nothing); with it (a reinstall, the admin's
 * button) a finished or failed import starts over — but a running one is left alone.
 * Returns whether a new import started.
 */
export async function startHistoryImport(tx: Tx, clock: Clock, shop: Pick<Shop, "id" | "scopes">, { restart = false } = {}): Promise<boolean> {
  // The shop's lock: an install and the admin's restart button at once start one import.
  await lockRow(tx, "Shop", shop.id);
  const existing = await tx.historyImport.findUnique({ where: { shopId: shop.id } });
  if (existing && !restart) return false;
  // "running" with no job left (uninstalled mid-way, or the queue gave up) is a dead import: restartable.
  if (existing?.status === "running" && (await hasLiveRun(tx, shop.id))) return false;
  const now = clock.now();
  const { since, until } = importWindow(now, shop.scopes);
  const fresh = { status: "running" as const, since, until, ...freshExport, total: null, polls: 0, restarts: 0, error: null, startedAt: now, finishedAt: null };
  await tx.historyImport.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...fresh }, update: fresh });
  await enqueueRun(tx, shop.id, now, "0", now);
  return true;
}

/**
 * Runs the shop's import one step further: starts the export, checks on it (queuing the next
 * check), or applies its file from the last committed line until done or out of budget (then it
 * queues its own continuation). `startedAt` names the import the job belongs to: a job of an
 * import that was restarted since does nothing.
 */
export async function runHistoryImport(deps: HistoryImportDeps, shop: Shop, startedAt?: Date): Promise<HistoryRunResult> {
  const row = await deps.db.historyImport.findUnique({ where: { shopId: shop.id } });
  if (!row || row.status !== "running" || (startedAt && row.startedAt.getTime() !== startedAt.getTime())) {
    return { outcome: "skipped", pages: 0, orders: 0 };
  }
  return new Run(deps, shop, row).run();
}

/** The error's message without what the Admin API client appends (the response and request as JSON). */
function shortMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split(": {")[0].slice(0, 300);
}

/** A readable reason for the admin; never a payload. */
export function describeFailure(error: unknown): string {
  const message = shortMessage(error);
  if (/ACCESS_DENIED|access denied|\b40[13]\b/i.test(message)) {
    return "Shopify refused access to the shop's orders. Check that the app still has its access scopes (reinstall it if needed), then import again.";
  }
  if (/no offline session/i.test(message)) return "The app has no access token for this shop. Open the app again to reinstall it, then import again.";
  return `The import stopped: ${message}`;
}

/** Marks the import failed (only the import the job belonged to). */
export async function failHistoryImport(db: PrismaClient, clock: Clock, shopId: string, startedAt: Date, error: unknown) {
  await db.historyImport.updateMany({
    where: { shopId, startedAt, status: "running" },
    data: { status: "failed", error: describeFailure(error), finishedAt: clock.now() },
  });
}

/** Records why the last run stopped while the queue retries it (the admin shows it). */
export async function noteHistoryRetry(db: PrismaClient, shopId: string, startedAt: Date, error: unknown) {
  await db.historyImport.updateMany({
    where: { shopId, startedAt, status: "running" },
    data: { error: `Waiting to retry: ${shortMessage(error)}` },
  });
}
