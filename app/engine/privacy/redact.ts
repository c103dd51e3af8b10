// The compliance webhooks act on every table that holds customer data (see coverage.ts).
import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { cancelPendingMessages } from "../messages/ledger";
import { ratingsChanged } from "../reviews/ratings";
import { enqueueJob } from "../queue/jobs";
import { normalizedEmailOrNull } from "../util/email";
import { toGid } from "../util/gid";
import { shopifyId } from "../orders/payloads";
import { refreshCustomerStat } from "../dashboard/customer-stats";
import { touchDays } from "../dashboard/touch";

const customerRef = z.object({
  id: shopifyId.nullish(),
  email: z.string().nullish(),
});

export const customerRedactPayload = z.object({
  shop_domain: z.string().optional(),
  customer: customerRef,
  orders_to_redact: z.array(shopifyId).default([]),
});

export const dataRequestPayload = z.object({
  shop_domain: z.string().optional(),
  customer: customerRef,
  orders_requested: z.array(shopifyId).default([]),
  data_request: z.object({ id: shopifyId }).nullish(),
});

export type CustomerRedact = z.infer<typeof customerRedactPayload>;
export type DataRequestInput = z.infer<typeof dataRequestPayload>;

type Tx = Prisma.TransactionClient;

/** Who a compliance request is about, as Prisma filters for each table. */
function customerFilters(customerGid: string | null, email: string | null) {
  const pick = <T>(gidFilter: T | null, emailFilter: T | null) => [gidFilter, emailFilter].filter((f): f is T => f !== null);
  return {
    customers: pick(customerGid ? { shopifyId: customerGid } : null, email ? { email } : null),
    orders: pick(customerGid ? { customerShopifyId: customerGid } : null, email ? { email } : null),
    dataRequests: pick(customerGid ? { customerShopifyId: customerGid } : null, email ? { customerEmail: email } : null),
    messages: pick(customerGid ? { customerShopifyId: customerGid } : null, email ? { recipient: email } : null),
  };
}

