// REST-shaped (webhook) payloads for fulfillments, fulfillment events, refunds, the shop and the
// compliance / app topics — Shopify's examples overwritten with the emulator's values.
import { examplePayload } from "./examples";
import { type Json, type PayloadContext, addressRest, first, lineItemRest, moneySet, restTime, withCurrency } from "./rest-fields";
import { SANDBOX_CURRENCIES, presentmentOf, shopAmount } from "./currency";
import { type Fulfillment, type FulfillmentEvent, type Order, type Refund, centsToAmount, gid } from "./state";

export function fulfillmentRest(ctx: PayloadContext, order: Order, f: Fulfillment, topic = "fulfillments/create"): Json {
  const ex = examplePayload(topic, ctx.version);
  const tz = ctx.shop.ianaTimezone;
  const payload: Json = {
    ...ex,
    id: f.id,
    admin_graphql_api_id: gid("Fulfillment", f.id),
    order_id: order.id,
    name: f.name,
    status: f.status,
    service: "manual",
    created_at: restTime(f.createdAt, tz),
    updated_at: restTime(f.updatedAt, tz),
    tracking_company: f.trackingCompany,
    tracking_number: f.trackingNumber,
    tracking_numbers: f.trackingNumber ? [f.trackingNumber] : [],
    tracking_url: f.trackingUrl,
    tracking_urls: f.trackingUrl ? [f.trackingUrl] : [],
    shipment_status: f.shipmentStatus,
    location_id: null,
    origin_address: null,
    email: order.email,
    destination: addressRest(ex.destination, order.shippingAddress),
    receipt: {},
    line_items: f.lineItems.flatMap(({ lineItemId, quantity }) => {
      const li = order.lineItems.find((x) => x.id === lineItemId);
      return li ? [lineItemRest(ctx, first(ex.line_items), order, li, quantity)] : [];
    }),
  };
  return withCurrency(payload, order);
}

export function fulfillmentEventRest(ctx: PayloadContext, order: Order, e: FulfillmentEvent): Json {
  const ex = examplePayload("fulfillment_events/create", ctx.version);
  const tz = ctx.shop.ianaTimezone;
  return {
    ...ex,
    id: e.id,
    admin_graphql_api_id: gid("FulfillmentEvent", e.id),
    fulfillment_id: e.fulfillmentId,
    order_id: order.id,
    shop_id: ctx.shop.id,
    status: e.status,
    message: e.message,
    happened_at: restTime(e.happenedAt, tz),
    created_at: restTime(e.createdAt, tz),
    updated_at: restTime(e.updatedAt, tz),
    estimated_delivery_at: restTime(e.estimatedDeliveryAt, tz),
    city: null,
    province: null,
    country: order.shippingAddress.countryCode,
    zip: null,
    address1: null,
    latitude: null,
    longitude: null,
  };
}

export function refundRest(ctx: PayloadContext, order: Order, r: Refund): Json {
  const ex = examplePayload("refunds/create", ctx.version);
  const tz = ctx.shop.ianaTimezone;
  const cur = order.currency;
  const rli = first(ex.refund_line_items);
  const payload: Json = {
    ...ex,
    id: r.id,
    admin_graphql_api_id: gid("Refund", r.id),
    order_id: order.id,
    created_at: restTime(r.createdAt, tz),
    processed_at: restTime(r.createdAt, tz),
    note: r.note,
    user_id: null,
    restock: false,
    return: null,
    duties: [],
    total_duties_set: moneySet(0, order),
    refund_shipping_lines: [],
    order_adjustments: [],
    refund_line_items: r.lineItems.flatMap((x) => {
      const li = order.lineItems.find((l) => l.id === x.lineItemId);
      if (!li) return [];
      return [
        {
          ...rli,
          id: x.id,
          line_item_id: li.id,
          quantity: x.quantity,
          location_id: null,
          restock_type: "no_restock",
          subtotal: Number(shopAmount(order, x.subtotalCents)),
          total_tax: 0,
          subtotal_set: moneySet(x.subtotalCents, order),
          total_tax_set: moneySet(0, order),
          line_item: lineItemRest(ctx, rli.line_item, order, li),
        },
      ];
    }),
    transactions: [
      {
        ...first(ex.transactions),
        id: r.transactionId,
        admin_graphql_api_id: gid("OrderTransaction", r.transactionId),
        order_id: order.id,
        kind: "refund",
        gateway: "bogus",
        status: "success",
        message: "Refunded",
        created_at: restTime(r.createdAt, tz),
        processed_at: restTime(r.createdAt, tz),
        test: order.test,
        parent_id: null,
        // Shopify refunds a multi-currency order in the buyer's currency, as here.
        amount: centsToAmount(r.amountCents),
        currency: presentmentOf(order),
        payment_id: `${order.name}.${order.refunds.indexOf(r) + 2}`,
        total_unsettled_set: { presentment_money: { amount: "0.0", currency: presentmentOf(order) }, shop_money: { amount: "0.0", currency: cur } },
      },
    ],
  };
  return withCurrency(payload, order);
}

function gmtLabel(tz: string): string {
  const offset = restTime(new Date().toISOString(), tz)?.slice(19) ?? "+00:00";
  return `(GMT${offset}) ${tz}`;
}

/** app/uninstalled and shop/update share the REST Shop resource. */
export function shopRest(ctx: PayloadContext, topic: string): Json {
  const s = ctx.shop;
  return {
    ...examplePayload(topic, ctx.version),
    id: s.id,
    name: s.name,
    email: s.email,
    customer_email: s.contactEmail,
    domain: s.primaryDomainHost,
    myshopify_domain: s.domain,
    currency: s.currencyCode,
    enabled_presentment_currencies: [s.currencyCode, ...SANDBOX_CURRENCIES.filter((c) => c !== s.currencyCode)],
    iana_timezone: s.ianaTimezone,
    timezone: gmtLabel(s.ianaTimezone),
    created_at: restTime(s.createdAt, s.ianaTimezone),
    updated_at: restTime(s.createdAt, s.ianaTimezone),
  };
}

/** Example payloads for the mandatory compliance topics and app/scopes_update, filled for this shop. */
export function appTopicRest(ctx: PayloadContext, topic: string, scopes: string, nowIso: string): Json {
  const ex = examplePayload(topic, ctx.version);
  const s = ctx.shop;
  const customer = s.customers[0];
  const orderIds = customer ? s.orders.filter((o) => o.customerId === customer.id).map((o) => o.id) : [];
  const who = customer ? { id: customer.id, email: customer.email, phone: null } : ex.customer;
  switch (topic) {
    case "customers/data_request":
      return { ...ex, shop_id: s.id, shop_domain: s.domain, customer: who, orders_requested: orderIds, data_request: { id: s.id + 1 } };
    case "customers/redact":
      return { ...ex, shop_id: s.id, shop_domain: s.domain, customer: who, orders_to_redact: orderIds };
    case "shop/redact":
      return { ...ex, shop_id: s.id, shop_domain: s.domain };
    case "app/scopes_update": {
      const current = scopes
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      return { ...ex, id: s.id, shop_id: gid("Shop", s.id), previous: current, current, updated_at: nowIso };
    }
    default:
      return ex;
  }
}
