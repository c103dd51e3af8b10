// The "history.import" job: one step of the shop's import (start the bulk export, check on it, or
// apply its file), with the Admin GraphQL client the worker gives it. Throttling is waited out
// inside the run (Pacer); other failures are retried by the queue, except those that will not go
// away (access denied, an export Shopify keeps failing), which fail the import at once.
import type { ShopGraphqlRaw } from "../reconcile/orders";
import { isThrottled } from "../reconcile/orders";
import type { JobHandler } from "../queue/jobs";
import { failHistoryImport, noteHistoryRetry, runHistoryImport } from "./import";
import { HISTORY_IMPORT_JOB_KIND, historyJobPayload } from "./import-queue";
import type { HistoryImportDeps } from "./import-run";

/** After this many failed tries of one run (~8 minutes of queue backoff) the import is marked failed. */
export const HISTORY_MAX_ATTEMPTS = 5;

/** TRUSTLOOP_HISTORY_BUDGET_MS: a positive number of milliseconds, else the default. */
export function budgetFromEnv(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** TRUSTLOOP_HISTORY_CHUNK: a positive whole number of orders per transaction, else the default. */
export function chunkFromEnv(value: string | undefined): number | undefined {
  const n = budgetFromEnv(value);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/** Errors the Admin API client marks as not worth retrying (4xx, GraphQL errors such as ACCESS_DENIED). */
function isPermanent(error: unknown): boolean {
  return !isThrottled(error) && (error as { retryable?: unknown } | null)?.retryable === false;
}

export function historyJobHandlers(
  graphql: ShopGraphqlRaw,
  options: Pick<HistoryImportDeps, "budgetMs" | "sleep" | "download" | "chunkSize"> = {},
): Record<string, JobHandler> {
  return {
    [HISTORY_IMPORT_JOB_KIND]: async (job, { db, clock, log, signal }) => {
      // Stored payloads may predate this code: parse, never cast.
      const { shopId, startedAt: startedIso } = historyJobPayload.parse(job.payload);
      const startedAt = new Date(startedIso);
      const shop = await db.shop.findUnique({ where: { id: shopId } });
      if (!shop || shop.status !== "installed") {
        log({ msg: "history import skipped: shop not installed", shopId });
        return;
      }
      try {
        const result = await runHistoryImport({ db, clock, graphql, log, signal, ...options }, shop, startedAt);
        log({
          msg: "history import run",
          shopId,
          ...result,
          ...(result.readMs !== undefined ? { readMs: Math.round(result.readMs), applyMs: Math.round(result.applyMs ?? 0) } : {}),
        });
      } catch (error) {
        const message = error instanceof Error ? error.message.split(": {")[0] : String(error);
        if (isPermanent(error) || job.attempts >= HISTORY_MAX_ATTEMPTS) {
          await failHistoryImport(db, clock, shopId, startedAt, error);
          log({ msg: "history import failed", level: "error", shopId, attempt: job.attempts, error: message });
          return;
        }
        await noteHistoryRetry(db, shopId, startedAt, error);
        throw error;
      }
    },
  };
}
