// Stage 1, load: what every message's checks need, read for the whole batch at once (one read per
// table) instead of a round of reads per message.
import type { Message, PrismaClient } from "@prisma/client";
import { pausesFor } from "../../consent/pause";
import { suppressionKey, suppressionsFor } from "../../consent/suppression";
import { supersededIds } from "../eligibility";
import type { Facts } from "./types";

/** The facts of each message, by id; a message whose shop or flow is gone has none. */
export async function loadFacts(db: PrismaClient, messages: Message[]): Promise<Map<string, Facts>> {
  const orderIds = [...new Set(messages.flatMap((m) => (m.orderId ? [m.orderId] : [])))];
  const flowIds = [...new Set(messages.map((m) => m.flowId))];
  const [shops, flows, templates, orders] = await Promise.all([
    db.shop.findMany({ where: { id: { in: [...new Set(messages.map((m) => m.shopId))] } } }),
    db.flow.findMany({ where: { id: { in: flowIds } } }),
    db.flowTemplate.findMany({ where: { flowId: { in: flowIds } } }),
    orderIds.length ? db.order.findMany({ where: { id: { in: orderIds } }, include: { lineItems: true, fulfillments: true, refunds: true } }) : [],
  ]);
  const shopById = new Map(shops.map((s) => [s.id, s]));
  const flowById = new Map(flows.map((f) => [f.id, f]));
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const customerGids = new Map<string, Set<string>>(); // by shop
  for (const o of orders) if (o.customerShopifyId) customerGids.set(o.shopId, (customerGids.get(o.shopId) ?? new Set()).add(o.customerShopifyId));
  const customers = customerGids.size
    ? await db.customer.findMany({ where: { OR: [...customerGids].map(([shopId, gids]) => ({ shopId, shopifyId: { in: [...gids] } })) } })
    : [];
  const customerOf = (o: { shopId: string; customerShopifyId: string | null } | null) =>
    (o?.customerShopifyId && customers.find((c) => c.shopId === o.shopId && c.shopifyId === o.customerShopifyId)) || null;
  const orderOf = (m: Message) => (m.orderId ? (orderById.get(m.orderId) ?? null) : null);
  const emailOf = (m: Message) => orderOf(m)?.email ?? customerOf(orderOf(m))?.email ?? "";
  const addresses = messages.map((m) => ({ shopId: m.shopId, email: emailOf(m) }));
  const [suppressions, pauses, previous, superseded] = await Promise.all([
    suppressionsFor(db, addresses),
    pausesFor(db, addresses),
    previousOrderCounts(
      db,
      orders.filter((o) => o.placedAt).map((o) => o.id),
    ),
    supersededIds(
      db,
      messages.flatMap((message) => (flowById.has(message.flowId) ? [{ message, flow: flowById.get(message.flowId)! }] : [])),
    ),
  ]);
  const facts = new Map<string, Facts>();
  for (const m of messages) {
    const shop = shopById.get(m.shopId);
    const flow = flowById.get(m.flowId);
    if (!shop || !flow) continue; // gone meanwhile: the message's preparation says so
    const order = orderOf(m);
    facts.set(m.id, {
      shop,
      flow,
      templates: templates.filter((t) => t.flowId === flow.id),
      order,
      customer: customerOf(order),
      suppression: suppressions.get(suppressionKey(m.shopId, emailOf(m)))!,
      pausedUntil: pauses.get(suppressionKey(m.shopId, emailOf(m))) ?? null,
      previousOrders: order ? (previous.get(order.id) ?? 0) : 0,
      superseded: superseded.has(m.id),
    });
  }
  return facts;
}

/** Per order: the customer's earlier orders in the shop that were not cancelled (by customer id, else by address). */
async function previousOrderCounts(db: PrismaClient, orderIds: string[]): Promise<Map<string, number>> {
  if (!orderIds.length) return new Map();
  const rows = await db.$queryRaw<{ id: string; n: number }[]>`SELECT o.id,
      ((SELECT count(*) FROM "Order" p WHERE o."customerShopifyId" IS NOT NULL AND p."shopId" = o."shopId" AND p."customerShopifyId" = o."customerShopifyId"
          AND p.id <> o.id AND p."cancelledAt" IS NULL AND p."placedAt" < o."placedAt")
     + (SELECT count(*) FROM "Order" p WHERE o."customerShopifyId" IS NULL AND p."shopId" = o."shopId" AND p.email = coalesce(o.email, '')
          AND p.id <> o.id AND p."cancelledAt" IS NULL AND p."placedAt" < o."placedAt"))::int AS n
    FROM "Order" o WHERE o.id = ANY(${orderIds}::text[])`;
  return new Map(rows.map((r) => [r.id, r.n]));
}
