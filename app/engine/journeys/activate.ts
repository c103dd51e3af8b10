// Turning a journey on and off. Activation enables the step flows; the planner then takes in what
// happens from now on. Past orders enter only when the merchant asks (`sendHistory`), and then only
// for the steps still ahead: a step already due is left out, never recorded as missed.
import type { Flow, Journey, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { anchorFor, orderStopReason, type OrderWithShipments } from "../flows/anchors";
import { parseConditions, unmetCondition } from "../flows/conditions";
import { createMessage, dedupeKey, dueTime, orderFacts } from "../flows/planner";
import { cancelPendingMessages } from "../messages/ledger";
import { recipientTimezone } from "../schedule/timezones";

export const JOURNEY_PAUSED_REASON = "journey paused";
/** How far back history goes: a step waits at most 180 days; deliveries come some weeks after the order. */
export const HISTORY_WINDOW_DAYS = 240;
const DAY_MS = 86_400_000;

/** Every order that could still have a step ahead, with what planning needs (imported orders never trigger mail). */
export function recentOrders(db: PrismaClient, shopId: string, since: Date): Promise<OrderWithShipments[]> {
  return db.order.findMany({
    where: { shopId, placeholder: false, imported: false, cancelledAt: null, placedAt: { gte: since } },
    include: { lineItems: true, fulfillments: true, refunds: true },
    orderBy: { placedAt: "asc" },
  });
}

/** Each step's due time for an order, or nothing while the trigger has not happened / the order is stopped. */
export function stepTimes(order: OrderWithShipments, steps: Flow[], shopTimezone: string) {
  if (orderStopReason(order)) return [];
  const timezone = recipientTimezone(order, shopTimezone);
  return steps.flatMap((flow) => {
    const anchor = anchorFor(flow.trigger, order, flow.fallbackDays);
    return anchor ? [{ flow, anchor, timezone, dueAt: dueTime(anchor, flow, timezone) }] : [];
  });
}

export async function activateJourney(
  db: PrismaClient,
  clock: Clock,
  shop: Shop,
  id: string,
  options: { sendHistory: boolean },
): Promise<{ journey: Journey; planned: number } | null> {
  const now = clock.now();
  const found = await db.journey.findFirst({ where: { id, shopId: shop.id } });
  if (!found) return null;
  const orders = options.sendHistory ? await recentOrders(db, shop.id, new Date(now.getTime() - HISTORY_WINDOW_DAYS * DAY_MS)) : [];
  return db.$transaction(
    async (tx) => {
      // Activating an active journey again keeps its start: what entered since then stays in.
      const activatedAt = found.status === "active" && found.activatedAt ? found.activatedAt : now;
      const journey = await tx.journey.update({ where: { id }, data: { status: "active", activatedAt } });
      await tx.flow.updateMany({ where: { journeyId: id, journeyStep: { not: null } }, data: { enabled: true } });
      const steps = await tx.flow.findMany({ where: { journeyId: id, journeyStep: { not: null } }, orderBy: { journeyStep: "asc" } });
      let planned = 0;
      for (const order of orders) {
        const ahead = stepTimes(order, steps, shop.timezone).filter((t) => t.dueAt > now); // history sends only what is still ahead
        if (!ahead.length) continue;
        // An old order that does not match writes nothing (no "skipped" rows for history).
        const facts = await orderFacts(tx, order);
        if (unmetCondition(parseConditions(found.conditions), facts)) continue;
        for (const { flow, anchor, timezone, dueAt } of ahead) {
          if (await tx.message.findUnique({ where: { dedupeKey: dedupeKey(shop.id, order.shopifyId, flow.key, "main") } })) continue;
          const created = await createMessage(tx, clock, { shop, order, flow, step: "main", anchor, dueAt, timezone, facts });
          if (created.status === "scheduled") planned++;
        }
      }
      return { journey, planned };
    },
    { timeout: 60_000 },
  );
}

/** Pauses a journey: its steps are disabled and what is waiting is cancelled. Null when not the shop's. */
export async function pauseJourney(db: PrismaClient, clock: Clock, shop: Pick<Shop, "id">, id: string): Promise<Journey | null> {
  return db.$transaction(async (tx) => {
    if (!(await tx.journey.findFirst({ where: { id, shopId: shop.id }, select: { id: true } }))) return null;
    const journey = await tx.journey.update({ where: { id }, data: { status: "paused" } });
    await tx.flow.updateMany({ where: { journeyId: id }, data: { enabled: false } });
    await cancelPendingMessages(tx, clock, { shopId: shop.id, flow: { journeyId: id } }, JOURNEY_PAUSED_REASON);
    return journey;
  });
}