export async function redactCustomer(tx: Tx, clock: Clock, shopDomain: string, request: CustomerRedact) {
  const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return { orders: 0, customers: 0, dataRequests: 0 };
  const customerGid = request.customer.id ? toGid("Customer", request.customer.id) : null;
  const email = normalizedEmailOrNull(request.customer.email);
  const orderGids = request.orders_to_redact.map((id) => toGid("Order", id));
  const who = customerFilters(customerGid, email);
  const orderWhere = { shopId: shop.id, OR: [{ shopifyId: { in: orderGids } }, ...who.orders] };

  // Messages: pending ones are cancelled; all of them keep only what carries no personal data.
  const orderRows = await tx.order.findMany({ where: orderWhere, select: { id: true, shopifyId: true, placedAt: true, statsKey: true } });
  const orderIds = orderRows.map((o) => o.id);
  const messageWhere = { shopId: shop.id, OR: [{ orderId: { in: orderIds } }, ...who.messages] };
  const dashboardDays = await daysCountingCustomer(tx, shop.id, orderRows, messageWhere, customerGid, email);
  const statsKeys = new Set([customerGid, email, ...orderRows.map((o) => o.statsKey)].filter((k): k is string => !!k));
  await cancelPendingMessages(tx, clock, messageWhere, "customer redacted");
  const messageIds = (await tx.message.findMany({ where: messageWhere, select: { id: true } })).map((m) => m.id);
  await tx.linkClick.deleteMany({ where: { messageId: { in: messageIds } } });
  await tx.message.updateMany({ where: { id: { in: messageIds } }, data: { recipient: null, subject: null, customerShopifyId: null } });
  if (email) await tx.suppression.deleteMany({ where: { shopId: shop.id, email } });
  // Discount codes stay for budgets and redemption counts, without who or which order.
  await tx.discountCode.updateMany({
    where: { shopId: shop.id, OR: [{ orderId: { in: orderIds } }, { messageId: { in: messageIds } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : [])] },
    data: { orderId: null, customerShopifyId: null },
  });
  const orderGidsRedacted = (await tx.order.findMany({ where: orderWhere, select: { shopifyId: true } })).map((o) => o.shopifyId);
  await tx.discountCode.updateMany({ where: { shopId: shop.id, redeemedOrderGid: { in: orderGidsRedacted } }, data: { redeemedOrderGid: null } });

  // Reviews and survey answers are the customer's words: they go (ratings are then recomputed).
  const byCustomerOrOrder = [{ orderId: { in: orderIds } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : [])];
  const reviewed = await tx.review.findMany({ where: { shopId: shop.id, OR: byCustomerOrOrder }, select: { productId: true } });
  await tx.review.deleteMany({ where: { shopId: shop.id, OR: byCustomerOrOrder } });
  await tx.reviewAsk.deleteMany({
    where: { shopId: shop.id, OR: [{ messageId: { in: messageIds } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : []), ...(email ? [{ email }] : [])] },
  });
  await tx.npsResponse.deleteMany({ where: { shopId: shop.id, OR: [...byCustomerOrOrder, { messageId: { in: messageIds } }] } });
  await ratingsChanged(tx, clock, shop.id, [...new Set(reviewed.map((r) => r.productId))]);

  // Loyalty membership (and, by cascade, its points ledger) and offers shown to the customer.
  const memberWhere = [...(customerGid ? [{ customerShopifyId: customerGid }] : []), ...(email ? [{ email }] : [])];
  if (memberWhere.length) await tx.loyaltyMember.deleteMany({ where: { shopId: shop.id, OR: memberWhere } });
  const orderGidsOfCustomer = (await tx.order.findMany({ where: orderWhere, select: { shopifyId: true } })).map((o) => o.shopifyId);
  await tx.offerGrant.deleteMany({
    where: { shopId: shop.id, OR: [{ orderGid: { in: orderGidsOfCustomer } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : []), ...(email ? [{ email }] : [])] },
  });

  const orders = await tx.order.deleteMany({ where: orderWhere });
  // The dashboard: the customer's figures are recomputed from what is left, and every day that
  // counted them is rebuilt without them.
  await touchDays(tx, shop.id, ...dashboardDays);
  for (const key of statsKeys) await refreshCustomerStat(tx, shop.id, key);
  const customers = who.customers.length
    ? await tx.customer.deleteMany({ where: { shopId: shop.id, OR: who.customers } })
    : { count: 0 };
  const dataRequests = who.dataRequests.length
    ? await tx.dataRequest.deleteMany({ where: { shopId: shop.id, OR: who.dataRequests } })
    : { count: 0 };
  return { orders: orders.count, customers: customers.count, dataRequests: dataRequests.count };
}

/** The rollup days that count something of the customer (read before anything is deleted). */
async function daysCountingCustomer(
  tx: Tx,
  shopId: string,
  orders: { id: string; shopifyId: string; placedAt: Date | null }[],
  messageWhere: Prisma.MessageWhereInput,
  customerGid: string | null,
  email: string | null,
): Promise<Date[]> {
  const orderIds = orders.map((o) => o.id);
  const byCustomerOrOrder = [{ orderId: { in: orderIds } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : [])];
  const members = [...(customerGid ? [{ customerShopifyId: customerGid }] : []), ...(email ? [{ email }] : [])];
  const [messages, credited, responses, reviews, incidents, entries, grants] = await Promise.all([
    tx.message.findMany({ where: messageWhere, select: { createdAt: true } }),
    tx.attribution.findMany({ where: { orderId: { in: orderIds } }, select: { message: { select: { createdAt: true } } } }),
    tx.npsResponse.findMany({ where: { shopId, OR: byCustomerOrOrder }, select: { respondedAt: true } }),
    tx.review.findMany({ where: { shopId, OR: byCustomerOrOrder }, select: { submittedAt: true } }),
    tx.delayIncident.findMany({ where: { orderId: { in: orderIds } }, select: { detectedAt: true } }),
    members.length ? tx.pointsEntry.findMany({ where: { shopId, member: { OR: members } }, select: { createdAt: true } }) : [],
    tx.offerGrant.findMany({
      where: { shopId, OR: [{ orderGid: { in: orders.map((o) => o.shopifyId) } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : []), ...(email ? [{ email }] : [])] },
      select: { createdAt: true },
    }),
  ]);
  return [
    ...orders.map((o) => o.placedAt),
    ...messages.map((m) => m.createdAt),
    ...credited.map((a) => a.message.createdAt),
    ...responses.map((r) => r.respondedAt),
    ...reviews.map((r) => r.submittedAt),
    ...incidents.map((i) => i.detectedAt),
    ...entries.map((e) => e.createdAt),
    ...grants.map((g) => g.createdAt),
  ].filter((d): d is Date => d !== null);
}

