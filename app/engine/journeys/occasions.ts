// Journeys started by something about the customer rather than an order event (decision 045):
// the anniversary of their first order, planned by a sweep shortly before each anniversary, and a
// loyalty tier reached, planned by the points ledger in the transaction that raised the tier. Each
// occasion is anchored on an order (the first one, the one that raised the tier) so the ledger,
// re-checks and timeline work as for every flow; the ledger step names the occasion ("year 2",
// "tier Gold"), so each fires once.
import type { Flow, Prisma, PrismaClient, Shop } from "@prisma/client";
import { DateTime } from "luxon";
import type { Clock } from "../clock";
import type { Anchor, OrderWithShipments } from "../flows/anchors";
import { afterActivation, dueTime, planOnce } from "../flows/planner";
import { recipientTimezone } from "../schedule/timezones";
import { sameCustomer } from "./reorder";

type Tx = Prisma.TransactionClient;
type StepFlow = Flow & { journey: { activatedAt: Date | null } | null };

const DAY_MS = 86_400_000;
/** Anniversaries are planned this far ahead, so a step at a local time early on the day is not late. */
export const ANNIVERSARY_LOOKAHEAD_DAYS = 2;
/** …and this far back, for a sweep that did not run (worker down, clock moved). Older ones are not sent. */
export const ANNIVERSARY_LOOKBACK_DAYS = 1;
/** Orders that no longer count as a customer's purchase. */
const NOT_KEPT = ["refunded", "voided"];
/** Anchors that are an occasion of the customer: "stop when the customer orders again" counts from the occasion, not the order. */
export const OCCASION_ANCHORS: ReadonlySet<string> = new Set(["anniversary", "tier_reached"]);

const withShipments = { lineItems: true, fulfillments: true, refunds: true } as const;

/** Plans every step of one occasion for one order; the dedupe key (order, step flow, occasion) makes it idempotent. */
async function planOccasion(tx: Tx, clock: Clock, shop: Shop, order: OrderWithShipments, steps: StepFlow[], occasion: { step: string; anchor: Anchor }) {
  const timezone = recipientTimezone(order, shop.timezone);
  let planned = 0;
  for (const flow of steps) {
    if (!afterActivation(occasion.anchor.at, flow.journey?.activatedAt ?? null)) continue;
    const dueAt = dueTime(occasion.anchor, flow, timezone);
    if (await planOnce(tx, clock, { shop, order, flow, step: occasion.step, anchor: occasion.anchor, dueAt, timezone })) planned++;
  }
  return planned;
}

function activeSteps(db: Tx | PrismaClient, where: Prisma.FlowWhereInput): Promise<StepFlow[]> {
  return db.flow.findMany({
    where: { enabled: true, journeyStep: { not: null }, journey: { status: "active" }, ...where },
    include: { journey: { select: { activatedAt: true } } },
    orderBy: { journeyStep: "asc" },
  });
}

/** The start of the local day of the customer's k-th first-order anniversary (29 February → 28 February in other years). */
export function anniversaryAt(firstOrderAt: Date, years: number, timezone: string): Date {
  return DateTime.fromJSDate(firstOrderAt, { zone: timezone }).plus({ years }).startOf("day").toJSDate();
}

/** Whether an order is its customer's first kept one (an order without customer or address is its own first). */
async function isFirstOrder(db: Tx | PrismaClient, order: OrderWithShipments): Promise<boolean> {
  const customer = sameCustomer(order);
  if (!customer || !order.placedAt) return !!order.placedAt;
  const earlier = await db.order.findFirst({
    where: {
      shopId: order.shopId,
      ...customer,
      id: { not: order.id },
      placeholder: false,
      cancelledAt: null,
      NOT: { financialStatus: { in: NOT_KEPT } },
      placedAt: { lt: order.placedAt },
    },
    select: { id: true },
  });
  return !earlier;
}

/**
 * First orders whose anniversary (any year) starts in [from, to): candidates are the orders placed
 * whole years before that window (a day of slack either side for time zones), kept, and first.
 */
