// Read models for the admin home: what the merchant needs to see at a glance. Always scoped
// to one shop id (tenant isolation).
import type { Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";

const WORKER_STALE_MS = 60_000;
const RECENT_ORDERS = 10;

export async function shopOverview(db: PrismaClient, clock: Clock, shopDomain: string) {
  const shop = await db.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true, name: true, domain: true, timezone: true, currency: true, primaryDomain: true },
  });
  if (!shop) return null;
  const now = clock.now();
  const since = new Date(now.getTime() - 24 * 3600_000);
  const dueNow = { shopId: shop.id, status: { in: ["scheduled", "deferred", "sending"] }, sendAt: { lte: now } } satisfies Prisma.MessageWhereInput;
  const [orders, orderCount, deliveries, rejections, heartbeat, dataRequests, due, oldestDue, unknown] = await Promise.all([
    db.order.findMany({
      where: { shopId: shop.id },
      orderBy: [{ placedAt: "desc" }, { createdAt: "desc" }],
      take: RECENT_ORDERS,
      select: {
        id: true,
        name: true,
        placedAt: true,
        totalCents: true,
        currency: true,
        cancelledAt: true,
        financialStatus: true,
        fulfillmentStatus: true,
        shipCountry: true,
      },
    }),
    db.order.count({ where: { shopId: shop.id } }),
    db.webhookDelivery.groupBy({ by: ["status"], where: { shopDomain, receivedAt: { gte: since } }, _count: true }),
    db.webhookDelivery.findMany({
      where: { shopDomain, status: "rejected" },
      orderBy: { receivedAt: "desc" },
      take: 5,
      select: { topic: true, reason: true, receivedAt: true, webhookId: true },
    }),
    db.workerHeartbeat.findFirst({ where: { stoppedAt: null }, orderBy: { beatAt: "desc" } }),
    db.dataRequest.findMany({
      where: { shopId: shop.id },
      orderBy: { requestedAt: "desc" },
      take: 5,
      select: { id: true, status: true, requestedAt: true, completedAt: true },
    }),
    db.message.count({ where: dueNow }),
    db.message.findFirst({ where: dueNow, orderBy: { sendAt: "asc" }, select: { sendAt: true } }),
    db.message.count({ where: { shopId: shop.id, status: "unknown" } }),
  ]);
  const workerAlive = heartbeat ? clock.now().getTime() - heartbeat.beatAt.getTime() < WORKER_STALE_MS : false;
  return {
    shop,
    orders,
    orderCount,
    webhooks24h: Object.fromEntries(deliveries.map((d) => [d.status, d._count])) as Record<string, number>,
    rejections,
    worker: { alive: workerAlive, lastBeatAt: heartbeat?.beatAt ?? null },
    // The send queue as this shop sees it: emails due and not settled yet, the oldest one's due
    // time (a backlog shows as a time long past), and sends whose outcome is unknown.
    queue: { due, oldestDueAt: oldestDue?.sendAt ?? null, unknown },
    dataRequests,
  };
}

export async function orderDetail(db: PrismaClient, shopDomain: string, orderId: string) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return null;
  const order = await db.order.findFirst({
    where: { id: orderId, shopId: shop.id },
    include: { lineItems: true, refunds: true, fulfillments: { include: { events: { orderBy: { happenedAt: "asc" } } } } },
  });
  if (!order) return null;
  const deliveries = await db.webhookDelivery.findMany({
    where: { shopDomain, resourceId: order.shopifyId },
    orderBy: { receivedAt: "asc" },
    select: { topic: true, status: true, reason: true, receivedAt: true },
  });
  return { order, deliveries };
}
