// Schemas for the webhook payloads the order mirror reads. Payloads are untrusted: anything the
// mirror relies on is checked; everything else is ignored (passthrough is not needed).
import { z } from "zod";

export const shopifyId = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()], {
    errorMap: (_issue, ctx) => ({ message: ctx.data === undefined ? "Required" : "must be a numeric id" }),
  })
  .transform(String);

const timestamp = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO timestamp")
  .transform((v) => new Date(v));

const amount = z.union([z.string(), z.number()]).nullish();
const money = z.object({ amount }).nullish();
/** An amount in both currencies: the shop's (`shop_money`, like the plain fields) and the buyer's (`presentment_money`). */
const moneySet = z.object({ shop_money: money, presentment_money: money }).nullish();
export type MoneySet = z.infer<typeof moneySet>;
const text = z.string().nullish();

/** A latitude or longitude as Shopify sends it (a number, or a numeric string); anything else reads as unknown rather than rejecting the order. */
export const coordinate = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === "" ? null : Number(v)))
  .transform((v) => (v !== null && Number.isFinite(v) ? v : null))
  .catch(null);

const customer = z
  .object({
    id: shopifyId,
    email: text,
    first_name: text,
    last_name: text,
    locale: text,
    tags: text,
    email_marketing_consent: z.object({ state: text }).nullish(),
  })
  .nullish();

const lineItem = z.object({
  id: shopifyId,
  product_id: shopifyId.nullish(),
  variant_id: shopifyId.nullish(),
  title: z.string().default(""),
  variant_title: text,
  sku: text,
  vendor: text,
  quantity: z.number().int().nonnegative(),
  price: amount,
  price_set: moneySet,
});

export const fulfillmentPayload = z.object({
  id: shopifyId,
  order_id: shopifyId,
  status: text,
  shipment_status: text,
  tracking_company: text,
  tracking_number: text,
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: text,
  tracking_urls: z.array(z.string()).nullish(),
  estimated_delivery_at: timestamp.nullish(),
  line_items: z.array(z.object({ id: shopifyId, quantity: z.number().int() })).nullish(),
  created_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
});

const refundPayloadShape = {
  id: shopifyId,
  order_id: shopifyId,
  created_at: timestamp.nullish(),
  note: text,
  refund_line_items: z.array(z.object({ line_item_id: shopifyId, quantity: z.number().int(), subtotal: amount, subtotal_set: moneySet })).nullish(),
  // A multi-currency order is refunded in the buyer's currency: `currency` says which.
  transactions: z.array(z.object({ amount, currency: text, kind: text, status: text })).nullish(),
};
export const refundPayload = z.object(refundPayloadShape);

export const orderPayload = z.object({
  id: shopifyId,
  name: text,
  confirmation_number: text,
  email: text,
  contact_email: text,
  customer,
  customer_locale: text,
  shipping_address: z.object({ country_code: text, province_code: text, latitude: coordinate, longitude: coordinate }).nullish(),
  currency: text,
  presentment_currency: text,
  subtotal_price: amount,
  total_price: amount,
  total_price_set: moneySet,
  total_discounts: amount,
  total_tax: amount,
  total_shipping_price_set: moneySet,
  financial_status: text,
  fulfillment_status: text,
  cancelled_at: timestamp.nullish(),
  cancel_reason: text,
  test: z.boolean().nullish(),
  buyer_accepts_marketing: z.boolean().nullish(),
  discount_codes: z.array(z.object({ code: z.string(), amount, type: text })).nullish(),
  created_at: timestamp.nullish(),
  processed_at: timestamp.nullish(),
  updated_at: timestamp,
  line_items: z.array(lineItem).default([]),
  // Embedded in order payloads without order_id; filled in by the mirror.
  fulfillments: z.array(fulfillmentPayload.extend({ order_id: shopifyId.nullish() })).default([]),
  refunds: z.array(z.object({ ...refundPayloadShape, order_id: shopifyId.nullish() })).default([]),
});

export const fulfillmentEventPayload = z.object({
  id: shopifyId,
  fulfillment_id: shopifyId,
  order_id: shopifyId,
  status: z.string().min(1),
  message: text,
  happened_at: timestamp.nullish(),
  created_at: timestamp.nullish(),
  estimated_delivery_at: timestamp.nullish(),
});

export type OrderPayload = z.infer<typeof orderPayload>;
export type FulfillmentPayload = z.infer<typeof fulfillmentPayload>;
export type FulfillmentEventPayload = z.infer<typeof fulfillmentEventPayload>;
export type RefundPayload = z.infer<typeof refundPayload>;

/** A short reason naming the first fields that failed, for the delivery log (never the values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`)
    .join("; ");
}
