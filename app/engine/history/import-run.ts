// One run of the history import (see import.ts): the step it is at — start the export, check on
// it, or apply its file in chunks from the last committed line until done or out of budget.
import { performance } from "node:perf_hooks";
import type { HistoryImport, Prisma, Shop } from "@prisma/client";
import { z } from "zod";
import type { OrderPayload } from "../orders/payloads";
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
import { commitChunk, type ChunkThen, type FileEnd } from "./import-chunk";
import { openExportFile, type Download } from "./import-download";
import { enqueueRun } from "./import-queue";
import { createdWithinQuery } from "./window";

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

/** Same injected I/O as reconciliation (db, clock, Admin GraphQL, log, sleep, budget), plus how the bulk operation's file is fetched. */
export interface HistoryImportDeps extends ReconcileDeps {
  download?: Download;
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

/** A new export: nothing of the file applied, nothing counted (the mirror itself is idempotent). */
export const freshExport = {
  bulkOperationId: null,
  bulkStatus: null,
  exported: 0,
  lines: 0,
  bytes: 0n,
  pages: 0,
  orders: 0,
  oldestSeen: null,
  newestSeen: null,
  applyStartedAt: null,
};

/** One run of the import, at whatever step it is: start the export, check on it, or apply its file. */
export class Run {
  private readonly started = Date.now();
  private readonly pacer: Pacer;
  result: HistoryRunResult = { outcome: "continued", pages: 0, orders: 0 };

  constructor(
    private readonly deps: HistoryImportDeps,
    private readonly shop: Shop,
    private row: HistoryImport,
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
    const file = await openExportFile(op.url, this.row, this.deps.download);
    if ("refused" in file) return this.restartExport(`the export's file could not be read (HTTP ${file.refused})`);
    try {
      let chunk: OrderPayload[] = [];
      let endLine = this.row.lines;
      let endByte = Number(this.row.bytes);
      this.result.readMs = 0;
      this.result.applyMs = 0;
      let mark = performance.now();
      for await (const order of file.orders) {
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
      file.close();
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

  /** Commits the chunk with its place in the file (commitChunk); false when another run moved the import on. */
  private async commit(payloads: OrderPayload[], end: FileEnd, op: BulkOperation, then: ChunkThen): Promise<boolean> {
    const row = await commitChunk(this.deps, this.shop, this.row, payloads, end, op, then);
    if (!row) return false;
    this.row = row;
    this.result.pages++;
    this.result.orders += payloads.length;
    return true;
  }
}
