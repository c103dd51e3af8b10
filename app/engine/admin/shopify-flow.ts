// Admin › Shopify Flow: each Trustloop trigger (whether a workflow uses it, as Flow's lifecycle
// callbacks last said, and its last deliveries) and each action (its last runs). Reads only; every
// query is scoped to one shop id.
import type { FlowActionRun, FlowTriggerDelivery, FlowTriggerUse, PrismaClient, Shop } from "@prisma/client";
import { FLOW_ACTIONS, FLOW_TRIGGERS } from "../flow/definitions";
import { formatInZone, maskEmail } from "./format";

/** Deliveries and runs shown per trigger and action. */
export const RECENT_PER_ITEM = 10;

type ShopView = Pick<Shop, "id" | "timezone">;

/** What the page knows about an order or a customer named by a gid: a local link where it can make one. */
export interface Known {
  orders: Map<string, { id: string; name: string | null }>;
  customers: Map<string, { email: string | null }>;
}

/** "gid://shopify/Customer/42" → the customer's page in the Shopify admin (App Bridge opens shopify:// links). */
export function customerAdminUrl(gid: string): string | null {
  const id = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(gid)?.[1];
  return id ? `shopify://admin/customers/${id}` : null;
}

function orderRef(gid: string | null, known: Known) {
  if (!gid) return null;
  const order = known.orders.get(gid);
  return { label: order?.name ?? `Order ${gid.split("/").pop()}`, url: order ? `/app/orders/${order.id}` : null };
}

function customerRef(gid: string | null, known: Known) {
  if (!gid) return null;
  const customer = known.customers.get(gid);
  return { label: customer?.email ? maskEmail(customer.email) : `Customer ${gid.split("/").pop()}`, url: customerAdminUrl(gid) };
}

export function useView(use: Pick<FlowTriggerUse, "enabled" | "changedAt"> | undefined, timezone: string) {
  return use ? { used: use.enabled, changedAt: formatInZone(use.changedAt, timezone) } : { used: false, changedAt: null };
}

type DeliveryRow = Pick<FlowTriggerDelivery, "id" | "status" | "attempts" | "error" | "createdAt" | "sentAt" | "orderShopifyId" | "customerShopifyId">;

export function deliveryView(d: DeliveryRow, timezone: string, known: Known) {
  return {
    id: d.id,
    at: formatInZone(d.createdAt, timezone),
    sentAt: d.sentAt ? formatInZone(d.sentAt, timezone) : null,
    status: d.status,
    attempts: d.attempts,
    error: d.error,
    order: orderRef(d.orderShopifyId, known),
    customer: customerRef(d.customerShopifyId, known),
  };
}

type RunRow = Pick<FlowActionRun, "id" | "status" | "outcome" | "error" | "createdAt" | "orderShopifyId" | "customerShopifyId">;

export function runView(r: RunRow, timezone: string, known: Known) {
  return {
    id: r.id,
    at: formatInZone(r.createdAt, timezone),
    status: r.status,
    // A failed run shows why; any other shows what it did (nothing yet while accepted).
    detail: r.status === "failed" ? (r.error ?? r.outcome) : (r.outcome ?? r.error),
    order: orderRef(r.orderShopifyId, known),
    customer: customerRef(r.customerShopifyId, known),
  };
}

async function knownRefs(db: PrismaClient, shopId: string, rows: { orderShopifyId: string | null; customerShopifyId: string | null }[]): Promise<Known> {
  const gids = (key: "orderShopifyId" | "customerShopifyId") => [...new Set(rows.flatMap((r) => (r[key] ? [r[key]] : [])))];
  const [orders, customers] = await Promise.all([
    db.order.findMany({ where: { shopId, shopifyId: { in: gids("orderShopifyId") } }, select: { id: true, shopifyId: true, name: true } }),
    db.customer.findMany({ where: { shopId, shopifyId: { in: gids("customerShopifyId") } }, select: { shopifyId: true, email: true } }),
  ]);
  return { orders: new Map(orders.map((o) => [o.shopifyId, o])), customers: new Map(customers.map((c) => [c.shopifyId, c])) };
}

export async function shopifyFlowPage(db: PrismaClient, shop: ShopView) {
  const triggers = Object.values(FLOW_TRIGGERS);
  const actions = Object.values(FLOW_ACTIONS);
  const recent = { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: RECENT_PER_ITEM };
  const [uses, deliveries, runs] = await Promise.all([
    db.flowTriggerUse.findMany({ where: { shopId: shop.id } }),
    Promise.all(triggers.map((t) => db.flowTriggerDelivery.findMany({ where: { shopId: shop.id, handle: t.handle }, ...recent }))),
    Promise.all(actions.map((a) => db.flowActionRun.findMany({ where: { shopId: shop.id, handle: a.handle }, ...recent }))),
  ]);
  const known = await knownRefs(db, shop.id, [...deliveries.flat(), ...runs.flat()]);
  const useByHandle = new Map(uses.map((u) => [u.handle, u]));
  return {
    // Nothing has happened yet: no workflow ever used a trigger, nothing sent, no action run.
    empty: uses.length === 0 && deliveries.every((d) => !d.length) && runs.every((r) => !r.length),
    triggers: triggers.map((t, i) => ({
      handle: t.handle,
      name: t.name,
      description: t.description,
      ...useView(useByHandle.get(t.handle), shop.timezone),
      deliveries: deliveries[i].map((d) => deliveryView(d, shop.timezone, known)),
    })),
    actions: actions.map((a, i) => ({
      handle: a.handle,
      name: a.name,
      description: a.description,
      runs: runs[i].map((r) => runView(r, shop.timezone, known)),
    })),
  };
}
