// Orders read back through the Admin GraphQL API (reconciliation, the history import), validated
// and mapped onto the REST-shaped payload the webhook path already applies — so the mirror has one
// way in, whatever the source. The queries that ask for them are in order-query.ts.
import { z } from "zod";
import { coordinate, orderPayload, type OrderPayload } from "../orders/payloads";

// ---- the GraphQL shape (validated: the response is input like any other) ----

const gidOf = (type: string) =>
  z
    .string()
    .regex(new RegExp(`^gid://shopify/${type}/\\d+(\\?.*)?$`), `must be a ${type} gid`)
    .transform((gid) => /\/(\d+)(?:\?.*)?$/.exec(gid)![1]);

const text = z.string().nullish();
const iso = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO timestamp");
const amount = z.union([z.string(), z.number()]).nullish();
/** A MoneyBag: the shop's side always, the buyer's (`presentmentMoney`) where the query asks for it. */
const moneyBag = z.object({ shopMoney: z.object({ amount }), presentmentMoney: z.object({ amount }).nullish() }).nullish();
const pageInfo = z.object({ hasNextPage: z.boolean() }).nullish();
const connection = <T extends z.ZodTypeAny>(node: T) => z.object({ pageInfo, nodes: z.array(node) });

const lineItemNode = z.object({
  id: gidOf("LineItem"),
  title: z.string(),
  quantity: z.number().int().nonnegative(),
  sku: text,
  vendor: text,
  variantTitle: text,
  variant: z.object({ id: gidOf("ProductVariant") }).nullish(),
  product: z.object({ id: gidOf("Product") }).nullish(),
  originalUnitPriceSet: moneyBag,
});

const fulfillmentNode = z.object({
  id: gidOf("Fulfillment"),
  status: z.string(),
  createdAt: iso,
  updatedAt: iso,
  estimatedDeliveryAt: iso.nullish(),
  deliveredAt: iso.nullish(),
  displayStatus: text,
  trackingInfo: z.array(z.object({ company: text, number: text, url: text })).default([]),
  fulfillmentLineItems: connection(z.object({ lineItem: z.object({ id: gidOf("LineItem") }), quantity: z.number().int().nullish() })),
});

const refundNode = z.object({
  id: gidOf("Refund"),
  createdAt: iso.nullish(),
  note: text,
  totalRefundedSet: moneyBag,
  refundLineItems: connection(z.object({ lineItem: z.object({ id: gidOf("LineItem") }), quantity: z.number().int(), subtotalSet: moneyBag })),
});

export const orderNode = z.object({
  id: gidOf("Order"),
  name: text,
  confirmationNumber: text,
  email: text,
  createdAt: iso.nullish(),
  updatedAt: iso,
  processedAt: iso.nullish(),
  cancelledAt: iso.nullish(),
  cancelReason: text,
  displayFinancialStatus: text,
  displayFulfillmentStatus: text,
  currencyCode: text,
  presentmentCurrencyCode: text,
  customerLocale: text,
  test: z.boolean().nullish(),
  customerAcceptsMarketing: z.boolean().nullish(),
  discountCodes: z.array(z.string()).default([]),
  customer: z
    .object({
      id: gidOf("Customer"),
      email: text,
      firstName: text,
      lastName: text,
      locale: text,
      tags: z.array(z.string()).default([]),
      emailMarketingConsent: z.object({ marketingState: text }).nullish(),
    })
    .nullish(),
  shippingAddress: z.object({ countryCodeV2: text, provinceCode: text, latitude: coordinate, longitude: coordinate }).nullish(),
  subtotalPriceSet: moneyBag,
  totalPriceSet: moneyBag,
  totalDiscountsSet: moneyBag,
  totalTaxSet: moneyBag,
  totalShippingPriceSet: moneyBag,
  lineItems: connection(lineItemNode),
  fulfillments: z.array(fulfillmentNode).default([]),
  refunds: z.array(refundNode).default([]),
});
export type OrderNode = z.input<typeof orderNode>;

export const ordersPage = z.object({
  orders: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
    nodes: z.array(z.unknown()),
  }),
});
export const singleOrder = z.object({ order: z.unknown().nullable() });

// ---- enum mappings (GraphQL display enums → the REST values the mirror stores) ----

const FULFILLMENT_STATUS: Record<string, string | null> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
  RESTOCKED: "restocked",
};

/** Carrier status of a shipment; statuses that say nothing about the carrier map to null. */
const SHIPMENT_STATUS: Record<string, string> = {
  ATTEMPTED_DELIVERY: "attempted_delivery",
  CONFIRMED: "confirmed",
  DELAYED: "delayed",
  DELIVERED: "delivered",
  FAILURE: "failure",
  IN_TRANSIT: "in_transit",
  LABEL_PRINTED: "label_printed",
  LABEL_PURCHASED: "label_purchased",
  NOT_DELIVERED: "failure",
  OUT_FOR_DELIVERY: "out_for_delivery",
  PICKED_UP: "picked_up",
  READY_FOR_PICKUP: "ready_for_pickup",
};

export function fulfillmentStatusFromDisplay(display: string | null | undefined): string | null {
  return display ? (FULFILLMENT_STATUS[display] ?? null) : null;
}

export function shipmentStatusFromDisplay(display: string | null | undefined): string | null {
  return display ? (SHIPMENT_STATUS[display] ?? null) : null;
}

