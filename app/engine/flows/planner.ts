// Plans the messages of one order from its current mirror state. Runs in the webhook's
// transaction after every change to the order, so it must be idempotent: the dedupe key
// (shop + order + flow + step) makes scheduling twice a no-op, and a changed anchor re-plans a
// message that has not gone out yet.
import { createHash } from "node:crypto";
import type { Flow, Prisma, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { hasMarketingConsent } from "../messages/eligibility";
import { cancelPendingMessages, PENDING_STATUSES, recordEvent, transition } from "../messages/ledger";
import { nextLocalTime } from "../schedule/local-time";
import { recipientTimezone } from "../schedule/timezones";
import { anchorFor, orderStopReason, type Anchor, type OrderWithShipments } from "./anchors";
import { lineItemFacts, parseConditions, splitTags, unmetCondition, type OrderFacts } from "./conditions";
import { writtenLanguage } from "./templates";

type Tx = Prisma.TransactionClient;

/** A message found due this long ago when first planned is recorded as missed, not sent late. */
export const MAX_LATENESS_MS = 2 * 86_400_000;

export function dedupeKey(shopId: string, orderGid: string, flowKey: string, step: string) {
  return `${shopId}:${orderGid}:${flowKey}:${step}`;
}

/** Deterministic local part of the RFC 5322 Message-ID, derived from the ledger identity. */
export function messageIdLocalPart(key: string) {
  return `tl.${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

/** Deterministic holdout: the same customer is always in or out of a flow's holdout group. */
export function inHoldout(flowId: string, customerKey: string, percent: number): boolean {
  if (percent <= 0) return false;
  const bucket = createHash("sha256").update(`${flowId}:${customerKey}`).digest().readUInt32BE(0) % 100;
  return bucket < percent;
}

/** A journey's steps share one holdout group: a customer held out is held out of every step. */
export function holdoutGroup(flow: Pick<Flow, "id" | "journeyId">): string {
  return flow.journeyId ?? flow.id;
}

/** Whether an event enters a journey activated at `activatedAt`. Shopify's times are whole seconds: the activation's own second counts. */
export function afterActivation(at: Date, activatedAt: Date | null): boolean {
  return activatedAt !== null && at.getTime() >= Math.floor(activatedAt.getTime() / 1000) * 1000;
}

export function dueTime(anchor: Anchor, flow: Pick<Flow, "delayMinutes" | "sendAtLocalTime">, timezone: string): Date {
  const after = new Date(anchor.at.getTime() + flow.delayMinutes * 60_000);
  return flow.sendAtLocalTime ? nextLocalTime(after, flow.sendAtLocalTime, timezone) : after;
}

export async function orderFacts(tx: Tx, order: OrderWithShipments): Promise<OrderFacts> {
  const customer = order.customerShopifyId
    ? await tx.customer.findUnique({ where: { shopId_shopifyId: { shopId: order.shopId, shopifyId: order.customerShopifyId } } })
    : null;
  const sameCustomer = order.customerShopifyId ? { customerShopifyId: order.customerShopifyId } : order.email ? { email: order.email } : null;
  const previousOrders =
    sameCustomer && order.placedAt
      ? await tx.order.count({ where: { shopId: order.shopId, ...sameCustomer, placedAt: { lt: order.placedAt }, cancelledAt: null, id: { not: order.id } } })
      : 0;
  return {
    totalCents: order.totalCents,
    shipCountry: order.shipCountry,
    ...lineItemFacts(order.lineItems),
    productTags: null,
    collections: null,
    customerTags: splitTags(customer?.tags),
    previousOrders,
    subscribed: customer ? hasMarketingConsent(order, customer) : false,
  };
}

export async function planOrderMessages(tx: Tx, clock: Clock, shop: Shop, orderId: string) {
  const order = await tx.order.findUnique({ where: { id: orderId }, include: { lineItems: true, fulfillments: true, refunds: true } });
  if (!order || order.placeholder) return;

  const stop = orderStopReason(order);
  if (stop) {
    await cancelPendingMessages(tx, clock, { orderId: order.id }, stop);
    return;
  }

  const flows = await tx.flow.findMany({ where: { shopId: shop.id, enabled: true }, include: { journey: { select: { activatedAt: true } } } });
  const timezone = recipientTimezone(order, shop.timezone);
  let facts: OrderFacts | null = null;

  for (const flow of flows) {
    const anchor = anchorFor(flow.trigger, order, flow.fallbackDays);
    if (!anchor) continue;
    const dueAt = dueTime(anchor, flow, timezone);
    const key = dedupeKey(shop.id, order.shopifyId, flow.key, "main");
    const existing = await tx.message.findUnique({ where: { dedupeKey: key } });

    if (existing) {
      const moved = existing.anchor !== anchor.kind || existing.anchorAt.getTime() !== anchor.at.getTime();
      if (moved && PENDING_STATUSES.includes(existing.status as never)) {
        await transition(tx, clock, existing, {
          from: PENDING_STATUSES,
          to: "scheduled",
          event: "replanned",
          reason: `${anchor.kind} at ${anchor.at.toISOString()} (was ${existing.anchor} at ${existing.anchorAt.toISOString()})`,
          data: { anchor: anchor.kind, anchorAt: anchor.at, dueAt, sendAt: dueAt, timezone },
        });
      }
      continue;
    }

    // A journey takes in what happens from its activation on; history only when the merchant asks (journeys/activate.ts).
    if (flow.journey && !afterActivation(anchor.at, flow.journey.activatedAt)) continue;
    facts ??= await orderFacts(tx, order);
    await createMessage(tx, clock, { shop, order, flow, step: "main", anchor, dueAt, timezone, facts });
  }
}

/** Creates the message unless its ledger row exists already (planned before: a repeated sweep, a retried job); whether it was scheduled. */
export async function planOnce(tx: Tx, clock: Clock, m: Parameters<typeof createMessage>[2]): Promise<boolean> {
  if (await tx.message.findUnique({ where: { dedupeKey: dedupeKey(m.shop.id, m.order.shopifyId, m.flow.key, m.step) }, select: { id: true } })) return false;
  return (await createMessage(tx, clock, m)).status === "scheduled";
}

/**
 * Creates the ledger row of one intended message: scheduled, or skipped (unmet condition, found
 * too late), or held out. Callers make sure the dedupe key is new.
 */
export async function createMessage(
  tx: Tx,
  clock: Clock,
  m: { shop: Shop; order: OrderWithShipments; flow: Flow; step: string; anchor: Anchor; dueAt: Date; timezone: string; facts?: OrderFacts },
) {
  const { shop, order, flow, anchor, dueAt } = m;
  const key = dedupeKey(shop.id, order.shopifyId, flow.key, m.step);
  const facts = m.facts ?? (await orderFacts(tx, order));
  const unmet = unmetCondition(parseConditions(flow.conditions), facts);
  const customerKey = order.customerShopifyId ?? order.email ?? order.shopifyId;
  const missed = clock.now().getTime() - dueAt.getTime() > MAX_LATENESS_MS;
  const [status, reason] = unmet
    ? (["skipped", `conditions: ${unmet}`] as const)
    : missed
      ? (["skipped", `missed: was due ${dueAt.toISOString()}, before the order reached Trustloop`] as const)
      : inHoldout(holdoutGroup(flow), customerKey, flow.holdoutPercent)
        ? (["held_out", `holdout group (${flow.holdoutPercent} %)`] as const)
        : (["scheduled", null] as const);

  const locale = await writtenLanguage(
    flow,
    shop,
    order.locale,
    async (language) => (await tx.flowTemplate.count({ where: { flowId: flow.id, locale: language } })) > 0,
  );
  const created = await tx.message.create({
    data: {
      shopId: shop.id,
      orderId: order.id,
      flowId: flow.id,
      step: m.step,
      dedupeKey: key,
      category: flow.category,
      status,
      reason,
      customerShopifyId: order.customerShopifyId,
      recipient: order.email,
      timezone: m.timezone,
      locale,
      anchor: anchor.kind,
      anchorAt: anchor.at,
      dueAt,
      sendAt: dueAt,
      rfcMessageId: messageIdLocalPart(key),
      createdAt: clock.now(), // the injected clock: rollups place flow figures on the day a message was planned
    },
  });
  await recordEvent(tx, clock, created.id, status, reason);
  return created;
}
