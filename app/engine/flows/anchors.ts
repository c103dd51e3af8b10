// When did the event a flow waits for happen? Computed from the order mirror alone, so it can
// be recomputed after every webhook and converges whatever the delivery order.
import type { Fulfillment, LineItem, Order, Refund } from "@prisma/client";
import { z } from "zod";

export type AnchorKind =
  | "order_created"
  | "order_paid"
  | "fulfilled"
  | "delivered"
  | "fallback"
  | "delay_detected"
  | "previous_send"
  | "points_approved"
  | "last_order"
  | "anniversary"
  | "tier_reached";
export interface Anchor {
  kind: AnchorKind;
  at: Date;
}

export type OrderWithShipments = Order & { lineItems: LineItem[]; fulfillments: Fulfillment[]; refunds: Refund[] };

const PAID = new Set(["paid", "partially_refunded", "refunded", "partially_paid"]);
const DEAD_FULFILLMENT = new Set(["cancelled", "error", "failure"]);
const DAY_MS = 86_400_000;

const storedQuantities = z.array(z.object({ lineItemId: z.string(), quantity: z.number() }));

/** A fulfillment's or refund's [{lineItemId, quantity}]; parsed, never cast (unreadable: none). */
function quantities(stored: unknown): { lineItemId: string; quantity: number }[] {
  const parsed = storedQuantities.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

export function liveFulfillments(order: OrderWithShipments): Fulfillment[] {
  return order.fulfillments.filter((f) => !DEAD_FULFILLMENT.has(f.status ?? ""));
}

/** Every item the customer keeps has shipped (refunded items need not ship). */
export function isFullyShipped(order: OrderWithShipments): boolean {
  const live = liveFulfillments(order);
  if (live.length === 0) return false;
  const shipped = new Map<string, number>();
  for (const f of live) for (const li of quantities(f.lineItems)) shipped.set(li.lineItemId, (shipped.get(li.lineItemId) ?? 0) + li.quantity);
  const refunded = new Map<string, number>();
  for (const r of order.refunds) for (const li of quantities(r.lineItems)) refunded.set(li.lineItemId, (refunded.get(li.lineItemId) ?? 0) + li.quantity);
  const itemsKnown = order.lineItems.length > 0 && shipped.size > 0;
  if (!itemsKnown) return order.fulfillmentStatus === "fulfilled";
  return order.lineItems.every((li) => (shipped.get(li.shopifyId) ?? 0) >= li.quantity - (refunded.get(li.shopifyId) ?? 0));
}

function latest(dates: (Date | null)[]): Date | null {
  const known = dates.filter((d): d is Date => d !== null);
  return known.length ? new Date(Math.max(...known.map((d) => d.getTime()))) : null;
}

/**
 * The anchor of each trigger, or null while it has not happened. Delivery waits for the LAST
 * shipment; without a delivery scan it falls back to `fallbackDays` after the last shipment.
 */
export function anchorFor(trigger: string, order: OrderWithShipments, fallbackDays: number | null): Anchor | null {
  if (!order.placedAt) return null;
  switch (trigger) {
    case "order_created":
      return { kind: "order_created", at: order.placedAt };
    case "win_back": // counted from the order; the step's delay includes the quiet days (journeys/input.ts)
      return { kind: "last_order", at: order.placedAt };
    case "order_paid":
      return PAID.has(order.financialStatus ?? "") ? { kind: "order_paid", at: order.placedAt } : null;
    case "fulfilled": {
      if (!isFullyShipped(order)) return null;
      const at = latest(liveFulfillments(order).map((f) => f.shopifyCreatedAt ?? f.createdAt));
      return at ? { kind: "fulfilled", at } : null;
    }
    case "delivered": {
      if (!isFullyShipped(order)) return null;
      const live = liveFulfillments(order);
      if (live.every((f) => f.deliveredAt)) return { kind: "delivered", at: latest(live.map((f) => f.deliveredAt))! };
      const shippedAt = latest(live.map((f) => f.shopifyCreatedAt ?? f.createdAt));
      if (!shippedAt || fallbackDays == null) return null;
      return { kind: "fallback", at: new Date(shippedAt.getTime() + fallbackDays * DAY_MS) };
    }
    default:
      return null; // triggers driven by other modules (delays, loyalty)
  }
}

/** Why nothing more may be sent for this order, or null. */
export function orderStopReason(order: OrderWithShipments): string | null {
  if (order.cancelledAt) return "order cancelled";
  if (order.financialStatus === "refunded" || order.financialStatus === "voided") return "order fully refunded";
  const refunded = order.refunds.reduce((sum, r) => sum + r.amountCents, 0);
  if (order.totalCents !== null && order.totalCents > 0 && refunded >= order.totalCents) return "order fully refunded";
  return null;
}
