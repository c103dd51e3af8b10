// The local mirror of Shopify orders. Webhooks arrive at least once and out of order, so every
// write is an idempotent upsert and the newest version wins (by Shopify's updated_at/happened_at).
// A fulfillment, event or refund that arrives before its order creates a placeholder order that
// the order payload fills in later: nothing is lost and the mirror converges.
import type { Fulfillment, Prisma, Shop } from "@prisma/client";
import { touchDays } from "../dashboard/touch";
import { normalizedEmailOrNull } from "../util/email";
import { toGid } from "../util/gid";
import { toMinorUnits } from "../util/money";
import { type RefundMoney, refundedShopCents } from "./refund-money";
import type { FulfillmentEventPayload, FulfillmentPayload, MoneySet, OrderPayload, RefundPayload } from "./payloads";
import { placedBeforeInstall } from "./pre-install";

type Tx = Prisma.TransactionClient;

// The ensure* helpers insert with ON CONFLICT DO NOTHING and then read: an upsert with nothing to
// update is a read then an insert, which two webhooks about a new order at once turn into a unique
// violation (docs/decisions/026-concurrent-transactions.md). The insert returns the row it made, so
// only a row that already existed is read again; `created` says which (a row this transaction
// inserted is seen by no other until it commits: it has no line items, fulfillments or incidents).
async function ensureOrderRow(tx: Tx, shopId: string, orderGid: string) {
  const [inserted] = await tx.order.createManyAndReturn({ data: [{ shopId, shopifyId: orderGid }], skipDuplicates: true });
  if (inserted) return { order: inserted, created: true };
  return { order: await tx.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: orderGid } } }), created: false };
}

export async function ensureOrder(tx: Tx, shopId: string, orderGid: string) {
  return (await ensureOrderRow(tx, shopId, orderGid)).order;
}

/** The order a fulfillment or refund belongs to, when its caller already holds it (applyOrder). */
type KnownOrder = { id: string } & RefundMoney;

/** When Shopify says the order was placed (the mirror's `placedAt`). */
export const placedAtOf = (payload: OrderPayload) => payload.processed_at ?? payload.created_at ?? null;

export const customerGidOf = (payload: OrderPayload) => (payload.customer ? toGid("Customer", payload.customer.id) : null);

/** The buyer's side of an amount, in the payload's presentment currency (null when the payload names none). */
function presentmentCents(payload: OrderPayload, set: MoneySet) {
  return payload.presentment_currency ? toMinorUnits(set?.presentment_money?.amount, payload.presentment_currency) : null;
}

/**
 * The order's own columns from a payload (the ones every version sets; `currency` is the one its
 * amounts are in: the payload's, else the one already mirrored). Not placeholder, confirmationNumber
 * or imported: those depend on the row already mirrored.
 */
export function orderData(payload: OrderPayload, currency: string | null) {
  return {
    name: payload.name ?? null,
    customerShopifyId: customerGidOf(payload),
    email: normalizedEmailOrNull(payload.email || payload.contact_email || payload.customer?.email),
    locale: payload.customer_locale ?? null,
    shipCountry: payload.shipping_address?.country_code ?? null,
    shipProvince: payload.shipping_address?.province_code ?? null,
    shipLatitude: payload.shipping_address?.latitude ?? null,
    shipLongitude: payload.shipping_address?.longitude ?? null,
    currency,
    subtotalCents: toMinorUnits(payload.subtotal_price, currency),
    totalCents: toMinorUnits(payload.total_price, currency),
    presentmentCurrency: payload.presentment_currency ?? null,
    presentmentTotalCents: presentmentCents(payload, payload.total_price_set),
    totalDiscountCents: toMinorUnits(payload.total_discounts, currency),
    totalTaxCents: toMinorUnits(payload.total_tax, currency),
    totalShippingCents: toMinorUnits(payload.total_shipping_price_set?.shop_money?.amount, currency),
    financialStatus: payload.financial_status ?? null,
    fulfillmentStatus: payload.fulfillment_status ?? null,
    cancelledAt: payload.cancelled_at ?? null,
    cancelReason: payload.cancel_reason ?? null,
    test: payload.test ?? false,
    buyerAcceptsMarketing: payload.buyer_accepts_marketing ?? null,
    placedAt: placedAtOf(payload),
    shopifyUpdatedAt: payload.updated_at,
  };
}

/** What the refunds inside an order payload convert by (`currency`: the one its amounts are in). */
export function refundMoneyOf(payload: OrderPayload, currency: string | null): RefundMoney {
  return {
    currency,
    presentmentCurrency: payload.presentment_currency ?? null,
    totalCents: toMinorUnits(payload.total_price, currency),
    presentmentTotalCents: presentmentCents(payload, payload.total_price_set),
  };
}

