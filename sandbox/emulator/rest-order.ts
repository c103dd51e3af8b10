// REST-shaped (webhook) order payloads: Shopify's example for the topic, overwritten with real values.
import { examplePayload } from "./examples";
import { fulfillmentRest, refundRest } from "./rest-resources";
import {
  type Address,
  type Customer,
  type LineItem,
  type Order,
  type ShopState,
  centsToAmount,
  fulfillmentStatusOf,
  gid,
  orderConfirmationNumber,
  orderDiscountCents,
  orderLineItemsCents,
  orderRefundedCents,
  orderTotalCents,
  unfulfilledQuantity,
} from "./state";

export interface PayloadContext {
  shop: ShopState;
  version: string;
}

type Json = Record<string, unknown>;

/** "2026-11-22T03:15:00-05:00": Shopify's REST timestamps are in the shop's time zone. */
export function restTime(iso: string | null | undefined, timeZone: string): string | null {
  if (!iso) return null;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "longOffset",
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const offset = get("timeZoneName").replace(/^GMT/, "") || "+00:00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}${offset}`;
}

export function moneySet(cents: number, currency: string): Json {
  const m = { amount: centsToAmount(cents), currency_code: currency };
  return { shop_money: m, presentment_money: { ...m } };
}

/** Every `currency_code` left over from the example becomes the order's currency. */
export function withCurrency<T>(value: T, currency: string): T {
  if (Array.isArray(value)) return value.map((v) => withCurrency(v, currency)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === "currency_code" && typeof v === "string" ? currency : withCurrency(v, currency)]),
    ) as T;
  }
  return value;
}

const first = (v: unknown): Json => (Array.isArray(v) && v[0] && typeof v[0] === "object" ? (v[0] as Json) : {});
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

export function addressRest(template: unknown, a: Address, phone: string | null = null): Json {
  return {
    ...obj(template),
    first_name: a.firstName,
    last_name: a.lastName,
    name: `${a.firstName} ${a.lastName}`.trim(),
    address1: a.address1,
    address2: null,
    company: null,
    phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    province_code: a.provinceCode,
    country: a.country,
    country_code: a.countryCode,
    latitude: null,
    longitude: null,
  };
}

export function lineItemRest(ctx: PayloadContext, template: unknown, order: Order, li: LineItem, quantity = li.quantity): Json {
  const remaining = unfulfilledQuantity(order, li);
  const refundedQty = order.refunds.flatMap((r) => r.lineItems).filter((r) => r.lineItemId === li.id).reduce((s, r) => s + r.quantity, 0);
  return {
    ...obj(template),
    id: li.id,
    admin_graphql_api_id: gid("LineItem", li.id),
    attributed_staffs: [],
    current_quantity: Math.max(0, li.quantity - refundedQty),
    fulfillable_quantity: order.cancelledAt ? 0 : remaining,
    fulfillment_service: "manual",
    fulfillment_status: remaining === 0 ? "fulfilled" : remaining < li.quantity ? "partial" : null,
    gift_card: false,
    name: li.variantTitle && li.variantTitle !== "Default Title" ? `${li.title} - ${li.variantTitle}` : li.title,
    price: centsToAmount(li.priceCents),
    price_set: moneySet(li.priceCents, order.currency),
    product_exists: li.productId != null,
    product_id: li.productId,
    properties: [],
    quantity,
    requires_shipping: true,
    sku: li.sku,
    taxable: true,
    title: li.title,
    total_discount: "0.00",
    total_discount_set: moneySet(0, order.currency),
    variant_id: li.variantId,
    variant_title: li.variantTitle,
    vendor: ctx.shop.name,
    tax_lines: [],
    duties: [],
    discount_allocations: [],
  };
}

/** The fields of a REST customer the emulator's customers do not vary (Shopify's values for a plain account). */
export const REST_CUSTOMER_FIXED = { state: "enabled", note: null, verified_email: true, multipass_identifier: null, tax_exempt: false, phone: null };

