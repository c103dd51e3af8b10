// Who is in a journey's path around now, for activation with history and the entry preview: each
// entry is an order, the ledger step it enters under ("main", or an occasion such as "year 2") and
// the due time of each step. Order triggers look at recent orders; anniversaries at the first orders
// whose anniversary falls in the window; a tier reached is a moment that cannot be replayed (none).
import type { Flow, Journey, PrismaClient, Shop } from "@prisma/client";
import type { Anchor, OrderWithShipments } from "../flows/anchors";
import { anchorFor, orderStopReason } from "../flows/anchors";
import { dueTime } from "../flows/planner";
import { recipientTimezone } from "../schedule/timezones";
import { anniversariesBetween } from "./occasions";
import { sameCustomer } from "./reorder";

const DAY_MS = 86_400_000;
/** How far back order triggers look: the longest wait plus the weeks a delivery can take. */
const DELIVERY_SLACK_DAYS = 60;

export interface StepTime {
  flow: Flow;
  anchor: Anchor;
  timezone: string;
  dueAt: Date;
}
export interface Entry {
  order: OrderWithShipments;
  step: string;
  times: StepTime[];
}

/** Each step's due time for an order, or nothing while the trigger has not happened / the order is stopped. */
export function stepTimes(order: OrderWithShipments, steps: Flow[], shopTimezone: string): StepTime[] {
  if (orderStopReason(order)) return [];
  const timezone = recipientTimezone(order, shopTimezone);
  return steps.flatMap((flow) => {
    const anchor = anchorFor(flow.trigger, order, flow.fallbackDays);
    return anchor ? [{ flow, anchor, timezone, dueAt: dueTime(anchor, flow, timezone) }] : [];
  });
}

/** Every order that could still have a step ahead, with what planning needs (imported orders never trigger mail). */
export function recentOrders(db: PrismaClient, shopId: string, since: Date): Promise<OrderWithShipments[]> {
  return db.order.findMany({
    where: { shopId, placeholder: false, imported: false, cancelledAt: null, placedAt: { gte: since } },
    include: { lineItems: true, fulfillments: true, refunds: true },
    orderBy: { placedAt: "asc" },
  });
}

/** Orders whose customer ordered again later (by customer id, else address): a journey that stops on reorder has nothing ahead for them. */
function reorderedOrders(orders: OrderWithShipments[]): Set<string> {
  const last = new Map<string, OrderWithShipments>();
  for (const order of orders) {
    const who = sameCustomer(order);
    if (who) last.set(JSON.stringify(who), order); // ascending by placedAt: the last one wins
  }
  const latest = new Set([...last.values()].map((o) => o.id));
  return new Set(orders.filter((o) => sameCustomer(o) && !latest.has(o.id)).map((o) => o.id));
}

function longestWaitDays(steps: Flow[]): number {
  return Math.ceil(Math.max(0, ...steps.map((s) => s.delayMinutes)) / 1440);
}

/** The entries whose steps fall due up to `until` (history and preview both filter the times themselves), and how many days back they were looked for. */
export async function journeyEntries(
  db: PrismaClient,
  shop: Pick<Shop, "id" | "timezone">,
  journey: Pick<Journey, "trigger" | "stopOnReorder">,
  steps: Flow[],
  now: Date,
  until: Date,
): Promise<{ entries: Entry[]; sinceDays: number }> {
  const waitDays = longestWaitDays(steps) + 1;
  if (!steps.length || journey.trigger === "tier_reached") return { entries: [], sinceDays: 0 };
  const back = new Date(now.getTime() - waitDays * DAY_MS);
  if (journey.trigger === "anniversary") {
    const found = await anniversariesBetween(db, shop, back, until);
    const entries = found.map(({ order, years, anchorAt }) => {
      const timezone = recipientTimezone(order, shop.timezone);
      const anchor: Anchor = { kind: "anniversary", at: anchorAt };
      return { order, step: `year ${years}`, times: steps.map((flow) => ({ flow, anchor, timezone, dueAt: dueTime(anchor, flow, timezone) })) };
    });
    return { entries, sinceDays: waitDays };
  }
  const orders = await recentOrders(db, shop.id, new Date(back.getTime() - DELIVERY_SLACK_DAYS * DAY_MS));
  const reordered = journey.stopOnReorder ? reorderedOrders(orders) : new Set<string>();
  const entries = orders.filter((o) => !reordered.has(o.id)).map((order) => ({ order, step: "main", times: stepTimes(order, steps, shop.timezone) }));
  return { entries, sinceDays: waitDays + DELIVERY_SLACK_DAYS };
}
