// Turns emulator state into GraphQL-shaped objects. Fields with arguments are methods, which
// graphql-js's default resolver calls with (args).
import { GraphQLError } from "graphql";
import { type OrderCurrencies, bothSides, presentmentOf } from "./currency";
import {
  type Customer,
  type DiscountCode,
  type Fulfillment,
  type LineItem,
  type Order,
  type Product,
  type ShopState,
  centsToAmount,
  fulfillmentStatusOf,
  gid,
  orderConfirmationNumber,
  orderDiscountCents,
  orderRefundedCents,
  orderTotalCents,
} from "./state";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

const encodeCursor = (id: number) => Buffer.from(JSON.stringify({ last_id: id })).toString("base64url");
const decodeCursor = (c: string): number | null => {
  try {
    const v = JSON.parse(Buffer.from(c, "base64url").toString("utf8")) as { last_id?: unknown };
    return typeof v.last_id === "number" ? v.last_id : null;
  } catch {
    return null;
  }
};

/** The fields a view takes from the state as they are (same name, same value). */
function same<T, K extends keyof T>(source: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, source[k]])) as Pick<T, K>;
}

/** Relay connection over an already filtered/sorted list. */
export function connection<T>(items: T[], args: PageArgs, idOf: (t: T) => number, view: (t: T) => unknown) {
  const { first, last, after, before } = args;
  if (first == null && last == null) throw new GraphQLError("you must provide one of first or last");
  if ((first ?? 0) > 250 || (last ?? 0) > 250) throw new GraphQLError("The maximum number of items to return is 250");
  let start = 0;
  let end = items.length;
  if (after) {
    const id = decodeCursor(after);
    const i = items.findIndex((t) => idOf(t) === id);
    if (i >= 0) start = i + 1;
  }
  if (before) {
    const id = decodeCursor(before);
    const i = items.findIndex((t) => idOf(t) === id);
    if (i >= 0) end = i;
  }
  let slice = items.slice(start, end);
  let hasNextPage = end < items.length;
  let hasPreviousPage = start > 0;
  if (first != null) {
    hasNextPage = slice.length > first || hasNextPage;
    slice = slice.slice(0, first);
  }
  if (last != null) {
    hasPreviousPage = slice.length > last || hasPreviousPage;
    slice = slice.slice(Math.max(0, slice.length - last));
  }
  const edges = slice.map((t) => ({ cursor: encodeCursor(idOf(t)), node: view(t) }));
  return {
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** One of the order's amounts (the buyer's `cents`) as a MoneyBag: the shop's and the buyer's side. */
const money = (cents: number, order: OrderCurrencies) => {
  const { shop, presentment } = bothSides(order, cents, "currencyCode");
  return { shopMoney: shop, presentmentMoney: presentment };
};

function metafieldOf(shop: ShopState, ownerId: string) {
  return ({ namespace, key }: { namespace?: string | null; key: string }) => {
    const mf = shop.metafields.find((m) => m.ownerId === ownerId && m.key === key && m.namespace === (namespace ?? "app"));
    return mf ? { ...mf, id: gid("Metafield", mf.id) } : null;
  };
}

const DEFAULT_SHOP_ADDRESS: Customer["address"] = {
  firstName: "",
  lastName: "",
  address1: "1 Main Street",
  city: "New York",
  province: "New York",
  provinceCode: "NY",
  country: "United States",
  countryCode: "US",
  zip: "10001",
};

export function shopView(shop: ShopState) {
  const id = gid("Shop", shop.id);
  return {
    id,
    ...same(shop, "name", "email", "contactEmail", "ianaTimezone", "currencyCode"),
    myshopifyDomain: shop.domain,
    primaryDomain: { id: gid("Domain", shop.id), host: shop.primaryDomainHost, url: `https://${shop.primaryDomainHost}` },
    billingAddress: addressView(shop.id, shop.billingAddress ?? DEFAULT_SHOP_ADDRESS),
    metafield: metafieldOf(shop, id),
  };
}

export function productView(shop: ShopState, p: Product): Record<string, unknown> {
  const id = gid("Product", p.id);
  const self: Record<string, unknown> = {
    id,
    ...same(p, "title", "handle", "vendor", "productType", "tags", "status", "createdAt", "updatedAt"),
    metafield: metafieldOf(shop, id),
    featuredImage: null, // the emulator's products have no images
    onlineStoreUrl: `https://${shop.primaryDomainHost}/products/${p.handle}`,
  };
  self.variants = (args: PageArgs) =>
    connection(
      p.variants,
      args,
      (v) => v.id,
      (v) => ({ id: gid("ProductVariant", v.id), title: v.title, price: centsToAmount(v.priceCents), sku: v.sku, product: self }),
    );
  self.collections = (args: PageArgs) =>
    connection(
      collectionsOf(shop, p),
      args,
      (c) => c.id,
      (c) => ({ id: gid("Collection", c.id), handle: c.handle, title: c.title }),
    );
  return self;
}

/** A product's collections; ids by the collection's place among all the shop's collection titles, so they are stable. */
function collectionsOf(shop: ShopState, p: Product) {
  const titles = [...new Set(shop.products.flatMap((x) => x.collections ?? []))].sort();
  return (p.collections ?? []).map((title) => ({ id: titles.indexOf(title) + 1, title, handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-") }));
}

export function customerView(shop: ShopState, c: Customer) {
  const id = gid("Customer", c.id);
  return {
    id,
    ...same(c, "email", "firstName", "lastName", "locale", "tags", "createdAt", "updatedAt"),
    displayName: `${c.firstName} ${c.lastName}`.trim() || c.email,
    numberOfOrders: String(c.ordersCount),
    defaultAddress: addressView(c.id, c.address),
    emailMarketingConsent: { marketingState: c.marketingState, marketingOptInLevel: c.marketingOptInLevel, consentUpdatedAt: c.consentUpdatedAt },
    metafield: metafieldOf(shop, id),
  };
}

function addressView(id: number, a: Customer["address"]) {
  return { id: gid("MailingAddress", id), ...a, countryCodeV2: a.countryCode };
}

const DISPLAY_STATUS: Record<string, string> = {
  in_transit: "IN_TRANSIT",
  out_for_delivery: "OUT_FOR_DELIVERY",
  delayed: "DELAYED",
  attempted_delivery: "ATTEMPTED_DELIVERY",
  failure: "FAILURE",
  delivered: "DELIVERED",
  confirmed: "CONFIRMED",
};

function fulfillmentView(shop: ShopState, o: Order, f: Fulfillment) {
  const items = f.lineItems.flatMap((x, i) => {
    const li = o.lineItems.find((l) => l.id === x.lineItemId);
    // Fulfillment line items have their own ids in Shopify; derived here from the fulfillment's.
    return li ? [{ id: f.id * 1000 + i, li, quantity: x.quantity }] : [];
  });
  return {
    id: gid("Fulfillment", f.id),
    name: f.name,
    status: f.status === "success" ? "SUCCESS" : "CANCELLED",
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    displayStatus: f.status === "cancelled" ? "CANCELED" : (DISPLAY_STATUS[f.shipmentStatus ?? ""] ?? "FULFILLED"),
    estimatedDeliveryAt: f.estimatedDeliveryAt,
    deliveredAt: f.deliveredAt,
    inTransitAt: f.events.find((e) => e.status === "in_transit")?.happenedAt ?? null,
    trackingInfo: () => (f.trackingNumber || f.trackingCompany ? [{ company: f.trackingCompany, number: f.trackingNumber, url: f.trackingUrl }] : []),
    fulfillmentLineItems: (args: PageArgs) =>
      connection(
        items,
        args,
        (x) => x.id,
        (x) => ({ id: gid("FulfillmentLineItem", x.id), lineItem: lineItemView(shop, o, x.li), quantity: x.quantity }),
      ),
  };
}

function lineItemView(shop: ShopState, o: Order, li: LineItem) {
  const product = shop.products.find((p) => p.id === li.productId);
  const variant = product?.variants.find((v) => v.id === li.variantId);
  const pv = product ? productView(shop, product) : null;
  return {
    id: gid("LineItem", li.id),
    title: li.title,
    name: li.variantTitle && li.variantTitle !== "Default Title" ? `${li.title} - ${li.variantTitle}` : li.title,
    quantity: li.quantity,
    sku: li.sku,
    vendor: product?.vendor ?? null,
    variantTitle: li.variantTitle,
    product: pv,
    variant:
      variant && pv
        ? { id: gid("ProductVariant", variant.id), title: variant.title, price: centsToAmount(variant.priceCents), sku: variant.sku, product: pv }
        : null,
    originalUnitPriceSet: money(li.priceCents, o),
  };
}

export function orderView(shop: ShopState, o: Order) {
  const id = gid("Order", o.id);
  const total = orderTotalCents(o);
  const refunded = orderRefundedCents(o);
  const customer = shop.customers.find((c) => c.id === o.customerId);
  const fstatus = fulfillmentStatusOf(o);
  return {
    id,
    name: o.name,
    confirmationNumber: orderConfirmationNumber(o),
    email: o.email,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    processedAt: o.processedAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason ? o.cancelReason.toUpperCase() : null,
    closed: false,
    displayFinancialStatus: o.financialStatus.toUpperCase(),
    displayFulfillmentStatus: fstatus === "fulfilled" ? "FULFILLED" : fstatus === "partial" ? "PARTIALLY_FULFILLED" : "UNFULFILLED",
    currencyCode: o.currency,
    presentmentCurrencyCode: presentmentOf(o),
    customerLocale: o.customerLocale,
    test: o.test,
    customer: customer ? customerView(shop, customer) : null,
    customerAcceptsMarketing: o.buyerAcceptsMarketing,
    discountCodes: (o.discountCodes ?? []).map((d) => d.code),
    shippingAddress: addressView(o.id, o.shippingAddress),
    subtotalPriceSet: money(total, o),
    totalPriceSet: money(total, o),
    totalRefundedSet: money(refunded, o),
    currentTotalPriceSet: money(total - refunded, o),
    // The emulator has no taxes or shipping lines.
    totalDiscountsSet: money(orderDiscountCents(o), o),
    totalTaxSet: money(0, o),
    totalShippingPriceSet: money(0, o),
    lineItems: (args: PageArgs) =>
      connection(
        o.lineItems,
        args,
        (li) => li.id,
        (li) => lineItemView(shop, o, li),
      ),
    fulfillments: ({ first }: { first?: number | null }) => o.fulfillments.slice(0, first ?? undefined).map((f) => fulfillmentView(shop, o, f)),
    refunds: ({ first }: { first?: number | null }) =>
      o.refunds.slice(0, first ?? undefined).map((r) => ({
        id: gid("Refund", r.id),
        createdAt: r.createdAt,
        note: r.note,
        totalRefundedSet: money(r.amountCents, o),
        refundLineItems: (args: PageArgs) =>
          connection(
            r.lineItems.flatMap((x) => {
              const li = o.lineItems.find((l) => l.id === x.lineItemId);
              return li ? [{ ...x, li }] : [];
            }),
            args,
            (x) => x.id,
            (x) => ({
              id: gid("RefundLineItem", x.id),
              lineItem: lineItemView(shop, o, x.li),
              quantity: x.quantity,
              subtotalSet: money(x.subtotalCents, o),
            }),
          ),
      })),
    metafield: metafieldOf(shop, id),
  };
}

export function discountNodeView(d: DiscountCode, nowMs: number) {
  return {
    id: gid("DiscountCodeNode", d.id),
    codeDiscount: {
      __typename: "DiscountCodeBasic",
      title: d.title,
      status: d.endsAt && Date.parse(d.endsAt) < nowMs ? "EXPIRED" : "ACTIVE",
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      createdAt: d.createdAt,
      summary: d.title,
      asyncUsageCount: d.usageCount ?? 0,
      usageLimit: typeof d.input.usageLimit === "number" ? d.input.usageLimit : null,
      appliesOncePerCustomer: d.input.appliesOncePerCustomer === true,
      codes: (args: PageArgs) =>
        connection(
          [d],
          args,
          (x) => x.redeemCodeId,
          (x) => ({ id: gid("DiscountRedeemCode", x.redeemCodeId), code: x.code, asyncUsageCount: x.usageCount ?? 0 }),
        ),
    },
  };
}
