// The order-history import: on install (and on demand from the admin) page through the orders the
// shop created before the install — the last 60 days, or everything with `read_all_orders` — and
// mirror them for the dashboard. Imported orders feed the metrics and never trigger anything else
// (no messages, points, attribution or redemptions): afterOrderChanged is deliberately not called.
//
// Paginated queries, newest first (decision 010): the recent weeks the dashboard shows first arrive
// first. Each page is applied in one transaction together with the cursor that follows it, so a
// restart resumes exactly where the last committed page ended and counts every order once. A run
// ends (and queues its continuation) after a time budget, or when the cost bucket needs a refill.
import type { Prisma, PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { orderFiguresChanged } from "../dashboard/customer-stats";
import { applyOrder } from "../orders/mirror";
import type { OrderPayload } from "../orders/payloads";
import { enqueueJob } from "../queue/jobs";
import { lockRow } from "../util/locks";
import { ORDER_FIELDS, ORDERS_PAGE_SIZE, PAGE_NESTED_ITEMS, ordersPage } from "../reconcile/graphql-order";
import { Pacer, wholeOrder, type Fetched, type ReconcileDeps } from "../reconcile/orders";
import { createdWithinQuery, importWindow } from "./window";

type Tx = Prisma.TransactionClient | PrismaClient;

export const HISTORY_IMPORT_JOB_KIND = "history.import";
/** A run stops starting pages after this long, so the worker's other work (message dispatch) keeps flowing. */
export const HISTORY_BUDGET_MS = 10_000;
/**
 * When the cost bucket needs longer than this to afford the next page, the run ends and its
 * continuation is queued for when it can: the worker never sleeps through a refill (on a standard
 * plan a page of orders costs seconds of restore), it sends messages meanwhile.
 */
export const HISTORY_YIELD_WAIT_MS = 250;
/** Points of the cost bucket the import leaves to the app's own calls (apology codes, metafields) while it runs. */
export const HISTORY_BUCKET_RESERVE = 300;

/** Same injected I/O as reconciliation: db, clock, Admin GraphQL (with cost extensions), log, sleep, budget. */
export type HistoryImportDeps = ReconcileDeps;

export interface HistoryRunResult {
  /** What the run did: imported the last page, stopped early (its continuation is queued), or found nothing to do. */
  outcome: "done" | "continued" | "skipped";
  pages: number;
  orders: number;
}

const HISTORY_ORDERS_QUERY = `#graphql
  query HistoryOrders($first: Int!, $after: String, $query: String!, $items: Int!) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT, reverse: true) {
      pageInfo { hasNextPage endCursor }
      nodes { ...ReconcileOrderFields }
    }
  }
  ${ORDER_FIELDS}`;

export const historyJobPayload = z.object({ shopId: z.string(), startedAt: z.string() });

function enqueueRun(tx: Tx, shopId: string, startedAt: Date, pages: number, runAt: Date) {
  // One key per import and progress point: a continuation is never mistaken for an earlier run.
  return enqueueJob(tx, {
    kind: HISTORY_IMPORT_JOB_KIND,
    key: `${shopId}:${startedAt.getTime()}:${pages}`,
    shopId,
    payload: { shopId, startedAt: startedAt.toISOString() },
    runAt,
  });
}

/** A job of this shop's import is waiting or running (a lease that expired still counts: it is re-run). */
async function hasLiveRun(tx: Tx, shopId: string): Promise<boolean> {
  return (await tx.job.count({ where: { kind: HISTORY_IMPORT_JOB_KIND, shopId, status: { in: ["pending", "running"] } } })) > 0;
}

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
  const fresh = { status: "running" as const, since, until, cursor: null, pages: 0, orders: 0, oldestSeen: null, newestSeen: null, error: null, startedAt: now, finishedAt: null };
  await tx.historyImport.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...fresh }, update: fresh });
  await enqueueRun(tx, shop.id, now, 0, now);
  return true;
}

/**
 * Mirrors one order of the history and refreshes its customer's figures. applyOrder marks it
 * imported when it was placed before the install (the same rule as every other path); an order
 * already mirrored keeps its flag and its newer version. Never afterOrderChanged: history must not
 * message, award points or attribute.
 */
async function applyImported(tx: Prisma.TransactionClient, shop: Pick<Shop, "id" | "installedAt">, payload: OrderPayload) {
  const { orderGid } = await applyOrder(tx, shop, payload);
  const order = await tx.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: orderGid } }, select: { id: true } });
  await orderFiguresChanged(tx, shop.id, order.id);
}