/** The order's line items as rows (without their order). */
export function lineItemRows(payload: OrderPayload, currency: string | null) {
  return payload.line_items.map((item) => ({
    shopifyId: toGid("LineItem", item.id),
    productId: item.product_id ? toGid("Product", item.product_id) : null,
    variantId: item.variant_id ? toGid("ProductVariant", item.variant_id) : null,
    title: item.title,
    variant: item.variant_title ?? null,
    sku: item.sku ?? null,
    vendor: item.vendor ?? null,
    quantity: item.quantity,
    priceCents: toMinorUnits(item.price, currency) ?? 0,
    presentmentPriceCents: presentmentCents(payload, item.price_set),
  }));
}

/**
 * Mirrors an order payload. Whether the order is `imported` (placed before the install) is decided
 * once, when the order first becomes known — by whichever path brings it — and never changes after.
 */
export async function applyOrder(tx: Tx, shop: Pick<Shop, "id" | "installedAt">, payload: OrderPayload) {
  const shopId = shop.id;
  const orderGid = toGid("Order", payload.id);
  const { order: existing, created } = await ensureOrderRow(tx, shopId, orderGid);
  const stale = !existing.placeholder && existing.shopifyUpdatedAt !== null && payload.updated_at < existing.shopifyUpdatedAt;
  const imported = existing.placeholder ? placedBeforeInstall(placedAtOf(payload), shop) : existing.imported;

  let currency = existing.currency;
  if (!stale) {
    currency = payload.currency ?? existing.currency;
    const customerGid = customerGidOf(payload);
    if (payload.customer && customerGid) await upsertCustomer(tx, shopId, customerGid, payload.customer);
    await tx.order.update({
      where: { id: existing.id },
      data: {
        ...orderData(payload, currency),
        placeholder: false,
        confirmationNumber: payload.confirmation_number ?? existing.confirmationNumber,
        imported,
      },
    });
    const items = lineItemRows(payload, currency);
    // A new order has no line items yet: one insert for all of them.
    if (created && items.length) await tx.lineItem.createMany({ data: items.map((item) => ({ orderId: existing.id, ...item })), skipDuplicates: true });
    else {
      for (const { shopifyId, ...data } of items) {
        await tx.lineItem.upsert({
          where: { orderId_shopifyId: { orderId: existing.id, shopifyId } },
          create: { orderId: existing.id, shopifyId, ...data },
          update: data,
        });
      }
    }
  }

  const order: KnownOrder = { id: existing.id, ...refundMoneyOf(payload, currency) };
  for (const fulfillment of payload.fulfillments) {
    await applyFulfillment(tx, shopId, { ...fulfillment, order_id: payload.id }, order);
  }
  for (const refund of payload.refunds) {
    await applyRefund(tx, shopId, { ...refund, order_id: payload.id }, order);
  }
  return { orderGid, orderId: existing.id, stale, imported };
}

export function customerData(customer: NonNullable<OrderPayload["customer"]>) {
  return {
    email: normalizedEmailOrNull(customer.email),
    firstName: customer.first_name ?? null,
    lastName: customer.last_name ?? null,
    locale: customer.locale ?? null,
    tags: customer.tags ?? null,
    marketingConsent: customer.email_marketing_consent?.state?.toUpperCase() ?? null,
  };
}

async function upsertCustomer(tx: Tx, shopId: string, shopifyId: string, customer: NonNullable<OrderPayload["customer"]>) {
  const data = customerData(customer);
  await tx.customer.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    create: { shopId, shopifyId, ...data },
    update: data,
  });
}

/** What a fulfillment write compares against: the row as mirrored (a row just made is a placeholder). */
export type FulfillmentVersion = Pick<Fulfillment, "placeholder" | "shopifyUpdatedAt" | "shipmentStatusAt" | "estimatedDeliveryAt" | "deliveredAt">;

/**
 * The columns a fulfillment payload sets on the mirrored row, or null when the row holds a newer
 * version (by Shopify's updated_at, else created_at). The carrier status only moves forward in time
 * and the first delivery is kept.
 */
export function fulfillmentWrite(payload: Omit<FulfillmentPayload, "order_id">, existing: FulfillmentVersion) {
  const version = payload.updated_at ?? payload.created_at ?? null;
  const stale = !existing.placeholder && existing.shopifyUpdatedAt && version && version < existing.shopifyUpdatedAt;
  if (stale) return null;
  const trackingNumbers = payload.tracking_numbers?.length ? payload.tracking_numbers : payload.tracking_number ? [payload.tracking_number] : [];
  const trackingUrls = payload.tracking_urls?.length ? payload.tracking_urls : payload.tracking_url ? [payload.tracking_url] : [];
  const status = payload.shipment_status ?? null;
  const statusIsNewer = status && version && (!existing.shipmentStatusAt || version >= existing.shipmentStatusAt);
  return {
    placeholder: false,
    status: payload.status ?? null,
    trackingCompany: payload.tracking_company ?? null,
    trackingNumbers,
    trackingUrls,
    lineItems: (payload.line_items ?? []).map((li) => ({ lineItemId: toGid("LineItem", li.id), quantity: li.quantity })),
    estimatedDeliveryAt: payload.estimated_delivery_at ?? existing.estimatedDeliveryAt,
    shopifyCreatedAt: payload.created_at ?? null,
    shopifyUpdatedAt: version,
    ...(statusIsNewer ? { shipmentStatus: status, shipmentStatusAt: version } : {}),
    ...(status === "delivered" && !existing.deliveredAt ? { deliveredAt: version } : {}),
  };
}

