/**
 * An Admin API failure worth another try later: throttled, 5xx, timed out or unreachable. An
 * AdminApiError (the worker's client) says so itself; other errors are judged by name and message.
 */
export function isRetryableAdminError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { retryable?: unknown; name?: unknown; message?: unknown };
  if (typeof e.retryable === "boolean") return e.retryable; // AdminApiError
  if (e.name === "AbortError" || e.name === "TimeoutError") return true;
  return typeof e.message === "string" && /THROTTLED|fetch failed|ECONNRESET|ETIMEDOUT|socket hang up/i.test(e.message);
}
