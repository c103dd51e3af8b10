// The order-history import (decision 010): start, run as a job, read its progress.
export { describeFailure, HISTORY_BUDGET_MS, HISTORY_CHUNK, HISTORY_IMPORT_JOB_KIND, HISTORY_POLL_MS, runHistoryImport, startHistoryImport } from "./import";
export type { HistoryImportDeps, HistoryRunResult } from "./import";
export { budgetFromEnv, chunkFromEnv, historyJobHandlers, HISTORY_MAX_ATTEMPTS } from "./job";
export { historyImportView, secondsLeft } from "./view";
export { createdWithinQuery, DEFAULT_HISTORY_DAYS, grantsAllOrders, importProgress, importWindow } from "./window";