async function ensureFulfillmentRow(tx: Tx, shopId: string, orderId: string, fulfillmentGid: string) {
  const [inserted] = await tx.fulfillment.createManyAndReturn({ data: [{ shopId, orderId, shopifyId: fulfillmentGid }], skipDuplicates: true });
  if (inserted) return { fulfillment: inserted, created: true };
  return { fulfillment: await tx.fulfillment.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: fulfillmentGid } } }), created: false };
}

async function ensureFulfillment(tx: Tx, shopId: string, orderId: string, fulfillmentGid: string) {
  return (await ensureFulfillmentRow(tx, shopId, orderId, fulfillmentGid)).fulfillment;
}

/** `known`: the order, when the caller holds it already (applyOrder); else found or made from the payload's order id. */
export async function applyFulfillment(tx: Tx, shopId: string, payload: FulfillmentPayload, known?: KnownOrder) {
  const orderGid = toGid("Order", payload.order_id);
  const order = known ?? (await ensureOrder(tx, shopId, orderGid));
  const fulfillmentGid = toGid("Fulfillment", payload.id);
  const { fulfillment: existing, created } = await ensureFulfillmentRow(tx, shopId, order.id, fulfillmentGid);
  const write = fulfillmentWrite(payload, existing);
  if (!write) return { orderGid, fulfillmentGid, stale: true };
  await tx.fulfillment.update({ where: { id: existing.id }, data: write });
  // Delay figures are counted by carrier: an incident opened before its carrier was known moves
  // (a fulfillment this transaction made has none).
  if (!created && (payload.tracking_company ?? null) !== existing.trackingCompany) {
    const incidents = await tx.delayIncident.findMany({ where: { fulfillmentId: existing.id }, select: { detectedAt: true } });
    await touchDays(tx, shopId, ...incidents.map((i) => i.detectedAt));
  }
  return { orderGid, fulfillmentGid, stale: false };
}

export async function applyFulfillmentEvent(tx: Tx, shopId: string, payload: FulfillmentEventPayload, receivedAt: Date) {
  const orderGid = toGid("Order", payload.order_id);
  const order = await ensureOrder(tx, shopId, orderGid);
  const fulfillment = await ensureFulfillment(tx, shopId, order.id, toGid("Fulfillment", payload.fulfillment_id));
  const happenedAt = payload.happened_at ?? payload.created_at ?? receivedAt;
  const shopifyId = toGid("FulfillmentEvent", payload.id);
  await tx.fulfillmentEvent.createMany({
    data: [
      {
        shopId,
        fulfillmentId: fulfillment.id,
        shopifyId,
        status: payload.status,
        message: payload.message ?? null,
        happenedAt,
        estimatedDeliveryAt: payload.estimated_delivery_at ?? null,
      },
    ],
    skipDuplicates: true,
  });
  const isNewest = !fulfillment.shipmentStatusAt || happenedAt >= fulfillment.shipmentStatusAt;
  const deliveredEarlier = fulfillment.deliveredAt && fulfillment.deliveredAt <= happenedAt;
  await tx.fulfillment.update({
    where: { id: fulfillment.id },
    data: {
      ...(isNewest ? { shipmentStatus: payload.status, shipmentStatusAt: happenedAt } : {}),
      ...(isNewest && payload.estimated_delivery_at ? { estimatedDeliveryAt: payload.estimated_delivery_at } : {}),
      ...(payload.status === "delivered" && !deliveredEarlier ? { deliveredAt: happenedAt } : {}),
    },
  });
  return { orderGid };
}

/** A refund's columns, its amount in the shop's currency (refund-money.ts). */
export function refundData(payload: Omit<RefundPayload, "order_id">, money: RefundMoney) {
  const successful = (payload.transactions ?? []).filter((t) => t.kind === "refund" && (t.status ?? "success") === "success");
  const lineItems = (payload.refund_line_items ?? []).map((li) => ({ subtotal: li.subtotal, shopSubtotal: li.subtotal_set?.shop_money?.amount }));
  return {
    amountCents: refundedShopCents({ transactions: successful, lineItems }, money),
    note: payload.note ?? null,
    lineItems: (payload.refund_line_items ?? []).map((li) => ({ lineItemId: toGid("LineItem", li.line_item_id), quantity: li.quantity })),
    shopifyCreatedAt: payload.created_at ?? null,
  };
}

/** `known`: the order, when the caller holds it already (applyOrder); else found or made from the payload's order id. */
export async function applyRefund(tx: Tx, shopId: string, payload: RefundPayload, known?: KnownOrder) {
  const orderGid = toGid("Order", payload.order_id);
  const order = known ?? (await ensureOrder(tx, shopId, orderGid));
  const shopifyId = toGid("Refund", payload.id);
  const data = refundData(payload, order);
  await tx.refund.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    create: { shopId, orderId: order.id, shopifyId, ...data },
    update: data,
  });
  return { orderGid };
}