/** The import window and its progress are by creation time (the Admin API query filters on it). */
const createdAtOf = (p: OrderPayload) => p.created_at ?? p.processed_at ?? null;

function extremes(fetched: Fetched[], oldest: Date | null, newest: Date | null) {
  for (const { payload } of fetched) {
    const at = createdAtOf(payload);
    if (!at) continue;
    if (!oldest || at < oldest) oldest = at;
    if (!newest || at > newest) newest = at;
  }
  return { oldestSeen: oldest, newestSeen: newest };
}

/**
 * Runs the shop's import from its saved cursor until it is done, its time budget is used or the
 * cost bucket needs a refill (then it queues its own continuation). `startedAt` names the import
 * the job belongs to: a job of an import that was restarted since does nothing.
 */
export async function runHistoryImport(deps: HistoryImportDeps, shop: Shop, startedAt?: Date): Promise<HistoryRunResult> {
  const runStarted = Date.now();
  const budgetMs = deps.budgetMs ?? HISTORY_BUDGET_MS;
  const row = await deps.db.historyImport.findUnique({ where: { shopId: shop.id } });
  if (!row || row.status !== "running" || (startedAt && row.startedAt.getTime() !== startedAt.getTime())) {
    return { outcome: "skipped", pages: 0, orders: 0 };
  }
  const pacer = new Pacer(deps, shop, "history import", HISTORY_BUCKET_RESERVE);
  const query = createdWithinQuery(row.since, row.until);
  let { cursor, pages, orders, oldestSeen, newestSeen } = row;
  let runPages = 0;
  let runOrders = 0;

  for (;;) {
    const response = await pacer.query(HISTORY_ORDERS_QUERY, { first: ORDERS_PAGE_SIZE, after: cursor, query, items: PAGE_NESTED_ITEMS });
    const page = ordersPage.parse(response.data).orders;
    const fetched: Fetched[] = [];
    for (const raw of page.nodes) {
      const one = await wholeOrder(deps, pacer, shop, raw);
      if (one) fetched.push(one);
    }

    const finished = !page.pageInfo.hasNextPage || !page.pageInfo.endCursor;
    const waitMs = pacer.pendingWaitMs;
    const stopReason = finished ? null : deps.signal?.aborted ? "shutting down" : Date.now() - runStarted > budgetMs ? "time budget" : waitMs > HISTORY_YIELD_WAIT_MS ? "cost bucket" : null;
    const progress = {
      cursor: page.pageInfo.endCursor ?? cursor,
      pages: pages + 1,
      orders: orders + fetched.length,
      ...extremes(fetched, oldestSeen, newestSeen),
      error: null,
      ...(finished ? { status: "done" as const, finishedAt: deps.clock.now() } : {}),
    };
    // The page and the cursor after it commit together. The update only matches while the row is
    // where this run left it: if another run (a job re-run after its lease) got there first, or the
    // import was restarted, this run stops and applies nothing twice.
    const advanced = await deps.db.$transaction(async (tx) => {
      const { count } = await tx.historyImport.updateMany({
        where: { shopId: shop.id, startedAt: row.startedAt, status: "running", pages, cursor },
        data: progress,
      });
      if (count === 0) return false;
      for (const { payload } of fetched) await applyImported(tx, shop, payload);
      if (stopReason) await enqueueRun(tx, shop.id, row.startedAt, progress.pages, new Date(deps.clock.now().getTime() + waitMs));
      return true;
    });
    if (!advanced) {
      deps.log({ msg: "history import: progress moved elsewhere, this run stops", shopId: shop.id, pages });
      return { outcome: "skipped", pages: runPages, orders: runOrders };
    }
    ({ cursor, pages, orders } = progress);
    ({ oldestSeen, newestSeen } = progress);
    runPages++;
    runOrders += fetched.length;

    if (finished) {
      deps.log({ msg: "history import done", shopId: shop.id, pages, orders });
      return { outcome: "done", pages: runPages, orders: runOrders };
    }
    if (stopReason) {
      deps.log({ msg: "history import: continuing in a new job", reason: stopReason, waitMs, shopId: shop.id, pages, orders });
      return { outcome: "continued", pages: runPages, orders: runOrders };
    }
  }
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
