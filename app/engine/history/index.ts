// The order-history import (decision 010): start, run as a job, read its progress.
export { describeFailure, runHistoryImport, startHistoryImport } from "./import";
export { HISTORY_IMPORT_JOB_KIND } from "./import-queue";
export { HISTORY_BUDGET_MS, HISTORY_CHUNK, HISTORY_POLL_MS } from "./import-run";
export type { HistoryImportDeps, HistoryRunResult } from "./import-run";
export { budgetFromEnv, chunkFromEnv, historyJobHandlers, HISTORY_MAX_ATTEMPTS } from "./job";
export { historyImportView, secondsLeft } from "./view";
export { createdWithinQuery, DEFAULT_HISTORY_DAYS, grantsAllOrders, importProgress, importWindow } from "./window";
