// Exposures for the flows' lift: a customer is exposed to a flow by its first main message that was
// sent, or held back by the holdout. Which message is first can change when another one of the same
// customer and flow is sent later, so those messages' days are marked together. A journey's steps
// are one lift unit (the journey): one holdout group for all of them (decision 045), so a customer
// in several steps is one observation of the journey, exposed by their first step message.
import type { Prisma, PrismaClient } from "@prisma/client";
import { ordersOfKeys, statsKeyOf, type CustomerFigures } from "./customer-stats";

type Tx = Prisma.TransactionClient | PrismaClient;

/** Message statuses that expose a customer to a flow (or to its holdout) for the lift. */
export const EXPOSED = ["sent", "held_out"];

/** The lift unit of each of the shop's flows: the flow itself, or its journey (as the planner's holdoutGroup). */
export async function liftUnits(db: Tx, shopId: string): Promise<Map<string, string>> {
  const flows = await db.flow.findMany({ where: { shopId }, select: { id: true, journeyId: true } });
  return new Map(flows.map((f) => [f.id, f.journeyId ?? f.id]));
}

/** Whether a message exposes its customer for the lift: a flow's main message, or any message of a journey step (an anniversary year, a tier reached). */
export function exposes(m: { flowId: string; step: string; status: string }, unitOf: Map<string, string>): boolean {
  return EXPOSED.includes(m.status) && (m.step === "main" || (unitOf.get(m.flowId) ?? m.flowId) !== m.flowId);
}

/** The ids and customer keys of a shop's orders of these keys (two indexed lookups, no join). */
async function ordersOf(db: Tx, shopId: string, keys: string[]): Promise<Map<string, string>> {
  const orders = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 400) {
    for (const o of await db.order.findMany({
      where: ordersOfKeys(shopId, keys.slice(i, i + 400)),
      select: { id: true, customerShopifyId: true, email: true },
    })) {
      const key = statsKeyOf(o);
      if (key) orders.set(o.id, key);
    }
  }
  return orders;
}

/**
 * For each (lift unit, customer key) of `exposed`, the id of the customer's first exposure message
 * in that unit (`unitOf`: liftUnits).
 */
export async function firstExposures(
  db: Tx,
  shopId: string,
  exposed: { unit: string; key: string }[],
  unitOf: Map<string, string>,
): Promise<Map<string, string>> {
  const first = new Map<string, { id: string; at: number }>();
  const keyOfOrder = await ordersOf(db, shopId, [...new Set(exposed.map((e) => e.key))]);
  const orderIds = [...keyOfOrder.keys()];
  const units = new Set(exposed.map((e) => e.unit));
  for (let i = 0; i < orderIds.length; i += 500) {
    // Filtered by order only, the rest in code: with status or flow in the query the planner may prefer
    // the (status, sendAt) index and scan every sent message.
    const messages = await db.message.findMany({
      where: { orderId: { in: orderIds.slice(i, i + 500) } },
      select: { id: true, flowId: true, step: true, status: true, createdAt: true, orderId: true },
    });
    for (const m of messages) {
      const unit = unitOf.get(m.flowId) ?? m.flowId;
      if (!units.has(unit) || !exposes(m, unitOf)) continue;
      const slot = `${unit}\n${keyOfOrder.get(m.orderId!)}`;
      const seen = first.get(slot);
      const at = m.createdAt.getTime();
      if (!seen || at < seen.at || (at === seen.at && m.id < seen.id)) first.set(slot, { id: m.id, at });
    }
  }
  return new Map([...first].map(([slot, v]) => [slot, v.id]));
}

/**
 * The planning days of customers' exposures in a flow (or journey), given some of their messages (one shop): what
 * must be rebuilt when those messages become (or stop being) exposures. Two reads for all of them.
 */
export async function exposureDaysOfMany(
  tx: Tx,
  shopId: string,
  messages: { flowId: string; order: { customerShopifyId: string | null; email: string | null } | null }[],
): Promise<Date[]> {
  if (!messages.length) return [];
  const unitOf = await liftUnits(tx, shopId);
  const unit = (flowId: string) => unitOf.get(flowId) ?? flowId;
  const wanted = new Set<string>(); // lift unit + customer key
  for (const m of messages) {
    const key = m.order ? statsKeyOf(m.order) : null;
    if (key) wanted.add(`${unit(m.flowId)}\n${key}`);
  }
  if (!wanted.size) return [];
  const keyOfOrder = await ordersOf(tx, shopId, [...new Set([...wanted].map((w) => w.split("\n")[1]))]);
  const orderIds = [...keyOfOrder.keys()];
  const days: Date[] = [];
  for (let i = 0; i < orderIds.length; i += 500) {
    const siblings = await tx.message.findMany({
      where: { orderId: { in: orderIds.slice(i, i + 500) } },
      select: { flowId: true, step: true, status: true, createdAt: true, orderId: true },
    });
    for (const m of siblings) {
      if (exposes(m, unitOf) && wanted.has(`${unit(m.flowId)}\n${keyOfOrder.get(m.orderId!)}`)) days.push(m.createdAt);
    }
  }
  return days;
}

/** A main message sent (treated) or held back by the holdout, of a customer's order. */
export interface Exposure {
  id: string;
  flowId: string;
  at: Date;
  group: "treated" | "holdout";
  key: string;
  placedAt: Date;
}

/**
 * The lift's figures of some exposures ("lift.n", "lift.repeat" per unit and group, given to `add`).
 * Lift counts customers, not orders: each customer once per flow (a journey's steps together, as
 * one), on the day of their first exposure, and as "came back" when they ordered after that
 * exposure's order. Repeat buyers' later orders would otherwise be counted as more, non-independent
 * observations and make the interval falsely narrow.
 */
export async function liftRows(
  db: Tx,
  shopId: string,
  exposed: Exposure[],
  stats: { byKeys(keys: string[]): Promise<Map<string, CustomerFigures>> },
  add: (at: Date, metric: "lift.n" | "lift.repeat", unit: string, group: Exposure["group"]) => void,
  unitOf: Map<string, string>,
) {
  const unit = (e: Exposure) => unitOf.get(e.flowId) ?? e.flowId;
  const firsts = await firstExposures(
    db,
    shopId,
    exposed.map((e) => ({ unit: unit(e), key: e.key })),
    unitOf,
  );
  const figures = await stats.byKeys([...new Set(exposed.map((e) => e.key))]);
  for (const e of exposed) {
    if (firsts.get(`${unit(e)}\n${e.key}`) !== e.id) continue;
    add(e.at, "lift.n", unit(e), e.group);
    const last = figures.get(e.key)?.lastOrderAt;
    if (last && last.getTime() > e.placedAt.getTime()) add(e.at, "lift.repeat", unit(e), e.group);
  }
}
