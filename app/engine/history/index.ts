// The order-history import (decision 010): start, run as a job, read its progress.
export { describeFailure, HISTORY_BUDGET_MS, HISTORY_IMPORT_JOB_KIND, runHistoryImport, startHistoryImport } from "./import";
export type { HistoryImportDeps, HistoryRunResult } from "./import";
export { budgetFromEnv, historyJobHandlers, HISTORY_MAX_ATTEMPTS } from "./job";
export { historyImportView } from "./view";
export { createdWithinQuery, DEFAULT_HISTORY_DAYS, grantsAllOrders, importProgress, importWindow } from "./window";
