// One page of a shop's orders for the console: newest first, optionally narrowed by a search: the
// order number (with or without "#", exact) or id, or part of the customer's email. After the demo's history
// import a shop has thousands of orders; the console shows a page of them, not all.
import type { OrderSummary } from "./emulator";

export interface OrderPageQuery {
  q: string;
  limit: number;
  offset: number;
}

export const MAX_PAGE = 100;

/** The query from `?q=&limit=&offset=`; null when no `limit` is given (the whole list is wanted). */
export function orderPageQuery(params: URLSearchParams): OrderPageQuery | null {
  const limit = params.get("limit");
  if (limit === null) return null;
  const whole = (value: string | null, fallback: number) => (value !== null && /^\d+$/.test(value) ? Number(value) : fallback);
  return { q: (params.get("q") ?? "").trim().toLowerCase(), limit: Math.min(MAX_PAGE, Math.max(1, whole(limit, 20))), offset: whole(params.get("offset"), 0) };
}

export function orderPage(orders: OrderSummary[], query: OrderPageQuery): { orders: OrderSummary[]; total: number } {
  const term = query.q.replace(/^#/, "");
  const matching = term
    ? orders.filter((o) => o.name.toLowerCase().replace(/^#/, "") === term || o.id === term || o.email.toLowerCase().includes(term))
    : orders;
  const newestFirst = [...matching].reverse();
  return { orders: newestFirst.slice(query.offset, query.offset + query.limit), total: matching.length };
}
