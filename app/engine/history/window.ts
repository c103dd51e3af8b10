// Which orders the history import asks for, and how far it has got. Pure: no I/O.

/** Shopify lists only the last 60 days of orders to apps without `read_all_orders`. */
export const DEFAULT_HISTORY_DAYS = 60;
const DAY_MS = 86_400_000;

/** True when the shop granted `read_all_orders` (Shop.scopes is Shopify's comma-separated list). */
export function grantsAllOrders(scopes: string | null | undefined): boolean {
  return (scopes ?? "")
    .split(",")
    .map((s) => s.trim())
    .includes("read_all_orders");
}

/** The orders to import: created up to `until` (the install), from 60 days before it unless all history is granted. */
export function importWindow(until: Date, scopes: string | null | undefined): { since: Date | null; until: Date } {
  return { since: grantsAllOrders(scopes) ? null : new Date(until.getTime() - DEFAULT_HISTORY_DAYS * DAY_MS), until };
}

const searchTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Shopify search syntax for orders created inside the window (both ends included). */
export function createdWithinQuery(since: Date | null, until: Date): string {
  const upTo = `created_at:<='${searchTime(until)}'`;
  return since ? `created_at:>='${searchTime(since)}' ${upTo}` : upTo;
}

/**
 * Share of the import done so far (0–1): orders applied of the window's total when it is known
 * (the bulk export counts it first); else how far back the oldest order seen reaches into the
 * window (orders come newest first). Null when neither can tell (all history, not counted yet).
 */
export function importProgress(view: {
  status: string;
  since: string | null;
  until: string;
  oldestSeen: string | null;
  orders?: number;
  total?: number | null;
}): number | null {
  if (view.status === "done") return 1;
  if (view.total != null && view.orders != null) return view.total > 0 ? Math.min(1, view.orders / view.total) : 0;
  if (!view.since) return null;
  const since = Date.parse(view.since);
  const until = Date.parse(view.until);
  if (!(until > since)) return null;
  if (!view.oldestSeen) return 0;
  return Math.min(1, Math.max(0, (until - Date.parse(view.oldestSeen)) / (until - since)));
}