/** shop/redact (48 h after uninstall): everything of the shop goes. */
export async function redactShop(tx: Tx, shopDomain: string) {
  await tx.session.deleteMany({ where: { shop: shopDomain } });
  await tx.webhookDelivery.deleteMany({ where: { shopDomain } });
  const shop = await tx.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (shop) {
    // Tables keyed by shop id without a relation to Shop.
    await tx.reviewAsk.deleteMany({ where: { shopId: shop.id } });
    await tx.productRating.deleteMany({ where: { shopId: shop.id } });
    await tx.rollupDirty.deleteMany({ where: { shopId: shop.id } });
  }
  const { count } = await tx.shop.deleteMany({ where: { domain: shopDomain } });
  return { shops: count };
}

/** customers/data_request: recorded now, compiled by the worker, shown to the merchant. */
export async function recordDataRequest(tx: Tx, clock: Clock, shopDomain: string, request: DataRequestInput) {
  const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return null;
  {
    const row = await tx.dataRequest.create({
      data: {
        shopId: shop.id,
        customerShopifyId: request.customer.id ? toGid("Customer", request.customer.id) : null,
        customerEmail: normalizedEmailOrNull(request.customer.email),
        ordersRequested: JSON.stringify(request.orders_requested.map((id) => toGid("Order", id))),
        requestedAt: clock.now(),
      },
    });
    await enqueueJob(tx, { kind: "privacy.compile_data_request", key: row.id, shopId: shop.id, payload: { dataRequestId: row.id }, runAt: clock.now() });
    return row;
  }
}

/** Gathers everything Trustloop holds on the customer into one JSON report. */
export async function compileDataRequest(db: PrismaClient, clock: Clock, dataRequestId: string) {
  const request = await db.dataRequest.findUnique({ where: { id: dataRequestId } });
  if (!request) return null; // redacted meanwhile: nothing to report
  const requestedOrders = JSON.parse(request.ordersRequested) as string[];
  const who = customerFilters(request.customerShopifyId, request.customerEmail);
  const customers = who.customers.length ? await db.customer.findMany({ where: { shopId: request.shopId, OR: who.customers } }) : [];
  const orders = await db.order.findMany({
    where: { shopId: request.shopId, OR: [{ shopifyId: { in: requestedOrders } }, ...who.orders] },
    include: { lineItems: true, refunds: true, fulfillments: { include: { events: true } } },
  });
  const orderIds = orders.map((o) => o.id);
  const byCustomer = [{ orderId: { in: orderIds } }, ...(request.customerShopifyId ? [{ customerShopifyId: request.customerShopifyId }] : [])];
  const emails = [...new Set([request.customerEmail, ...orders.map((o) => o.email)].filter((e): e is string => !!e))];
  const report = {
    generatedAt: clock.now().toISOString(),
    customers,
    orders,
    messages: await db.message.findMany({
      where: { shopId: request.shopId, OR: [{ orderId: { in: orderIds } }, { recipient: { in: emails } }] },
      select: { id: true, flowId: true, status: true, reason: true, subject: true, sentAt: true, createdAt: true },
    }),
    reviews: await db.review.findMany({ where: { shopId: request.shopId, OR: byCustomer } }),
    npsResponses: await db.npsResponse.findMany({ where: { shopId: request.shopId, OR: byCustomer } }),
    suppressions: await db.suppression.findMany({ where: { shopId: request.shopId, email: { in: emails.map((e) => e.toLowerCase()) } } }),
    discountCodes: await db.discountCode.findMany({ where: { shopId: request.shopId, OR: byCustomer } }),
  };
  await db.dataRequest.update({
    where: { id: request.id },
    data: { status: "ready", report: JSON.stringify(report), completedAt: clock.now() },
  });
  return report;
}
