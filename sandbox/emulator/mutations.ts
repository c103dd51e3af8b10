// State changes behind the control API (no webhooks here — see emulator.ts).
import { HttpError } from "../http";
import { SANDBOX_CURRENCIES, convertCents } from "./currency";
import { findAddressByCountry, seedAddress } from "./seed";
import {
  type Customer,
  type EmulatorState,
  type Fulfillment,
  type FulfillmentEvent,
  type LineItem,
  type Order,
  type OrderDiscountCode,
  type Refund,
  type ShopState,
  amountToCents,
  orderRefundedCents,
  orderTotalCents,
  parseId,
  unfulfilledQuantity,
} from "./state";
import { paidOrder } from "./paid-order";

export interface PlaceOrderInput {
  email?: string;
  firstName?: string;
  lastName?: string;
  country?: string;
  province?: string;
  marketingConsent?: boolean;
  customerId?: string | number;
  lineItems?: { productId?: string | number; variantId?: string | number; title?: string; price?: string | number; quantity?: number }[];
  /** The buyer's (presentment) currency: the prices given are in it; default the shop's. */
  currency?: string;
  /** The language the buyer checked out in (the order's customer_locale); default: the customer's (English for a new one). */
  locale?: string;
  /** A code created with discountCodeBasicCreate, applied at checkout (validated like Shopify: active, usage limit, customer). */
  discountCode?: string;
}

export interface FulfillInput {
  trackingNumber?: string;
  company?: string;
  estimatedDeliveryAt?: string;
  lineItems?: { lineItemId: string | number; quantity?: number }[];
}

export const SHIPMENT_STATUSES = ["in_transit", "out_for_delivery", "delayed", "attempted_delivery", "failure", "delivered"] as const;
export interface FulfillmentEventInput {
  status: string;
  message?: string;
  happenedAt?: string;
  estimatedDeliveryAt?: string;
}

const FIRST_NAMES = ["Sam", "Riley", "Jordan", "Alex", "Morgan", "Casey", "Taylor", "Quinn"];
const LAST_NAMES = ["Parker", "Reed", "Hayes", "Ellis", "Grant", "Lane", "Shaw", "Wells"];

export function findOrder(shop: ShopState, id: unknown): Order {
  const order = shop.orders.find((o) => o.id === parseId(id));
  if (!order) throw new HttpError(404, `order ${String(id)} not found in ${shop.domain}`);
  return order;
}

function existingCustomer(shop: ShopState, input: PlaceOrderInput): Customer | undefined {
  return input.customerId != null
    ? shop.customers.find((c) => c.id === parseId(input.customerId))
    : input.email
      ? shop.customers.find((c) => c.email.toLowerCase() === input.email!.toLowerCase())
      : undefined;
}

