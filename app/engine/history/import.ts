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
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import type { Prisma, PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { type DayMarks, ordersFiguresChanged } from "../dashboard/customer-stats";
import { touchDays } from "../dashboard/touch";
import { applyOrderChunk } from "../orders/mirror-chunk";
import type { OrderPayload } from "../orders/payloads";
import { enqueueJob } from "../queue/jobs";
import { lockRow } from "../util/locks";
import { loggableIssues } from "../util/loggable";
import { toOrderPayload } from "../reconcile/graphql-order";
import { Pacer, type ReconcileDeps } from "../reconcile/orders";
import {
  bulkOrdersQuery,
  countAnswer,
  CURRENT_BULK_OPERATION,
  currentAnswer,
  ORDERS_COUNT,
  POLL_BULK_OPERATION,
  pollAnswer,
  RUN_BULK_QUERY,
  runAnswer,
  WORKING,
  type BulkOperation,
} from "./bulk-query";
import { fileLines, readOrders } from "./jsonl";

/** Where the applied part of the file ends: its line count, and the byte after that line. */
interface FileEnd {
  endLine: number;
  endByte: number;
}
import { createdWithinQuery, importWindow } from "./window";

type Tx = Prisma.TransactionClient | PrismaClient;
type ImportRow = NonNullable<Awaited<ReturnType<PrismaClient["historyImport"]["findUnique"]>>>;

export const HISTORY_IMPORT_JOB_KIND = "history.import";
/** A run stops starting chunks after this long, so the worker's other work (message dispatch) keeps flowing. */
export const HISTORY_BUDGET_MS = 30_000;
/** How long after a status check the next one runs while Shopify builds the file. */
export const HISTORY_POLL_MS = 3_000;
/** Orders applied per transaction (each chunk commits with its place in the file). */
export const HISTORY_CHUNK = 500;
/** Exports started again (a transient failure on Shopify's side, an expired file) before the import fails. */
export const HISTORY_MAX_RESTARTS = 3;
/** Points of the cost bucket the import leaves to the app's own calls (apology codes, metafields) while it runs. */
export const HISTORY_BUCKET_RESERVE = 300;

/**
 * Same injected I/O as reconciliation (db, clock, Admin GraphQL, log, sleep, budget), plus how the
 * bulk operation's file is fetched (default: fetch; the file's URL is signed, no token goes with it).
 */
export interface HistoryImportDeps extends ReconcileDeps {
  download?: (url: string, signal?: AbortSignal, fromByte?: number) => Promise<Response>;
  /** Orders per transaction (default HISTORY_CHUNK). */
  chunkSize?: number;
}

export interface HistoryRunResult {
  /** What the run did: imported the last chunk, stopped early (its continuation is queued), or found nothing to do. */
  outcome: "done" | "continued" | "skipped";
  pages: number;
  orders: number;
  /** Milliseconds spent reading the file (download, JSON, validation) and applying chunks (their transactions): what bounds the run. */
  readMs?: number;
  applyMs?: number;
}

/** A failure that retrying the same step will not mend (the job fails the import at once with it). */
export class HistoryImportError extends Error {
  readonly retryable = false;
}

export const historyJobPayload = z.object({ shopId: z.string(), startedAt: z.string() });

function enqueueRun(tx: Tx, shopId: string, startedAt: Date, step: string, runAt: Date) {
  // One key per import and step: a continuation is never mistaken for an earlier run.
  return enqueueJob(tx, {
    kind: HISTORY_IMPORT_JOB_KIND,
    key: `${shopId}:${startedAt.getTime()}:${step}`,
    shopId,
    payload: { shopId, startedAt: startedAt.toISOString() },
    runAt,
  });
}

/** A job of this shop's import is waiting or running (a lease that expired still counts: it is re-run). */
async function hasLiveRun(tx: Tx, shopId: string): Promise<boolean> {
  return (await tx.job.count({ where: { kind: HISTORY_IMPORT_JOB_KIND, shopId, status: { in: ["pending", "running"] } } })) > 0;
}

/** A new export: nothing of the file applied, nothing counted (the mirror itself is idempotent). */
const freshExport = { bulkOperationId: null, bulkStatus: null, exported: 0, lines: 0, bytes: 0n, pages: 0, orders: 0, oldestSeen: null, newestSeen: null, applyStartedAt: null };

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

/** One run of the import, at whatever step it is: start the export, check on it, or apply its file. */
class Run {
  private readonly started = Date.now();
  private readonly pacer: Pacer;
  result: HistoryRunResult = { outcome: "continued", pages: 0, orders: 0 };

  constructor(
    private readonly deps: HistoryImportDeps,
    private readonly shop: Shop,
    private row: ImportRow,
  ) {
    this.pacer = new Pacer(deps, shop, "history import", HISTORY_BUCKET_RESERVE);
  }

  private get log() {
    return this.deps.log;
  }

  private get budgetSpent() {
    return this.deps.signal?.aborted || Date.now() - this.started > (this.deps.budgetMs ?? HISTORY_BUDGET_MS);
  }

  private later(ms = HISTORY_POLL_MS) {
    return new Date(this.deps.clock.now().getTime() + ms);
  }

  /**
   * Moves the row on from where this run read it (the step counter guards it: a job re-run after
   * its lease, or a restart, that got there first makes this run stop) and queues the next step.
   */
  private async step(data: Prisma.HistoryImportUpdateManyMutationInput, next: Date | null): Promise<boolean> {
    const { shopId, startedAt, polls } = this.row;
    return this.deps.db.$transaction(async (tx) => {
      const { count } = await tx.historyImport.updateMany({ where: { shopId, startedAt, status: "running", polls }, data: { ...data, polls: polls + 1 } });
      if (count === 0) return false;
      if (next) await enqueueRun(tx, shopId, startedAt, `poll:${polls + 1}`, next);
      return true;
    });
  }

  private moved() {
    this.log({ msg: "history import: progress moved elsewhere, this run stops", shopId: this.shop.id });
    this.result.outcome = "skipped";
    return this.result;
  }

  async run(): Promise<HistoryRunResult> {
    if (!this.row.bulkOperationId) return this.startExport();
    const answer = await this.pacer.query(POLL_BULK_OPERATION, { id: this.row.bulkOperationId });
    const op = pollAnswer.parse(answer.data).node;
    if (!op) return this.restartExport("the export is gone");
    if (WORKING.has(op.status)) {
      const moved = await this.step({ bulkStatus: op.status, exported: op.rootObjectCount ?? 0 }, this.later());
      return moved ? this.result : this.moved();
    }
    if (op.status === "COMPLETED") return this.applyFile(op);
    // FAILED, CANCELED, EXPIRED: access refused will not mend; anything else is worth a new export.
    if (op.errorCode === "ACCESS_DENIED") throw new HistoryImportError("Bulk operation failed: ACCESS_DENIED");
    return this.restartExport(`the export ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`);
  }

  private async startExport(): Promise<HistoryRunResult> {
    const search = createdWithinQuery(this.row.since, this.row.until);
    const query = bulkOrdersQuery(search);
    const counted = countAnswer.parse((await this.pacer.query(ORDERS_COUNT, { query: search })).data).ordersCount?.count ?? null;
    const started = runAnswer.parse((await this.pacer.query(RUN_BULK_QUERY, { query })).data).bulkOperationRunQuery;
    let op: { id: string; status: string } | null = started.bulkOperation ?? null;
    if (!op) {
      const message = started.userErrors.map((e) => e.message).join("; ");
      if (!/in progress/i.test(message)) throw new HistoryImportError(`Bulk operation refused: ${message}`);
      // One bulk query at a time per shop and app. Ours (a run that crashed before recording it)
      // is adopted; another one is waited for.
      const current = currentAnswer.parse((await this.pacer.query(CURRENT_BULK_OPERATION, {})).data).currentBulkOperation;
      if (current?.query?.trim() !== query.trim()) {
        this.log({ msg: "history import: another bulk operation is running, waiting for it", shopId: this.shop.id });
        const moved = await this.step({ error: "Waiting for another export of this shop's data to finish." }, this.later());
        return moved ? this.result : this.moved();
      }
      op = current;
    }
    const moved = await this.step({ bulkOperationId: op.id, bulkStatus: op.status, total: counted, error: null }, this.later());
    if (!moved) return this.moved();
    this.log({ msg: "history import: export started", shopId: this.shop.id, bulkOperationId: op.id, total: counted });
    return this.result;
  }

  /** A new export of the same window, from the start of its file (bounded: a persistent failure fails the import). */
  private async restartExport(reason: string): Promise<HistoryRunResult> {
    if (this.row.restarts >= HISTORY_MAX_RESTARTS) throw new HistoryImportError(`The export failed ${this.row.restarts + 1} times: ${reason}`);
    this.log({ msg: "history import: starting the export again", reason, shopId: this.shop.id, restarts: this.row.restarts + 1 });
    const moved = await this.step({ ...freshExport, restarts: this.row.restarts + 1, error: `Exporting again: ${reason}` }, this.later(0));
    return moved ? this.result : this.moved();
  }

  private async applyFile(op: BulkOperation): Promise<HistoryRunResult> {
    if (!op.url) return this.finish(op, { endLine: this.row.lines, endByte: Number(this.row.bytes) }, []); // an empty window: no file
    const controller = new AbortController();
    // A run that resumes asks for the rest of the file only (`Range`, as Shopify's file storage
    // serves it); a server that sends the whole file anyway is read from the start, skipping the applied lines.
    const from = this.row.lines > 0 ? Number(this.row.bytes) : 0;
    const download = this.deps.download ?? ((url, signal, fromByte) => fetch(url, { signal, headers: fromByte ? { range: `bytes=${fromByte}-` } : {} }));
    let response = await download(op.url, controller.signal, from || undefined);
    // Nothing left after that byte (only line breaks were): the whole file, skipping the applied lines.
    if (from > 0 && response.status === 416) response = await download(op.url, controller.signal);
    // A signed URL that expired (or a file that is gone) answers 4xx: export again.
    if (response.status >= 400 && response.status < 500) return this.restartExport(`the export's file could not be read (HTTP ${response.status})`);
    if (!response.ok || !response.body) throw new Error(`Downloading the export failed: HTTP ${response.status}`);
    const ranged = from > 0 && response.status === 206;
    if (ranged && !response.headers.get("content-range")?.startsWith(`bytes ${from}-`)) throw new Error(`Downloading the export failed: asked for the file from byte ${from}, got ${response.headers.get("content-range")}`);
    const input = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
    const lines = fileLines(input, ranged ? from : 0);
    try {
      let chunk: OrderPayload[] = [];
      let endLine = this.row.lines;
      let endByte = Number(this.row.bytes);
      this.result.readMs = 0;
      this.result.applyMs = 0;
      let mark = performance.now();
      for await (const order of readOrders(lines, ranged ? 0 : this.row.lines, ranged ? this.row.lines : 0)) {
        const payload = this.payloadOf(order.node);
        if (payload) chunk.push(payload);
        endLine = order.endLine;
        endByte = order.endByte ?? endByte;
        if (chunk.length < (this.deps.chunkSize ?? HISTORY_CHUNK)) continue;
        const stop = this.budgetSpent;
        const read = performance.now();
        this.result.readMs += read - mark;
        if (!(await this.commit(chunk, { endLine, endByte }, op, stop ? "continue" : "more"))) return this.moved();
        mark = performance.now();
        this.result.applyMs += mark - read;
        chunk = [];
        if (stop) {
          const reason = this.deps.signal?.aborted ? "shutting down" : "time budget";
          this.log({ msg: "history import: continuing in a new job", reason, shopId: this.shop.id, pages: this.row.pages, orders: this.row.orders });
          return this.result;
        }
      }
      const read = performance.now();
      this.result.readMs += read - mark;
      const finished = await this.finish(op, { endLine, endByte }, chunk);
      this.result.applyMs += performance.now() - read;
      return finished;
    } finally {
      input.destroy();
      controller.abort();
    }
  }

  /** The order's payload; one that does not validate is logged (its id only) and skipped: one odd order must not stop the import. */
  private payloadOf(node: Record<string, unknown>): OrderPayload | null {
    try {
      return toOrderPayload(node);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      const orderGid = typeof node.id === "string" ? node.id : null;
      this.log({ msg: "history import: order skipped", level: "warn", shopId: this.shop.id, orderGid, issues: loggableIssues(error) });
      return null;
    }
  }

  private async finish(op: BulkOperation, end: FileEnd, chunk: OrderPayload[]): Promise<HistoryRunResult> {
    if (!(await this.commit(chunk, end, op, "done"))) return this.moved();
    this.log({ msg: "history import done", shopId: this.shop.id, pages: this.row.pages, orders: this.row.orders });
    this.result.outcome = "done";
    return this.result;
  }

  /**
   * A chunk and the file line it ends at commit together. The update only matches while the row is
   * where this run left it (same export, same line): a job re-run after its lease, or a restart,
   * that got there first makes this run stop — nothing is applied or counted twice.
   */
  private async commit(payloads: OrderPayload[], { endLine, endByte }: FileEnd, op: BulkOperation, then: "more" | "continue" | "done"): Promise<boolean> {
    const { shopId, startedAt, lines, bulkOperationId } = this.row;
    const now = this.deps.clock.now();
    const progress = {
      bulkStatus: op.status,
      exported: op.rootObjectCount ?? this.row.exported,
      lines: endLine,
      bytes: BigInt(endByte),
      pages: this.row.pages + 1,
      orders: this.row.orders + payloads.length,
      ...extremes(payloads, this.row.oldestSeen, this.row.newestSeen),
      applyStartedAt: this.row.applyStartedAt ?? now,
      error: null,
      ...(then === "done" ? { status: "done" as const, finishedAt: now } : {}),
    };
    const applied = await this.deps.db.$transaction(
      async (tx) => {
        const { count } = await tx.historyImport.updateMany({ where: { shopId, startedAt, status: "running", bulkOperationId, lines }, data: progress });
        if (count === 0) return false;
        const marks: DayMarks = [];
        await applyImported(tx, this.shop, payloads, marks);
        await touchDays(tx, shopId, ...marks);
        if (then === "continue") await enqueueRun(tx, shopId, startedAt, `line:${endLine}`, now);
        return true;
      },
      { timeout: 120_000 },
    );
    if (!applied) return false;
    this.row = { ...this.row, ...progress };
    this.result.pages++;
    this.result.orders += payloads.length;
    return true;
  }
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
