// Exposures for the flows' lift: a customer is exposed to a flow by its first main message that was
// sent, or held back by the holdout. Which message is first can change when another one of the same
// customer and flow is sent later, so those messages' days are marked together.
import type { Prisma, PrismaClient } from "@prisma/client";
import { ordersOfKeys, statsKeyOf } from "./customer-stats";

type Tx = Prisma.TransactionClient | PrismaClient;

/** Message statuses that expose a customer to a flow (or to its holdout) for the lift. */
export const EXPOSED = ["sent", "held_out"];

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

/** For each (flow, customer key) of `exposed`, the id of the customer's first exposure message in that flow. */
export async function firstExposures(db: Tx, shopId: string, exposed: { flowId: string; key: string }[]): Promise<Map<string, string>> {
  const first = new Map<string, { id: string; at: number }>();
  const keyOfOrder = await ordersOf(db, shopId, [...new Set(exposed.map((e) => e.key))]);
  const orderIds = [...keyOfOrder.keys()];
  const flows = [...new Set(exposed.map((e) => e.flowId))];
  for (let i = 0; i < orderIds.length; i += 500) {
    // Filtered by order only, the rest in code: with status or flow in the query the planner may prefer
    // the (status, sendAt) index and scan every sent message.
    const messages = await db.message.findMany({
      where: { orderId: { in: orderIds.slice(i, i + 500) } },
      select: { id: true, flowId: true, step: true, status: true, createdAt: true, orderId: true },
    });
    for (const m of messages) {
      if (!flows.includes(m.flowId) || m.step !== "main" || !EXPOSED.includes(m.status)) continue;
      const slot = `${m.flowId}\n${keyOfOrder.get(m.orderId!)}`;
      const seen = first.get(slot);
      const at = m.createdAt.getTime();
      if (!seen || at < seen.at || (at === seen.at && m.id < seen.id)) first.set(slot, { id: m.id, at });
    }
  }
  return new Map([...first].map(([slot, v]) => [slot, v.id]));
}

/**
 * The planning days of customers' exposures in a flow, given some of their messages (one shop): what
 * must be rebuilt when those messages become (or stop being) exposures. Two reads for all of them.
 */
export async function exposureDaysOfMany(
  tx: Tx,
  shopId: string,
  messages: { flowId: string; order: { customerShopifyId: string | null; email: string | null } | null }[],
): Promise<Date[]> {
  const wanted = new Set<string>(); // flow + customer key
  for (const m of messages) {
    const key = m.order ? statsKeyOf(m.order) : null;
    if (key) wanted.add(`${m.flowId}\n${key}`);
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
      if (m.step === "main" && EXPOSED.includes(m.status) && wanted.has(`${m.flowId}\n${keyOfOrder.get(m.orderId!)}`)) days.push(m.createdAt);
    }
  }
  return days;
}
