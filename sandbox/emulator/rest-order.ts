// REST-shaped (webhook) order payloads: Shopify's example for the topic, overwritten with real values.
import { presentmentOf, shopAmount } from "./currency";
import { examplePayload } from "./examples";
import { type Json, type PayloadContext, addressRest, first, lineItemRest, moneySet, obj, restTime, withCurrency } from "./rest-fields";
import { fulfillmentRest, refundRest } from "./rest-resources";
import {
  type Customer,
  type Order,
  fulfillmentStatusOf,
  gid,
  orderConfirmationNumber,
  orderDiscountCents,
  orderLineItemsCents,
  orderRefundedCents,
  orderTotalCents,
} from "./state";

export type { PayloadContext } from "./rest-fields";

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
    currency: order.currency,
    presentment_currency: presentmentOf(order),
    customer_locale: order.customerLocale,
    // Shopify's shape: [{ code, amount: "8.00", type: "percentage" | "fixed_amount" | "shipping" }]
    discount_codes: (order.discountCodes ?? []).map((d) => ({ code: d.code, amount: shopAmount(order, d.amountCents), type: d.type })),
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
    current_subtotal_price: shopAmount(order, total - refunded),
    current_subtotal_price_set: moneySet(total - refunded, order),
    current_total_price: shopAmount(order, total - refunded),
    current_total_price_set: moneySet(total - refunded, order),
    current_total_discounts: shopAmount(order, discounts),
    current_total_discounts_set: moneySet(discounts, order),
    current_total_tax: "0.00",
    current_total_tax_set: moneySet(0, order),
    current_shipping_price_set: moneySet(0, order),
    subtotal_price: shopAmount(order, total),
    subtotal_price_set: moneySet(total, order),
    total_price: shopAmount(order, total),
    total_price_set: moneySet(total, order),
    total_line_items_price: shopAmount(order, lineItemsTotal),
    total_line_items_price_set: moneySet(lineItemsTotal, order),
    total_discounts: shopAmount(order, discounts),
    total_discounts_set: moneySet(discounts, order),
    total_outstanding: "0.00",
    total_shipping_price_set: moneySet(0, order),
    total_tax: "0.00",
    total_tax_set: moneySet(0, order),
    total_tip_received: "0.00",
    total_weight: 0,
    tax_lines: [],
    discount_applications: (order.discountCodes ?? []).map((d) => ({
      type: "discount_code",
      code: d.code,
      value: d.type === "percentage" ? `${d.value}.0` : shopAmount(order, d.value),
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
  return withCurrency(payload, order);
}
