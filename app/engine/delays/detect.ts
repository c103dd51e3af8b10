// Shipping-delay detection. Three causes, one incident (and one notice) per order per cause:
//   not_shipped       still unfulfilled N business days after the order (shop timezone, weekends
//                     and shop holidays skipped; domestic and international thresholds);
//   late_in_transit   a shipment not delivered M days after the carrier's estimated delivery;
//   carrier_exception a carrier event "delayed", "failure" or "attempted_delivery" (webhook-driven).
// A partially fulfilled order is judged on what is still open.
import type { DelayCause, DelaySettings, Prisma, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { isFullyShipped, liveFulfillments, orderStopReason, type OrderWithShipments } from "../flows/anchors";
import { createMessage, dedupeKey } from "../flows/planner";
import { addBusinessDays } from "../schedule/local-time";
import { recipientTimezone } from "../schedule/timezones";
import { storedStrings } from "../util/stored-json";
import { touchDays } from "../dashboard/touch";
import { delayDetectedEvent } from "../flow/payloads";
import { recordFlowTrigger } from "../flow/triggers";
import { lockRow, retryingTransaction } from "../util/locks";

type Tx = Prisma.TransactionClient;

export type { DelayCause };
export const CARRIER_EXCEPTIONS = new Set(["delayed", "failure", "attempted_delivery"]);
const DAY_MS = 86_400_000;

export const DELAY_DEFAULTS = {
  notShippedDomesticDays: 3,
  notShippedInternationalDays: 5,
  lateInTransitDays: 1,
  holidays: [],
} as const;

export function isDelivered(order: OrderWithShipments): boolean {
  const live = liveFulfillments(order);
  return isFullyShipped(order) && live.length > 0 && live.every((f) => f.deliveredAt);
}

function holidays(settings: Pick<DelaySettings, "holidays"> | null): string[] {
  return storedStrings(settings?.holidays ?? []);
}

/** When an unfulfilled order counts as late, and the threshold used (null: cannot be judged yet). */
export function notShippedDeadline(order: OrderWithShipments, shop: Pick<Shop, "timezone" | "countryCode">, settings: DelaySettings | null) {
  if (!order.placedAt) return null;
  const domestic = !shop.countryCode || !order.shipCountry || order.shipCountry === shop.countryCode;
  const days = domestic
    ? (settings?.notShippedDomesticDays ?? DELAY_DEFAULTS.notShippedDomesticDays)
    : (settings?.notShippedInternationalDays ?? DELAY_DEFAULTS.notShippedInternationalDays);
  return { at: addBusinessDays(order.placedAt, days, shop.timezone, holidays(settings)), days, domestic };
}

/** The causes that apply to this order now (carrier exceptions come from webhooks, not from here). */
export function scheduledCauses(order: OrderWithShipments, shop: Pick<Shop, "timezone" | "countryCode">, settings: DelaySettings | null, now: Date) {
  if (order.placeholder || orderStopReason(order) || isDelivered(order)) return [];
  const found: { cause: DelayCause; detail: string; fulfillmentId?: string; expectedAt?: Date | null }[] = [];
  const deadline = notShippedDeadline(order, shop, settings);
  if (!isFullyShipped(order) && deadline && now >= deadline.at) {
    found.push({
      cause: "not_shipped",
      detail: `not shipped ${deadline.days} business days after the order (${deadline.domestic ? "domestic" : "international"})`,
    });
  }
  const lateDays = settings?.lateInTransitDays ?? DELAY_DEFAULTS.lateInTransitDays;
  for (const f of liveFulfillments(order)) {
    if (f.deliveredAt || !f.estimatedDeliveryAt) continue;
    if (now.getTime() >= f.estimatedDeliveryAt.getTime() + lateDays * DAY_MS) {
      found.push({ cause: "late_in_transit", detail: `expected ${f.estimatedDeliveryAt.toISOString().slice(0, 10)}, not delivered`, fulfillmentId: f.id });
      break;
    }
  }
  return found;
}

/** Opens the incident (once per order and cause) and schedules the notice of the delay flow. */
export async function openIncident(
  tx: Tx,
  clock: Clock,
  shop: Shop,
  order: OrderWithShipments,
  incident: { cause: DelayCause; detail: string; fulfillmentId?: string | null; expectedAt?: Date | null },
) {
  if (order.imported) return null; // history feeds the dashboard only: no incident, code or notice
  await lockRow(tx, "Order", order.id); // the webhook path and the periodic scan open it once
  const existing = await tx.delayIncident.findUnique({ where: { orderId_cause: { orderId: order.id, cause: incident.cause } } });
  if (existing) return null;
  const created = await tx.delayIncident.create({
    data: { shopId: shop.id, orderId: order.id, ...incident, detectedAt: clock.now() },
  });
  await touchDays(tx, created.shopId, created.detectedAt);
  const flow = await tx.flow.findFirst({ where: { shopId: shop.id, key: "shipping_delay", enabled: true } });
  let notice: { status: string } | null = null;
  if (flow && !(await tx.message.findUnique({ where: { dedupeKey: dedupeKey(shop.id, order.shopifyId, flow.key, incident.cause) } }))) {
    const now = clock.now();
    notice = await createMessage(tx, clock, {
      shop,
      order,
      flow,
      step: incident.cause,
      anchor: { kind: "delay_detected", at: now },
      dueAt: new Date(now.getTime() + flow.delayMinutes * 60_000),
      timezone: recipientTimezone(order, shop.timezone),
    });
  }
  // A notice to prepare carries the trigger with its apology code (notice.ts); without one, now.
  if (notice?.status !== "scheduled") await recordFlowTrigger(tx, delayDetectedEvent(created, order, ""), clock);
  return created;
}

/** Webhook path: a carrier event on one of the order's shipments. */
export async function detectCarrierException(
  tx: Tx,
  clock: Clock,
  shop: Shop,
  orderId: string,
  event: { status: string; fulfillmentId: string; estimatedDeliveryAt?: Date | null },
) {
  if (!CARRIER_EXCEPTIONS.has(event.status)) return null;
  const order = await tx.order.findUnique({ where: { id: orderId }, include: { lineItems: true, fulfillments: true, refunds: true } });
  if (!order || order.placeholder || orderStopReason(order) || isDelivered(order)) return null;
  return openIncident(tx, clock, shop, order, {
    cause: "carrier_exception",
    detail: `carrier reported ${event.status.replace(/_/g, " ")}`,
    fulfillmentId: event.fulfillmentId,
    expectedAt: event.estimatedDeliveryAt ?? null,
  });
}

/** Periodic path: every installed shop's open orders, judged against its thresholds. */
export async function detectDelays(db: PrismaClient, clock: Clock): Promise<number> {
  const now = clock.now();
  let opened = 0;
  const shops = await db.shop.findMany({ where: { status: "installed" }, include: { delaySettings: true } });
  for (const shop of shops) {
    const candidates = await db.order.findMany({
      where: {
        shopId: shop.id,
        placeholder: false,
        imported: false,
        cancelledAt: null,
        placedAt: { gt: new Date(now.getTime() - 60 * DAY_MS), lt: new Date(now.getTime() - DAY_MS) },
        NOT: { financialStatus: { in: ["refunded", "voided"] } },
      },
      include: { lineItems: true, fulfillments: true, refunds: true, incidents: { select: { cause: true } } },
    });
    for (const order of candidates) {
      const known = new Set(order.incidents.map((i) => i.cause));
      for (const found of scheduledCauses(order, shop, shop.delaySettings, now)) {
        if (known.has(found.cause)) continue;
        const created = await retryingTransaction(db, (tx) => openIncident(tx, clock, shop, order, found));
        if (created) opened++;
      }
    }
  }
  return opened;
}

/** Incidents close when the order is delivered, cancelled or refunded (for the Delays page). */
export async function resolveIncidents(tx: Tx, clock: Clock, order: OrderWithShipments) {
  const done = isDelivered(order) || orderStopReason(order) !== null;
  const shippedNow = isFullyShipped(order);
  const where: Prisma.DelayIncidentWhereInput = {
    orderId: order.id,
    resolvedAt: null,
    ...(done ? {} : shippedNow ? { cause: "not_shipped" } : { id: "none" }),
  };
  const resolving = await tx.delayIncident.findMany({ where, select: { detectedAt: true } });
  await tx.delayIncident.updateMany({ where, data: { resolvedAt: clock.now() } });
  await touchDays(tx, order.shopId, ...resolving.map((i) => i.detectedAt));
}
