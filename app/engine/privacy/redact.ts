// The compliance webhooks act on every table that holds customer data (see coverage.ts).
import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { cancelPendingMessages } from "../messages/ledger";
import { ratingsChanged } from "../reviews/ratings";
import { enqueueJob } from "../queue/jobs";
import { normalizedEmailOrNull } from "../util/email";
import { toGid } from "../util/gid";
import { asJson } from "../util/stored-json";
import { shopifyId } from "../orders/payloads";
import { refreshCustomerStat } from "../dashboard/customer-stats";
import { touchDays } from "../dashboard/touch";
import { customerRowIds, TABLE_COVERAGE } from "./coverage";
import { resolveCustomerScope, type CustomerSubject } from "./customer-scope";

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

/** The request's customer as a subject: who, in which shop, and which orders it names. */
function subjectOf(shopId: string, customer: z.infer<typeof customerRef>, orderIds: (string | number)[]): CustomerSubject {
  return {
    shopId,
    customerGid: customer.id ? toGid("Customer", customer.id) : null,
    email: normalizedEmailOrNull(customer.email),
    orderGids: orderIds.map((id) => toGid("Order", id)),
  };
}

export async function redactCustomer(tx: Tx, clock: Clock, shopDomain: string, request: CustomerRedact) {
  const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return { orders: 0, customers: 0, dataRequests: 0 };
  const who = await resolveCustomerScope(tx, subjectOf(shop.id, request.customer, request.orders_to_redact));
  const { customerGid, email, orderIds, messageIds } = who;
  // Rows are deleted as the coverage list finds them for the customer (what a data request reports).
  const found = (table: string) => customerRowIds(tx, who, table).then((ids) => ({ id: { in: ids } }));
  const orderWhere = { id: { in: orderIds } };

  // Messages: pending ones are cancelled; all of them keep only what carries no personal data.
  const orderRows = await tx.order.findMany({ where: orderWhere, select: { id: true, shopifyId: true, placedAt: true } });
  const messageWhere = { id: { in: messageIds } };
  const dashboardDays = await daysCountingCustomer(tx, shop.id, orderRows, messageWhere, customerGid, email);
  await cancelPendingMessages(tx, clock, messageWhere, "customer redacted");
  await tx.linkClick.deleteMany({ where: await found("LinkClick") });
  await tx.message.updateMany({ where: messageWhere, data: { recipient: null, subject: null, customerShopifyId: null } });
  await tx.suppression.deleteMany({ where: await found("Suppression") });
  // Discount codes stay for budgets and redemption counts, without who or which order.
  await tx.discountCode.updateMany({
    where: {
      shopId: shop.id,
      OR: [{ orderId: { in: orderIds } }, { messageId: { in: messageIds } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : [])],
    },
    data: { orderId: null, customerShopifyId: null },
  });
  await tx.discountCode.updateMany({ where: { shopId: shop.id, redeemedOrderGid: { in: who.orderGids } }, data: { redeemedOrderGid: null } });

  // Reviews and survey answers are the customer's words: they go (ratings are then recomputed).
  const reviewWhere = await found("Review");
  const reviewed = await tx.review.findMany({ where: reviewWhere, select: { productId: true } });
  await tx.review.deleteMany({ where: reviewWhere });
  await tx.reviewAsk.deleteMany({ where: await found("ReviewAsk") });
  await tx.npsResponse.deleteMany({ where: await found("NpsResponse") });
  await ratingsChanged(tx, clock, shop.id, [...new Set(reviewed.map((r) => r.productId))]);

  // Loyalty membership (and, by cascade, its points ledger) and offers shown to the customer.
  await tx.loyaltyMember.deleteMany({ where: await found("LoyaltyMember") });
  await tx.offerGrant.deleteMany({ where: await found("OfferGrant") });
  // What Shopify Flow was told about the customer or asked to do for them, and their email pause.
  await tx.flowTriggerDelivery.deleteMany({ where: await found("FlowTriggerDelivery") });
  await tx.flowActionRun.deleteMany({ where: await found("FlowActionRun") });
  await tx.emailPause.deleteMany({ where: await found("EmailPause") });

  const orders = await tx.order.deleteMany({ where: orderWhere });
  // The dashboard: the customer's figures are recomputed from what is left, and every day that
  // counted them is rebuilt without them.
  await touchDays(tx, shop.id, ...dashboardDays);
  for (const key of who.statsKeys) await refreshCustomerStat(tx, shop.id, key);
  const customers = await tx.customer.deleteMany({ where: await found("Customer") });
  const dataRequests = await tx.dataRequest.deleteMany({ where: await found("DataRequest") });
  // Deliveries of the customer's orders, and payloads of theirs still waiting for the worker: a
  // waiting orders/updated must not bring back what was just erased.
  await tx.webhookDelivery.deleteMany({ where: await found("WebhookDelivery") });
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
      where: {
        shopId,
        OR: [{ orderGid: { in: orders.map((o) => o.shopifyId) } }, ...(customerGid ? [{ customerShopifyId: customerGid }] : []), ...(email ? [{ email }] : [])],
      },
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
    await tx.rollupMark.deleteMany({ where: { shopId: shop.id } });
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
        ordersRequested: request.orders_requested.map((id) => toGid("Order", id)),
        requestedAt: clock.now(),
      },
    });
    await enqueueJob(tx, { kind: "privacy.compile_data_request", key: row.id, shopId: shop.id, payload: { dataRequestId: row.id }, runAt: clock.now() });
    return row;
  }
}

/**
 * Gathers everything Trustloop holds on the customer into one JSON report: every table that the
 * coverage list classifies as customer data, each with the rows its finder finds (the same
 * finders the redaction is checked against).
 */
export async function compileDataRequest(db: PrismaClient, clock: Clock, dataRequestId: string) {
  const request = await db.dataRequest.findUnique({ where: { id: dataRequestId } });
  if (!request) return null; // redacted meanwhile: nothing to report
  const subject: CustomerSubject = {
    shopId: request.shopId,
    customerGid: request.customerShopifyId,
    email: normalizedEmailOrNull(request.customerEmail),
    orderGids: z.array(z.string()).parse(request.ordersRequested),
  };
  const who = await resolveCustomerScope(db, subject);
  const tables: Record<string, object[]> = {};
  for (const [table, coverage] of Object.entries(TABLE_COVERAGE)) {
    if (coverage.holds === "customer data") tables[table] = await coverage.rows(db, who);
  }
  const report = {
    generatedAt: clock.now().toISOString(),
    request: {
      customer: { id: subject.customerGid, email: subject.email },
      ordersRequested: subject.orderGids,
      requestedAt: request.requestedAt.toISOString(),
    },
    tables,
  };
  await db.dataRequest.update({
    where: { id: request.id },
    data: { status: "ready", report: asJson(report), completedAt: clock.now() },
  });
  return report;
}