export async function anniversariesBetween(db: Tx | PrismaClient, shop: Pick<Shop, "id" | "timezone">, from: Date, to: Date) {
  const oldest = await db.order.findFirst({ where: { shopId: shop.id, placeholder: false }, orderBy: { placedAt: "asc" }, select: { placedAt: true } });
  if (!oldest?.placedAt) return [];
  const found: { order: OrderWithShipments; years: number; anchorAt: Date }[] = [];
  const maxYears = Math.ceil((to.getTime() - oldest.placedAt.getTime()) / (365 * DAY_MS)) + 1;
  for (let years = 1; years <= maxYears; years++) {
    const orders = await db.order.findMany({
      where: {
        shopId: shop.id,
        placeholder: false,
        cancelledAt: null,
        NOT: { financialStatus: { in: NOT_KEPT } },
        placedAt: {
          gte: DateTime.fromJSDate(from).minus({ years, days: 1 }).toJSDate(),
          lt: DateTime.fromJSDate(to).minus({ years }).plus({ days: 1 }).toJSDate(),
        },
      },
      include: withShipments,
    });
    for (const order of orders) {
      const anchorAt = anniversaryAt(order.placedAt!, years, recipientTimezone(order, shop.timezone));
      if (anchorAt >= from && anchorAt < to && (await isFirstOrder(db, order))) found.push({ order, years, anchorAt });
    }
  }
  return found;
}

/** The anniversary sweep of one shop: plans the steps of every anniversary starting soon. Returns the messages scheduled. */
export async function planAnniversaries(db: PrismaClient, clock: Clock, shop: Shop): Promise<number> {
  const steps = await activeSteps(db, { shopId: shop.id, trigger: "anniversary" });
  if (!steps.length) return 0;
  const now = clock.now().getTime();
  const from = new Date(now - ANNIVERSARY_LOOKBACK_DAYS * DAY_MS);
  const to = new Date(now + ANNIVERSARY_LOOKAHEAD_DAYS * DAY_MS);
  let planned = 0;
  for (const { order, years, anchorAt } of await anniversariesBetween(db, shop, from, to)) {
    planned += await db.$transaction((tx) =>
      planOccasion(tx, clock, shop, order, steps, { step: `year ${years}`, anchor: { kind: "anniversary", at: anchorAt } }),
    );
  }
  return planned;
}

/** The sweep over every installed shop with an active anniversary journey. */
export async function sweepAnniversaries(db: PrismaClient, clock: Clock): Promise<number> {
  const shops = await db.shop.findMany({ where: { status: "installed", journeys: { some: { status: "active", trigger: "anniversary" } } } });
  let planned = 0;
  for (const shop of shops) planned += await planAnniversaries(db, clock, shop);
  return planned;
}

/**
 * A customer's loyalty tier went up with this order (called in the ledger's transaction, under the
 * member's lock): plans the tier journeys for that tier, once per customer and tier.
 */
export async function planTierReached(tx: Tx, clock: Clock, shopId: string, orderId: string, tier: string): Promise<number> {
  const steps = await activeSteps(tx, { shopId, trigger: "tier_reached", journey: { status: "active", OR: [{ tierName: null }, { tierName: tier }] } });
  if (!steps.length) return 0;
  const [shop, order] = await Promise.all([
    tx.shop.findUniqueOrThrow({ where: { id: shopId } }),
    tx.order.findUniqueOrThrow({ where: { id: orderId }, include: withShipments }),
  ]);
  const step = `tier ${tier}`;
  const who = [...(order.customerShopifyId ? [{ customerShopifyId: order.customerShopifyId }] : []), ...(order.email ? [{ recipient: order.email }] : [])];
  const fresh: StepFlow[] = [];
  for (const flow of steps) {
    if (who.length && (await tx.message.findFirst({ where: { flowId: flow.id, step, OR: who }, select: { id: true } }))) continue;
    fresh.push(flow);
  }
  return planOccasion(tx, clock, shop, order, fresh, { step, anchor: { kind: "tier_reached", at: clock.now() } });
}