function resolveCustomer(state: EmulatorState, shop: ShopState, input: PlaceOrderInput): Customer {
  const now = state.nowIso();
  let customer = existingCustomer(shop, input);
  if (input.customerId != null && !customer) throw new HttpError(404, `customer ${String(input.customerId)} not found`);
  if (!customer) {
    const n = ++shop.generatedCustomers;
    const place = (input.country && findAddressByCountry(input.country.toUpperCase(), input.province?.toUpperCase())) || seedAddress(n - 1);
    const firstName = input.firstName ?? FIRST_NAMES[(n - 1) % FIRST_NAMES.length];
    const lastName = input.lastName ?? LAST_NAMES[(n - 1) % LAST_NAMES.length];
    customer = {
      id: state.nextId("customer"),
      email: input.email ?? `shopper+${n}@example.com`,
      firstName,
      lastName,
      // The language the buyer asked for, else English: an address abroad does not make a new
      // shopper write in its language (the seeded customers have theirs).
      locale: input.locale ?? "en",
      timezone: place.timezone,
      tags: [],
      address: { ...place.address, firstName, lastName },
      marketingState: "NOT_SUBSCRIBED",
      marketingOptInLevel: "UNKNOWN",
      consentUpdatedAt: null,
      ordersCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    shop.customers.push(customer);
  }
  if (input.marketingConsent !== undefined) {
    const next = input.marketingConsent ? "SUBSCRIBED" : customer.marketingState === "SUBSCRIBED" ? "UNSUBSCRIBED" : customer.marketingState;
    if (next !== customer.marketingState) {
      customer.marketingState = next;
      customer.marketingOptInLevel = "SINGLE_OPT_IN";
      customer.consentUpdatedAt = now;
    }
  }
  customer.ordersCount++;
  if (customer.createdAt !== now) customer.updatedAt = state.nextUpdatedAt(customer.updatedAt);
  return customer;
}

/** The order's line items, priced in the buyer's `currency` (a variant's price converted from the shop's). */
function buildLineItems(state: EmulatorState, shop: ShopState, input: PlaceOrderInput, currency: string): LineItem[] {
  const requested = input.lineItems?.length ? input.lineItems : [{}];
  return requested.map((req) => {
    const variantId = parseId(req.variantId);
    let product = shop.products.find((p) => p.id === parseId(req.productId) || p.variants.some((v) => v.id === variantId));
    if ((req.productId != null || req.variantId != null) && !product) throw new HttpError(404, "product/variant not found");
    if (!product && !req.title) product = shop.products[Math.floor(shop.random() * shop.products.length)];
    const variant = product?.variants.find((v) => v.id === variantId) ?? product?.variants[0];
    const priceCents = req.price != null ? amountToCents(req.price) : convertCents(variant?.priceCents ?? 1000, shop.currencyCode, currency);
    if (priceCents == null) throw new HttpError(400, "invalid price");
    return {
      id: state.nextId("lineItem"),
      productId: product?.id ?? null,
      variantId: variant?.id ?? null,
      title: req.title ?? product?.title ?? "Custom item",
      variantTitle: variant?.title ?? null,
      sku: variant?.sku ?? null,
      quantity: Math.max(1, Math.floor(req.quantity ?? 1)),
      priceCents,
    };
  });
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The customer gids a discount is limited to (customerSelection, or the newer context), or null for everyone. */
export function discountCustomerIds(input: Record<string, unknown>): string[] | null {
  const selection = obj(input.customerSelection ?? input.context);
  const add = obj(selection.customers).add;
  return Array.isArray(add) ? add.map(String) : null;
}

/** The discount a code gives a new order, as checkout would compute it; throws 422 when checkout would refuse it. */
function checkDiscountCode(state: EmulatorState, shop: ShopState, customer: Customer | undefined, lineItems: LineItem[], code: string): OrderDiscountCode {
  const d = shop.discounts.find((x) => x.code.toLowerCase() === code.trim().toLowerCase());
  if (!d) throw new HttpError(422, `discount code ${code} does not exist`);
  const now = state.now().getTime();
  if ((d.startsAt && Date.parse(d.startsAt) > now) || (d.endsAt && Date.parse(d.endsAt) <= now))
    throw new HttpError(422, `discount code ${d.code} is not active`);
  const limit = typeof d.input.usageLimit === "number" ? d.input.usageLimit : null;
  if (limit !== null && (d.usageCount ?? 0) >= limit) throw new HttpError(422, `discount code ${d.code} has reached its usage limit`);
  const customers = discountCustomerIds(d.input);
  if (customers && !customers.some((id) => parseId(id) === customer?.id)) throw new HttpError(422, `discount code ${d.code} is not available to this customer`);
  const gross = lineItems.reduce((sum, li) => sum + li.priceCents * li.quantity, 0);
  const value = obj(obj(d.input.customerGets).value);
  let discount: OrderDiscountCode;
  if (typeof value.percentage === "number") {
    const percent = Math.round(value.percentage * 100);
    discount = { code: d.code, type: "percentage", value: percent, amountCents: Math.round(gross * value.percentage) };
  } else {
    const fixed = amountToCents(obj(value.discountAmount).amount) ?? 0;
    discount = { code: d.code, type: "fixed_amount", value: fixed, amountCents: Math.min(fixed, gross) };
  }
  return discount;
}

export function createOrder(state: EmulatorState, shop: ShopState, input: PlaceOrderInput): Order {
  const currency = (input.currency ?? shop.currencyCode).toUpperCase();
  if (!SANDBOX_CURRENCIES.includes(currency)) throw new HttpError(422, `the sandbox places orders in ${SANDBOX_CURRENCIES.join(", ")}, not ${currency}`);
  const lineItems = buildLineItems(state, shop, input, currency);
  // Checked before anything changes: a refused code places no order (a new customer is never on a code's list).
  const discountCodes = input.discountCode ? [checkDiscountCode(state, shop, existingCustomer(shop, input), lineItems, input.discountCode)] : [];
  const customer = resolveCustomer(state, shop, input);
  for (const used of discountCodes) {
    const d = shop.discounts.find((x) => x.code === used.code);
    if (d) d.usageCount = (d.usageCount ?? 0) + 1;
  }
  const order: Order = {
    ...paidOrder(state, shop, customer, { at: state.nowIso(), lineItems, presentmentCurrency: currency }),
    ...(discountCodes.length ? { discountCodes } : {}),
    ...(input.locale ? { customerLocale: input.locale } : {}),
  };
  shop.orders.push(order);
  return order;
}

const TRACKING_URLS: Record<string, (n: string) => string> = {
  UPS: (n) => `https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=${n}`,
  USPS: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  FedEx: (n) => `https://www.fedex.com/fedextrack/?tracknumbers=${n}`,
  DHL: (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}`,
};

export function createFulfillment(state: EmulatorState, shop: ShopState, order: Order, input: FulfillInput): Fulfillment {
  if (order.cancelledAt) throw new HttpError(422, "order is cancelled");
  const items = input.lineItems?.length
    ? input.lineItems.map((x) => {
        const li = order.lineItems.find((l) => l.id === parseId(x.lineItemId));
        if (!li) throw new HttpError(404, `line item ${String(x.lineItemId)} not found`);
        const quantity = Math.floor(x.quantity ?? unfulfilledQuantity(order, li));
        if (quantity < 1 || quantity > unfulfilledQuantity(order, li)) throw new HttpError(422, `invalid quantity for line item ${li.id}`);
        return { lineItemId: li.id, quantity };
      })
    : order.lineItems.map((li) => ({ lineItemId: li.id, quantity: unfulfilledQuantity(order, li) })).filter((x) => x.quantity > 0);
  if (!items.length) throw new HttpError(422, "nothing left to fulfill");
  const company = input.company ?? "UPS";
  const trackingNumber =
    input.trackingNumber ??
    `1Z${Math.floor(shop.random() * 1e12)
      .toString(36)
      .toUpperCase()
      .padStart(8, "0")}${order.number}`;
  const now = state.nowIso();
  const f: Fulfillment = {
    id: state.nextId("fulfillment"),
    orderId: order.id,
    name: `${order.name}.${order.fulfillments.length + 1}`,
    status: "success",
    shipmentStatus: null,
    trackingCompany: company,
    trackingNumber,
    trackingUrl: (TRACKING_URLS[company] ?? ((n: string) => `https://track.example/${encodeURIComponent(n)}`))(trackingNumber),
    estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
    deliveredAt: null,
    createdAt: now,
    updatedAt: now,
    lineItems: items,
    events: [],
  };
  order.fulfillments.push(f);
  order.updatedAt = state.nextUpdatedAt(order.updatedAt);
  return f;
}

export function findFulfillment(shop: ShopState, id: unknown): { order: Order; fulfillment: Fulfillment } {
  const fid = parseId(id);
  for (const order of shop.orders) {
    const fulfillment = order.fulfillments.find((f) => f.id === fid);
    if (fulfillment) return { order, fulfillment };
  }
  throw new HttpError(404, `fulfillment ${String(id)} not found in ${shop.domain}`);
}

export function addFulfillmentEvent(state: EmulatorState, order: Order, f: Fulfillment, input: FulfillmentEventInput): FulfillmentEvent {
  if (!(SHIPMENT_STATUSES as readonly string[]).includes(input.status)) {
    throw new HttpError(400, `status must be one of ${SHIPMENT_STATUSES.join(", ")}`);
  }
  const now = state.nowIso();
  const happenedAt = input.happenedAt ? new Date(input.happenedAt).toISOString().replace(/\.\d{3}Z$/, "Z") : now;
  if (input.estimatedDeliveryAt) f.estimatedDeliveryAt = input.estimatedDeliveryAt;
  const event: FulfillmentEvent = {
    id: state.nextId("fulfillmentEvent"),
    fulfillmentId: f.id,
    orderId: order.id,
    status: input.status,
    message: input.message ?? null,
    happenedAt,
    estimatedDeliveryAt: f.estimatedDeliveryAt,
    createdAt: now,
    updatedAt: now,
  };
  f.events.push(event);
  f.shipmentStatus = input.status;
  if (input.status === "delivered") f.deliveredAt = happenedAt;
  f.updatedAt = state.nextUpdatedAt(f.updatedAt);
  order.updatedAt = state.nextUpdatedAt(order.updatedAt);
  return event;
}

export function cancelOrder(state: EmulatorState, order: Order): void {
  if (order.cancelledAt) throw new HttpError(422, "order is already cancelled");
  order.cancelledAt = state.nowIso();
  order.cancelReason = "customer";
  order.updatedAt = state.nextUpdatedAt(order.updatedAt);
}

export function createRefund(state: EmulatorState, order: Order, amount?: string | number): Refund {
  const total = orderTotalCents(order);
  const remaining = total - orderRefundedCents(order);
  if (remaining <= 0) throw new HttpError(422, "order is already fully refunded");
  const requested = amount == null ? remaining : amountToCents(amount);
  if (requested == null || requested <= 0 || requested > remaining) throw new HttpError(422, `amount must be between 0.01 and ${(remaining / 100).toFixed(2)}`);
  const full = amount == null;
  const withItems = full && order.refunds.length === 0;
  const refund: Refund = {
    id: state.nextId("refund"),
    orderId: order.id,
    createdAt: state.nowIso(),
    amountCents: requested,
    note: full ? "Full refund" : null,
    transactionId: state.nextId("transaction"),
    lineItems: withItems
      ? order.lineItems.map((li) => ({
          id: state.nextId("refundLineItem"),
          lineItemId: li.id,
          quantity: li.quantity,
          subtotalCents: li.priceCents * li.quantity,
        }))
      : [],
  };
  order.refunds.push(refund);
  order.financialStatus = orderRefundedCents(order) >= total ? "refunded" : "partially_refunded";
  order.updatedAt = state.nextUpdatedAt(order.updatedAt);
  return refund;
}
