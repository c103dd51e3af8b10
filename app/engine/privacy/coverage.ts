// Every table, classified. Adding a model without classifying it here fails
// tests/integration/privacy.test.ts, so compliance webhooks can never silently miss a table.
// A table holding customer data also says how its rows are found for a customer: the data-request
// report is built from exactly these finders, and the redaction test checks that after
// customers/redact none of them finds anything — a new table is in both or the tests fail.
import type { Prisma } from "@prisma/client";
import { byCustomerOrderOrMessage, byGidOrEmail, present, type CustomerScope } from "./customer-scope";

type Tx = Prisma.TransactionClient;
/** The customer's rows in one table (for the report: what is stored, nothing derived). */
export type CustomerRows = (tx: Tx, who: CustomerScope) => Promise<{ id: string }[]>;

export type Coverage =
  { holds: "customer data"; redactedBy: string; rows: CustomerRows } | { holds: "shop data"; redactedBy: string } | { holds: "no personal data"; why: string };

const inOrders = (who: CustomerScope) => ({ orderId: { in: who.orderIds } });
/** Rows that name the customer's gid or one of their orders' gids (the Shopify Flow tables). */
const byCustomerOrOrderGid = (who: CustomerScope) =>
  present<{ customerShopifyId?: string; orderShopifyId?: { in: string[] } }>(
    { orderShopifyId: { in: who.orderGids } },
    who.customerGid && { customerShopifyId: who.customerGid },
  );

const customerData = (redactedBy: string, rows: CustomerRows): Coverage => ({ holds: "customer data", redactedBy, rows });
const shopData = (redactedBy: string): Coverage => ({ holds: "shop data", redactedBy });
const noPersonalData = (why: string): Coverage => ({ holds: "no personal data", why });

export const TABLE_COVERAGE: Record<string, Coverage> = {
  Customer: customerData("deleted by customer gid or email", (tx, who) =>
    tx.customer.findMany({ where: { shopId: who.shopId, OR: byGidOrEmail(who, "shopifyId", "email") } }),
  ),
  // The shipping address lives here as country, province and coordinates (the recipient's time zone).
  Order: customerData("deleted: orders_to_redact, the customer's orders, orders with their email", (tx, who) =>
    tx.order.findMany({ where: { id: { in: who.orderIds } } }),
  ),
  LineItem: customerData("cascade from Order", (tx, who) => tx.lineItem.findMany({ where: inOrders(who) })),
  Fulfillment: customerData("cascade from Order", (tx, who) => tx.fulfillment.findMany({ where: inOrders(who) })),
  FulfillmentEvent: customerData("cascade from Fulfillment", (tx, who) => tx.fulfillmentEvent.findMany({ where: { fulfillment: inOrders(who) } })),
  Refund: customerData("cascade from Order", (tx, who) => tx.refund.findMany({ where: inOrders(who) })),
  DataRequest: customerData("deleted by customer gid or email", (tx, who) =>
    tx.dataRequest.findMany({ where: { shopId: who.shopId, OR: byGidOrEmail(who, "customerShopifyId", "customerEmail") }, omit: { report: true } }),
  ),
  Message: customerData("kept as cancelled with recipient, subject and order link cleared", (tx, who) =>
    tx.message.findMany({ where: { id: { in: who.messageIds } } }),
  ),
  MessageEvent: noPersonalData("status, time and reason of a message transition"),
  Suppression: customerData("deleted by email", async (tx, who) =>
    who.emailLower ? tx.suppression.findMany({ where: { shopId: who.shopId, email: who.emailLower } }) : [],
  ),
  LinkClick: customerData("deleted with the customer's messages' clicks", (tx, who) => tx.linkClick.findMany({ where: { messageId: { in: who.messageIds } } })),
  Attribution: customerData("cascade from Order", (tx, who) =>
    tx.attribution.findMany({ where: { OR: [inOrders(who), { messageId: { in: who.messageIds } }] } }),
  ),
  DelayIncident: customerData("cascade from Order", (tx, who) => tx.delayIncident.findMany({ where: inOrders(who) })),
  DiscountCode: customerData("kept for budgets with order, customer and redemption order cleared", (tx, who) =>
    tx.discountCode.findMany({ where: { shopId: who.shopId, OR: [...byCustomerOrderOrMessage(who), { redeemedOrderGid: { in: who.orderGids } }] } }),
  ),
  DelaySettings: shopData("cascade from Shop"),
  Review: customerData("deleted for the customer and their orders", (tx, who) =>
    tx.review.findMany({ where: { shopId: who.shopId, OR: byCustomerOrderOrMessage(who) } }),
  ),
  ReviewAsk: customerData("deleted by customer gid or email", (tx, who) =>
    tx.reviewAsk.findMany({ where: { shopId: who.shopId, OR: [{ messageId: { in: who.messageIds } }, ...byGidOrEmail(who, "customerShopifyId", "email")] } }),
  ),
  ProductRating: noPersonalData("per-product averages; recomputed when reviews are deleted"),
  NpsResponse: customerData("deleted for the customer and their orders", (tx, who) =>
    tx.npsResponse.findMany({ where: { shopId: who.shopId, OR: byCustomerOrderOrMessage(who) } }),
  ),
  NpsCase: customerData("cascade from NpsResponse", (tx, who) =>
    tx.npsCase.findMany({ where: { shopId: who.shopId, response: { OR: byCustomerOrderOrMessage(who) } } }),
  ),
  LoyaltySettings: shopData("cascade from Shop"),
  LoyaltyMember: customerData("deleted by customer gid or email", (tx, who) => tx.loyaltyMember.findMany({ where: { id: { in: who.memberIds } } })),
  PointsEntry: customerData("cascade from LoyaltyMember", (tx, who) => tx.pointsEntry.findMany({ where: { memberId: { in: who.memberIds } } })),
  OfferRule: shopData("cascade from Shop"),
  OfferGrant: customerData("deleted for the customer and their orders", (tx, who) =>
    tx.offerGrant.findMany({ where: { shopId: who.shopId, OR: [{ orderGid: { in: who.orderGids } }, ...byGidOrEmail(who, "customerShopifyId", "email")] } }),
  ),
  CustomerStat: customerData("recomputed from the remaining orders (deleted when none is left); cascade from Shop", (tx, who) =>
    tx.customerStat.findMany({ where: { shopId: who.shopId, customerKey: { in: who.statsKeys } } }),
  ),
  DailyRollup: noPersonalData("anonymous per-day counts; the redacted customer's days are rebuilt without them"),
  RollupMark: noPersonalData("which days need a rebuild; deleted by shop/redact"),
  HistoryImport: shopData("cascade from Shop"),
  Session: shopData("deleted on app/uninstalled and shop/redact (staff, not customers)"),
  Shop: shopData("deleted by shop/redact"),
  Flow: shopData("cascade from Shop"),
  FlowTemplate: shopData("cascade from Flow; the merchant's words, no customer's"),
  Journey: shopData("cascade from Shop; the merchant's journeys (their steps are Flow rows)"),
  Job: shopData("cascade from Shop; payloads hold row ids only"),
  WebhookDelivery: customerData(
    "deleted: deliveries about the customer's orders, and waiting payloads that name the customer; all by shop/redact",
    webhookDeliveriesOf,
  ),
  FlowTriggerUse: shopData("cascade from Shop; whether a workflow uses a trigger"),
  FlowTriggerDelivery: customerData("deleted for the customer and their orders", (tx, who) =>
    tx.flowTriggerDelivery.findMany({ where: { shopId: who.shopId, OR: byCustomerOrOrderGid(who) } }),
  ),
  FlowActionRun: customerData("deleted for the customer and their orders", (tx, who) =>
    tx.flowActionRun.findMany({ where: { shopId: who.shopId, OR: byCustomerOrOrderGid(who) } }),
  ),
  EmailPause: customerData("deleted by email", async (tx, who) =>
    who.emailLower ? tx.emailPause.findMany({ where: { shopId: who.shopId, email: who.emailLower } }) : [],
  ),
  WorkerHeartbeat: noPersonalData("process ids and times"),
  AppState: noPersonalData("sandbox clock and similar process state"),
  RateLimit: noPersonalData(
    "rate-limiter-flexible counters shared by every process: public requests keyed by a keyed hash of the client address, test emails by shop id; gone within hours",
  ),
};

