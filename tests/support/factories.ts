// Rows for tests that need a shop, a flow, a customer, an order or a message in the database: each with
// defaults a test need not think about and ids unique within the run, so a test names only what it
// is about (`makeOrder(db, shop, { totalCents: 500 })`). Orders come with what the order mirror
// stores for a Shopify order: a customer row, the buyer's email, a shipping country and line items.
// Test code only: nothing under app/ imports this file outside its tests.
import type { Customer, Flow, Message, Order, Prisma, Shop } from "@prisma/client";
import type { ShopSettings } from "../../app/engine/shops/settings";

/** A client or a transaction: factories also run inside `db.$transaction`. */
type Client = Prisma.TransactionClient;

/** When a made row happened, unless the test says: a fixed time, so runs are alike. */
export const FACTORY_TIME = new Date("2026-11-20T10:00:00Z");

let seq = 0;
/** A number no other made row of this test file has (Shopify ids are numbers). */
const nextId = () => 7_000_000 + ++seq;

export type ShopOverrides = Partial<Prisma.ShopUncheckedCreateInput>;

export function makeShop(db: Client, overrides: ShopOverrides = {}): Promise<Shop> {
  const n = nextId();
  const domain = overrides.domain ?? `shop-${n}.myshopify.com`;
  return db.shop.create({
    data: { domain, name: `Shop ${n}`, timezone: "UTC", currency: "USD", installedAt: FACTORY_TIME, ...overrides },
  });
}

/** What Shopify tells about a shop at install (`installShop`): a US shop in UTC unless told. */
export const shopSettings = (overrides: Partial<ShopSettings> = {}): ShopSettings => ({
  name: "Shop",
  contactEmail: "owner@example.com",
  timezone: "UTC",
  currency: "USD",
  primaryDomain: null,
  address: null,
  countryCode: "US",
  ...overrides,
});

/** Two shops alike but for their domains, mine.myshopify.com and theirs.myshopify.com: for tests that one never reaches the other's rows. */
export async function makeShopPair(db: Client, overrides: ShopOverrides = {}): Promise<[mine: Shop, theirs: Shop]> {
  return [await makeShop(db, { ...overrides, domain: "mine.myshopify.com" }), await makeShop(db, { ...overrides, domain: "theirs.myshopify.com" })];
}

type ShopRef = Pick<Shop, "id"> & Partial<Pick<Shop, "currency">>;
export type FlowOverrides = Partial<Omit<Prisma.FlowUncheckedCreateInput, "shopId">>;

/** A flow of `shop`: key and name from `key` (default a unique one), sent at once, a service email. */
export function makeFlow(db: Client, shop: ShopRef, overrides: FlowOverrides = {}): Promise<Flow> {
  const key = overrides.key ?? `flow_${nextId()}`;
  return db.flow.create({
    data: { shopId: shop.id, key, name: key, trigger: "order_created", delayMinutes: 0, category: "service", subject: "s", body: "b", ...overrides },
  });
}

export type CustomerOverrides = Partial<Omit<Prisma.CustomerUncheckedCreateInput, "shopId">>;

export function makeCustomer(db: Client, shop: ShopRef, overrides: CustomerOverrides = {}): Promise<Customer> {
  const n = nextId();
  return db.customer.create({
    data: { shopId: shop.id, shopifyId: `gid://shopify/Customer/${n}`, email: `buyer-${n}@example.com`, firstName: "Ada", ...overrides },
  });
}

/** A customer row (it has a shop), not the fields to make one with. */
const isCustomer = (c: Customer | CustomerOverrides | undefined): c is Customer => !!c && "shopId" in c;

export type LineItemOverrides = Partial<Omit<Prisma.LineItemUncheckedCreateWithoutOrderInput, "id">>;

export interface OrderOverrides extends Partial<Omit<Prisma.OrderUncheckedCreateInput, "shopId" | "lineItems">> {
  /** The buyer: a customer row of the shop (made with these fields, or one already made), or null for none. Default: a new customer. */
  customer?: Customer | CustomerOverrides | null;
  /** The order's line items (default one: 2 × "Socks" at 10.00); the totals follow them unless given. */
  lineItems?: LineItemOverrides[];
}

/**
 * A placed, paid order of `shop`, mirrored as the order mirror stores one: not a placeholder, its
 * customer's gid and email, a French shipping address, line items with product and variant gids.
 */
export async function makeOrder(db: Client, shop: ShopRef, overrides: OrderOverrides = {}): Promise<Order> {
  const { customer: customerGiven, lineItems: itemsGiven, ...columns } = overrides;
  const n = nextId();
  const customer = customerGiven === null ? null : isCustomer(customerGiven) ? customerGiven : await makeCustomer(db, shop, customerGiven);
  const items = (itemsGiven ?? [{}]).map((item, i) => ({
    shopifyId: `gid://shopify/LineItem/${n}${i}`,
    productId: "gid://shopify/Product/7",
    variantId: "gid://shopify/ProductVariant/8",
    title: "Socks",
    quantity: 2,
    priceCents: 1000,
    ...item,
  }));
  const subtotal = items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
  return db.order.create({
    data: {
      shopId: shop.id,
      shopifyId: `gid://shopify/Order/${n}`,
      placeholder: false,
      name: `#${n}`,
      customerShopifyId: customer?.shopifyId ?? null,
      email: customer?.email ?? null,
      shipCountry: "FR",
      currency: shop.currency ?? "USD",
      subtotalCents: subtotal,
      totalCents: subtotal,
      financialStatus: "paid",
      placedAt: FACTORY_TIME,
      shopifyUpdatedAt: FACTORY_TIME,
      ...columns,
      lineItems: { create: items },
    },
  });
}

type FlowRef = Pick<Flow, "id" | "shopId"> & Partial<Pick<Flow, "category">>;
export interface MessageOverrides extends Partial<Omit<Prisma.MessageUncheckedCreateInput, "shopId" | "flowId">> {
  /** When the message was created, anchored, due and planned to be sent (default FACTORY_TIME). */
  at?: Date;
}

/** A message of `flow` (in the flow's shop and category) on an order-created anchor, scheduled unless told. */
export function makeMessage(db: Client, flow: FlowRef, { at = FACTORY_TIME, ...overrides }: MessageOverrides = {}): Promise<Message> {
  const key = overrides.dedupeKey ?? `message-${nextId()}`;
  return db.message.create({
    data: {
      shopId: flow.shopId,
      flowId: flow.id,
      dedupeKey: key,
      rfcMessageId: key,
      category: flow.category ?? "service",
      status: "scheduled",
      anchor: "order_created",
      anchorAt: at,
      dueAt: at,
      sendAt: at,
      createdAt: at,
      ...overrides,
    },
  });
}
