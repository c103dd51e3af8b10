// The fields that REST-shaped (webhook) payloads share: timestamps in the shop's zone, money sets,
// addresses and line items, each overwriting Shopify's example with the emulator's values.
import { type OrderCurrencies, bothSides, presentmentOf, shopAmount } from "./currency";
import { type Address, type LineItem, type Order, type ShopState, gid, unfulfilledQuantity } from "./state";

export interface PayloadContext {
  shop: ShopState;
  version: string;
}

export type Json = Record<string, unknown>;

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

/** One of the order's amounts (the buyer's `cents`) as a REST money set: the shop's and the buyer's side. */
export function moneySet(cents: number, order: OrderCurrencies): Json {
  const { shop, presentment } = bothSides(order, cents, "currency_code");
  return { shop_money: shop, presentment_money: presentment };
}

/** Every `currency_code` left over from the example becomes the order's: the buyer's under `presentment_money`, else the shop's. */
export function withCurrency<T>(value: T, order: OrderCurrencies, currency = order.currency): T {
  if (Array.isArray(value)) return value.map((v) => withCurrency(v, order, currency)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === "currency_code" && typeof v === "string" ? currency : withCurrency(v, order, k === "presentment_money" ? presentmentOf(order) : currency),
      ]),
    ) as T;
  }
  return value;
}

export const first = (v: unknown): Json => (Array.isArray(v) && v[0] && typeof v[0] === "object" ? (v[0] as Json) : {});
export const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

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
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
  };
}

export function lineItemRest(ctx: PayloadContext, template: unknown, order: Order, li: LineItem, quantity = li.quantity): Json {
  const remaining = unfulfilledQuantity(order, li);
  const refundedQty = order.refunds
    .flatMap((r) => r.lineItems)
    .filter((r) => r.lineItemId === li.id)
    .reduce((s, r) => s + r.quantity, 0);
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
    price: shopAmount(order, li.priceCents),
    price_set: moneySet(li.priceCents, order),
    product_exists: li.productId != null,
    product_id: li.productId,
    properties: [],
    quantity,
    requires_shipping: true,
    sku: li.sku,
    taxable: true,
    title: li.title,
    total_discount: "0.00",
    total_discount_set: moneySet(0, order),
    variant_id: li.variantId,
    variant_title: li.variantTitle,
    vendor: ctx.shop.products.find((p) => p.id === li.productId)?.vendor ?? null, // a custom line item has none
    tax_lines: [],
    duties: [],
    discount_allocations: [],
  };
}