const lower = (v: string | null | undefined) => (v ? v.toLowerCase() : null);
type MoneyBag = z.infer<typeof moneyBag>;
const amountOf = (set: MoneyBag) => set?.shopMoney.amount ?? null;
/** A MoneyBag as the REST payload's `*_set`. */
const restSet = (set: MoneyBag) =>
  set ? { shop_money: { amount: amountOf(set) }, presentment_money: { amount: set.presentmentMoney?.amount ?? null } } : null;

/** True when a nested connection of the node was cut short (the order must be fetched alone). */
export function hasTruncatedItems(node: z.infer<typeof orderNode>): boolean {
  return (
    !!node.lineItems.pageInfo?.hasNextPage ||
    node.fulfillments.some((f) => f.fulfillmentLineItems.pageInfo?.hasNextPage) ||
    node.refunds.some((r) => r.refundLineItems.pageInfo?.hasNextPage)
  );
}

export function parseOrderNode(raw: unknown): z.infer<typeof orderNode> {
  return orderNode.parse(raw);
}

/** The discount codes the order used (the REST payload's `discount_codes[].code`; the mirror keeps none). */
export function discountCodesOf(raw: unknown): string[] {
  return orderNode.parse(raw).discountCodes;
}

/** A fulfillment of the node in the REST payload's shape (its first tracking number and URL, and all of them). */
function fulfillmentRest(orderId: string, f: z.infer<typeof fulfillmentNode>) {
  const numbers = f.trackingInfo.map((t) => t.number).filter((n): n is string => !!n);
  const urls = f.trackingInfo.map((t) => t.url).filter((u): u is string => !!u);
  return {
    id: f.id,
    order_id: orderId,
    status: lower(f.status),
    shipment_status: shipmentStatusFromDisplay(f.displayStatus),
    tracking_company: f.trackingInfo[0]?.company ?? null,
    tracking_number: numbers[0] ?? null,
    tracking_numbers: numbers,
    tracking_url: urls[0] ?? null,
    tracking_urls: urls,
    estimated_delivery_at: f.estimatedDeliveryAt ?? null,
    line_items: f.fulfillmentLineItems.nodes.map((x) => ({ id: x.lineItem.id, quantity: x.quantity ?? 0 })),
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  };
}

/** Maps a GraphQL Order node onto the payload `orderPayload` parses (REST field names and values). */
export function toOrderPayload(raw: unknown): OrderPayload {
  const node = orderNode.parse(raw);
  const rest = {
    id: node.id,
    name: node.name ?? null,
    confirmation_number: node.confirmationNumber ?? null,
    email: node.email ?? null,
    customer: node.customer
      ? {
          id: node.customer.id,
          email: node.customer.email ?? null,
          first_name: node.customer.firstName ?? null,
          last_name: node.customer.lastName ?? null,
          locale: node.customer.locale ?? null,
          tags: node.customer.tags.join(", "),
          email_marketing_consent: node.customer.emailMarketingConsent ? { state: lower(node.customer.emailMarketingConsent.marketingState) } : null,
        }
      : null,
    customer_locale: node.customerLocale ?? null,
    shipping_address: node.shippingAddress
      ? {
          country_code: node.shippingAddress.countryCodeV2 ?? null,
          province_code: node.shippingAddress.provinceCode ?? null,
          latitude: node.shippingAddress.latitude,
          longitude: node.shippingAddress.longitude,
        }
      : null,
    currency: node.currencyCode ?? null,
    presentment_currency: node.presentmentCurrencyCode ?? null,
    subtotal_price: amountOf(node.subtotalPriceSet),
    total_price: amountOf(node.totalPriceSet),
    total_price_set: restSet(node.totalPriceSet),
    total_discounts: amountOf(node.totalDiscountsSet),
    total_tax: amountOf(node.totalTaxSet),
    total_shipping_price_set: restSet(node.totalShippingPriceSet),
    financial_status: lower(node.displayFinancialStatus),
    fulfillment_status: fulfillmentStatusFromDisplay(node.displayFulfillmentStatus),
    cancelled_at: node.cancelledAt ?? null,
    cancel_reason: lower(node.cancelReason),
    test: node.test ?? null,
    buyer_accepts_marketing: node.customerAcceptsMarketing ?? null,
    created_at: node.createdAt ?? null,
    processed_at: node.processedAt ?? null,
    updated_at: node.updatedAt,
    line_items: node.lineItems.nodes.map((li) => ({
      id: li.id,
      product_id: li.product?.id ?? null,
      variant_id: li.variant?.id ?? null,
      title: li.title,
      variant_title: li.variantTitle ?? null,
      sku: li.sku ?? null,
      vendor: li.vendor ?? null,
      quantity: li.quantity,
      price: amountOf(li.originalUnitPriceSet),
      price_set: restSet(li.originalUnitPriceSet),
    })),
    fulfillments: node.fulfillments.map((f) => fulfillmentRest(node.id, f)),
    refunds: node.refunds.map((r) => ({
      id: r.id,
      order_id: node.id,
      created_at: r.createdAt ?? null,
      note: r.note ?? null,
      refund_line_items: r.refundLineItems.nodes.map((x) => ({ line_item_id: x.lineItem.id, quantity: x.quantity, subtotal: amountOf(x.subtotalSet) })),
      transactions: [{ kind: "refund", status: "success", amount: amountOf(r.totalRefundedSet) }],
    })),
  };
  return orderPayload.parse(rest);
}