/**
 * Deliveries about the customer: the log of their orders' webhooks, and payloads still waiting
 * for the worker (decision 030) that name the customer, their address or one of their orders.
 */
async function webhookDeliveriesOf(tx: Tx, who: CustomerScope) {
  const orderNumbers = who.orderGids.map((gid) => gid.split("/").pop()!);
  const customerNumber = who.customerGid?.split("/").pop() ?? null;
  const found = await tx.$queryRaw<{ id: string }[]>`
    SELECT d.id FROM "WebhookDelivery" d JOIN "Shop" s ON s.domain = d."shopDomain"
    WHERE s.id = ${who.shopId} AND (
      d."resourceId" = ANY(${who.orderGids}::text[])
      OR (d.payload IS NOT NULL AND (
        (d.topic LIKE 'orders/%' AND d.payload->>'id' = ANY(${orderNumbers}::text[]))
        OR d.payload->>'order_id' = ANY(${orderNumbers}::text[])
        OR d.payload->'customer'->>'id' = ${customerNumber}
        OR lower(d.payload->>'email') = ${who.emailLower}
        OR lower(d.payload->>'contact_email') = ${who.emailLower}
        OR lower(d.payload->'customer'->>'email') = ${who.emailLower})))`;
  return found.length ? tx.webhookDelivery.findMany({ where: { id: { in: found.map((r) => r.id) } } }) : [];
}

/** The ids of the customer's rows in one customer-data table (what customers/redact deletes there). */
export async function customerRowIds(tx: Tx, who: CustomerScope, table: string): Promise<string[]> {
  const coverage = TABLE_COVERAGE[table];
  if (coverage?.holds !== "customer data") throw new Error(`${table} is not classified as customer data`);
  return (await coverage.rows(tx, who)).map((r) => r.id);
}