export function customerRest(ctx: PayloadContext, template: unknown, c: Customer): Json {
  const t = obj(template);
  const tz = ctx.shop.ianaTimezone;
  return {
    ...t,
    id: c.id,
    admin_graphql_api_id: gid("Customer", c.id),
    created_at: restTime(c.createdAt, tz),
    updated_at: restTime(c.updatedAt, tz),
    first_name: c.firstName,
    last_name: c.lastName,
    email: c.email,
    ...REST_CUSTOMER_FIXED,
    currency: ctx.shop.currencyCode,
    tax_exemptions: [],
    default_address: {
      ...addressRest(t.default_address, c.address),
      id: c.id + 1_000_000_000,
      customer_id: c.id,
      country_name: c.address.country,
      default: true,
    },
  };
}

export function orderRest(ctx: PayloadContext, order: Order, topic: string): Json {
  const ex = examplePayload(topic, ctx.version);
  const tz = ctx.shop.ianaTimezone;
  const cur = order.currency;
  const total = orderTotalCents(order);
  const lineItemsTotal = orderLineItemsCents(order);
  const discounts = orderDiscountCents(order);
  const refunded = orderRefundedCents(order);
  const customer = ctx.shop.customers.find((c) => c.id === order.customerId);
  const payload: Json = {
    ...ex,
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    buyer_accepts_marketing: order.buyerAcceptsMarketing,
    cancel_reason: order.cancelReason,
    cancelled_at: restTime(order.cancelledAt, tz),
    closed_at: null,
    confirmation_number: orderConfirmationNumber(order),
    confirmed: true,
    contact_email: order.email,
    created_at: restTime(order.createdAt, tz),
    currency: cur,
    presentment_currency: cur,
    customer_locale: order.customerLocale,
    // Shopify's shape: [{ code, amount: "8.00", type: "percentage" | "fixed_amount" | "shipping" }]
    discount_codes: (order.discountCodes ?? []).map((d) => ({ code: d.code, amount: centsToAmount(d.amountCents), type: d.type })),
    email: order.email,
    financial_status: order.financialStatus,
    fulfillment_status: fulfillmentStatusOf(order),
    name: order.name,
    note: null,
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${ctx.shop.domain}/${ctx.shop.id}/orders/${order.token}/authenticate?key=${order.token.slice(0, 16)}`,
    phone: null,
    processed_at: restTime(order.processedAt, tz),
    tags: "",
    test: order.test,
    token: order.token,
    updated_at: restTime(order.updatedAt, tz),
    user_id: null,
    current_subtotal_price: centsToAmount(total - refunded),
    current_subtotal_price_set: moneySet(total - refunded, cur),
    current_total_price: centsToAmount(total - refunded),
    current_total_price_set: moneySet(total - refunded, cur),
    current_total_discounts: centsToAmount(discounts),
    current_total_discounts_set: moneySet(discounts, cur),
    current_total_tax: "0.00",
    current_total_tax_set: moneySet(0, cur),
    current_shipping_price_set: moneySet(0, cur),
    subtotal_price: centsToAmount(total),
    subtotal_price_set: moneySet(total, cur),
    total_price: centsToAmount(total),
    total_price_set: moneySet(total, cur),
    total_line_items_price: centsToAmount(lineItemsTotal),
    total_line_items_price_set: moneySet(lineItemsTotal, cur),
    total_discounts: centsToAmount(discounts),
    total_discounts_set: moneySet(discounts, cur),
    total_outstanding: "0.00",
    total_shipping_price_set: moneySet(0, cur),
    total_tax: "0.00",
    total_tax_set: moneySet(0, cur),
    total_tip_received: "0.00",
    total_weight: 0,
    tax_lines: [],
    discount_applications: (order.discountCodes ?? []).map((d) => ({
      type: "discount_code",
      code: d.code,
      value: d.type === "percentage" ? `${d.value}.0` : centsToAmount(d.value),
      value_type: d.type,
      allocation_method: "across",
      target_selection: "all",
      target_type: "line_item",
    })),
    shipping_lines: [],
    returns: [],
    line_item_groups: [],
    billing_address: addressRest(ex.billing_address, order.shippingAddress),
    shipping_address: addressRest(ex.shipping_address, order.shippingAddress),
    customer: customer ? customerRest(ctx, ex.customer, customer) : null,
    line_items: order.lineItems.map((li) => lineItemRest(ctx, first(ex.line_items), order, li)),
    fulfillments: order.fulfillments.map((f) => fulfillmentRest(ctx, order, f)),
    refunds: order.refunds.map((r) => refundRest(ctx, order, r)),
  };
  return withCurrency(payload, cur);
}
