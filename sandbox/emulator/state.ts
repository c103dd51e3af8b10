// In-memory state of the Admin API emulator: shops and their resources, issued tokens, the clock,
// id allocation and the record of Admin API calls. Money is kept in integer cents (types in ./types).

export type * from "./types";
import type { AccessToken, AdminCall, BulkErrorCode, BulkOperation, LineItem, Order, ShopState } from "./types";

// Id ranges, all far below 2^53 so JSON.parse never loses precision.
const ID_BASES = {
  shop: 60_010_000,
  order: 5_401_000_000,
  customer: 6_201_000_000,
  product: 7_101_000_000,
  variant: 4_301_000_000,
  lineItem: 1_301_000_000,
  fulfillment: 4_801_000_000,
  fulfillmentEvent: 3_901_000_000,
  refund: 8_801_000_000,
  refundLineItem: 8_901_000_000,
  transaction: 9_901_000_000,
  discount: 1_101_000_000,
  redeemCode: 1_201_000_000,
  metafield: 2_201_000_000,
  bulkOperation: 3_101_000_000,
} as const;
export type IdKind = keyof typeof ID_BASES;

export interface ThrottleBucket {
  maximumAvailable: number;
  restoreRate: number;
  available: number;
  /** Date.now() of the last refill. */
  at: number;
}

export class EmulatorState {
  clockOffsetMs = 0;
  readonly shops = new Map<string, ShopState>();
  readonly tokens = new Map<string, AccessToken>();
  adminCalls: AdminCall[] = [];
  /** GraphQL cost buckets per shop (real time, as Shopify's leaky bucket); defaults in graphql-http.ts. */
  readonly throttle = new Map<string, ThrottleBucket>();
  /** Bulk query operations (bulk.ts), every shop's, oldest first. */
  readonly bulkOperations: BulkOperation[] = [];
  /** The next bulk operation of a shop ends FAILED with this code (set through the control API). */
  readonly bulkFailures = new Map<string, BulkErrorCode>();
  private counters = new Map<IdKind, number>();

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** Current emulator time, ISO 8601 with second precision (as Shopify's timestamps). */
  nowIso(): string {
    return toIsoSeconds(this.now());
  }

  /** A timestamp strictly after `previous` and not before now: keeps updated_at increasing per resource. */
  nextUpdatedAt(previous: string | null | undefined): string {
    const now = Math.floor(this.now().getTime() / 1000) * 1000;
    const prev = previous ? Date.parse(previous) : -Infinity;
    return toIsoSeconds(new Date(Math.max(now, prev + 1000)));
  }

  nextId(kind: IdKind): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return ID_BASES[kind] + n;
  }

  shop(domain: string): ShopState | undefined {
    return this.shops.get(domain);
  }
}

export function toIsoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Accepts "5401000001", 5401000001 or "gid://shopify/Order/5401000001". */
export function parseId(value: unknown): number | null {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value !== "string") return null;
  const m = /(\d+)(?:\?.*)?$/.exec(value.trim());
  return m ? Number(m[1]) : null;
}

export function centsToAmount(cents: number): string {
  return (cents / 100).toFixed(2);
}

export function amountToCents(amount: unknown): number | null {
  const n = typeof amount === "number" ? amount : typeof amount === "string" ? Number(amount) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : null;
}

export { mulberry32 } from "../../app/engine/util/random";
export { DAY_MS as DAY, HOUR_MS as HOUR } from "../../app/engine/util/durations";

/** Line items before discounts (total_line_items_price). */
export const orderLineItemsCents = (o: Order): number => o.lineItems.reduce((sum, li) => sum + li.priceCents * li.quantity, 0);

export const orderDiscountCents = (o: Order): number => (o.discountCodes ?? []).reduce((sum, d) => sum + d.amountCents, 0);

/** What the customer paid: line items less discount codes. */
export const orderTotalCents = (o: Order): number => orderLineItemsCents(o) - orderDiscountCents(o);

/** The order's confirmation number (REST `confirmation_number`, GraphQL `confirmationNumber`). */
export const orderConfirmationNumber = (o: Order): string => o.token.slice(0, 9).toUpperCase();

export const orderRefundedCents = (o: Order): number => o.refunds.reduce((sum, r) => sum + r.amountCents, 0);

/** Quantity of a line item not yet in a (non-cancelled) fulfillment. */
export function unfulfilledQuantity(o: Order, li: LineItem): number {
  const done = o.fulfillments
    .filter((f) => f.status === "success")
    .flatMap((f) => f.lineItems)
    .filter((x) => x.lineItemId === li.id)
    .reduce((sum, x) => sum + x.quantity, 0);
  return Math.max(0, li.quantity - done);
}

export function fulfillmentStatusOf(o: Order): "fulfilled" | "partial" | null {
  const remaining = o.lineItems.reduce((sum, li) => sum + unfulfilledQuantity(o, li), 0);
  const total = o.lineItems.reduce((sum, li) => sum + li.quantity, 0);
  if (remaining === 0 && total > 0) return "fulfilled";
  return remaining < total ? "partial" : null;
}
