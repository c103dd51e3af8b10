// Demo data: the "Trustloop Demo Outfitters" shop, and generic shops created on first use.
import { type Address, type Customer, type EmulatorState, type MarketingState, type ShopState, DAY, mulberry32, toIsoSeconds } from "./state";
import { paidOrder, variantLineItem } from "./paid-order";
import { seedOrderHistory } from "./seed-history";

export const DEMO_SHOP = "trustloop-demo.myshopify.com";
const SHOP_DOMAIN_RE = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function isShopDomain(domain: string): boolean {
  return SHOP_DOMAIN_RE.test(domain);
}

/** Returns the shop, creating a generic one (UTC, USD, a small catalog) if it doesn't exist yet. */
export function ensureShop(state: EmulatorState, domain: string): ShopState {
  const existing = state.shop(domain);
  if (existing) return existing;
  const handle = domain.replace(/\.myshopify\.com$/, "");
  const name = handle
    .split("-")
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
  const shop = createShop(state, {
    domain,
    name,
    email: `owner@${handle}.example`,
    ianaTimezone: "UTC",
    currencyCode: "USD",
    primaryDomainHost: domain,
  });
  addProducts(state, shop, PRODUCTS.slice(0, 3));
  return shop;
}

interface ShopBasics {
  domain: string;
  name: string;
  email: string;
  ianaTimezone: string;
  currencyCode: string;
  primaryDomainHost: string;
}

function createShop(state: EmulatorState, b: ShopBasics): ShopState {
  const id = state.nextId("shop");
  const shop: ShopState = {
    ...b,
    id,
    contactEmail: b.email,
    locales: [{ locale: "en", primary: true, published: true }],
    createdAt: toIsoSeconds(new Date(state.now().getTime() - 400 * DAY)),
    products: [],
    customers: [],
    orders: [],
    discounts: [],
    metafields: [],
    nextOrderNumber: 1001,
    generatedCustomers: 0,
    random: mulberry32(id),
  };
  state.shops.set(b.domain, shop);
  return shop;
}

type ProductSeed = [title: string, tags: string[], variants: [title: string, price: number][]];
const PRODUCTS: ProductSeed[] = [
  [
    "Merino Trail Socks",
    ["apparel", "socks", "bestseller"],
    [
      ["S", 18],
      ["M", 18],
      ["L", 18],
    ],
  ],
  [
    "Canvas Weekender Bag",
    ["bags", "travel"],
    [
      ["Olive", 148],
      ["Sand", 148],
    ],
  ],
  ["Compact Espresso Machine", ["kitchen", "coffee", "gift", "espresso-machine"], [["Default Title", 64]]],
  [
    "Waxed Field Jacket",
    ["apparel", "outerwear"],
    [
      ["S", 245],
      ["M", 245],
      ["L", 245],
      ["XL", 245],
    ],
  ],
  ["Enamel Camp Mug", ["kitchen", "camp"], [["Default Title", 22]]],
  [
    "Wool Beanie",
    ["apparel", "accessories"],
    [
      ["Charcoal", 34],
      ["Rust", 34],
    ],
  ],
  [
    "Leather Card Wallet",
    ["accessories", "gift"],
    [
      ["Tan", 58],
      ["Black", 58],
    ],
  ],
];

/** The demo products' collections, for journeys' collection condition (products not named here are in none). */
const COLLECTIONS: Record<string, string[]> = {
  "Merino Trail Socks": ["Apparel"],
  "Waxed Field Jacket": ["Apparel"],
  "Wool Beanie": ["Apparel", "Accessories"],
  "Canvas Weekender Bag": ["Travel"],
  "Compact Espresso Machine": ["Coffee machines", "Kitchen"],
  "Enamel Camp Mug": ["Kitchen"],
  "Leather Card Wallet": ["Accessories"],
};
/** Products sold under a brand other than the shop's own (the line items' vendor). */
const VENDORS: Record<string, string> = { "Compact Espresso Machine": "Brewline" };

function addProducts(state: EmulatorState, shop: ShopState, seeds: ProductSeed[]): void {
  const at = shop.createdAt;
  for (const [title, tags, variants] of seeds) {
    const id = state.nextId("product");
    const handle = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const sku = title
      .split(" ")
      .map((w) => w[0])
      .join("")
      .toUpperCase();
    shop.products.push({
      id,
      title,
      handle,
      vendor: VENDORS[title] ?? shop.name,
      productType: tags[0],
      tags,
      collections: COLLECTIONS[title] ?? [],
      status: "ACTIVE",
      createdAt: at,
      updatedAt: at,
      variants: variants.map(([vt, price], i) => ({
        id: state.nextId("variant"),
        productId: id,
        title: vt,
        priceCents: price * 100,
        sku: `${sku}-${String(i + 1).padStart(2, "0")}`,
      })),
    });
  }
}

type CustomerSeed = [first: string, last: string, locale: string, timezone: string, consent: MarketingState, address: Address];
type Place = [
  city: string,
  province: string | null,
  provinceCode: string | null,
  country: string,
  countryCode: string,
  zip: string,
  latitude: number,
  longitude: number,
];
const addr = (...[city, province, provinceCode, country, countryCode, zip, latitude, longitude]: Place): Address => ({
  firstName: "",
  lastName: "",
  address1: "1 Demo Street",
  city,
  province,
  provinceCode,
  country,
  countryCode,
  zip,
  latitude,
  longitude,
});
const DEMO_LANGUAGES = ["en", "fr", "de", "es", "it", "nl", "pt-BR", "ja"];

const CUSTOMERS: CustomerSeed[] = [
  ["Avery", "Brooks", "en", "America/New_York", "SUBSCRIBED", addr("Brooklyn", "New York", "NY", "United States", "US", "11201", 40.6943, -73.9903)],
  ["Mateo", "Alvarez", "en", "America/Los_Angeles", "NOT_SUBSCRIBED", addr("Oakland", "California", "CA", "United States", "US", "94607", 37.8044, -122.2712)],
  ["Priya", "Nair", "en", "America/Toronto", "SUBSCRIBED", addr("Toronto", "Ontario", "ON", "Canada", "CA", "M5V 2T6", 43.6426, -79.3871)],
  ["Oliver", "Hughes", "en", "Europe/London", "UNSUBSCRIBED", addr("Manchester", null, null, "United Kingdom", "GB", "M1 1AE", 53.4794, -2.2453)],
  ["Camille", "Lefebvre", "fr", "Europe/Paris", "SUBSCRIBED", addr("Lyon", null, null, "France", "FR", "69002", 45.7578, 4.832)],
  ["Jonas", "Becker", "de", "Europe/Berlin", "NOT_SUBSCRIBED", addr("Hamburg", null, null, "Germany", "DE", "20095", 53.5503, 10.0006)],
  ["Chloe", "Nguyen", "en", "Australia/Sydney", "SUBSCRIBED", addr("Sydney", "New South Wales", "NSW", "Australia", "AU", "2000", -33.8688, 151.2093)],
  ["Haruto", "Sato", "ja", "Asia/Tokyo", "UNSUBSCRIBED", addr("Tokyo", "Tokyo", "JP-13", "Japan", "JP", "150-0001", 35.6702, 139.7027)],
];

/** Addresses of the seeded customers, in rotation order, for generated shoppers. */
export function seedAddress(index: number): { address: Address; locale: string; timezone: string } {
  const [, , locale, timezone, , address] = CUSTOMERS[index % CUSTOMERS.length];
  return { address: { ...address }, locale, timezone };
}

export function findAddressByCountry(country: string, province?: string): { address: Address; locale: string; timezone: string } | null {
  const match =
    CUSTOMERS.find((c) => c[5].countryCode === country && (!province || c[5].provinceCode === province)) ?? CUSTOMERS.find((c) => c[5].countryCode === country);
  return match ? { address: { ...match[5] }, locale: match[2], timezone: match[3] } : null;
}

export function seedDemoShop(state: EmulatorState): ShopState {
  const shop = createShop(state, {
    domain: DEMO_SHOP,
    name: "Trustloop Demo Outfitters",
    email: "owner@trustloop-demo.example",
    ianaTimezone: "America/New_York",
    currencyCode: "USD",
    primaryDomainHost: "shop.trustloop-demo.example",
  });
  shop.billingAddress = {
    firstName: "",
    lastName: "",
    address1: "12 Harbour Street",
    city: "Portland",
    province: "Maine",
    provinceCode: "ME",
    country: "United States",
    countryCode: "US",
    zip: "04101",
  };
  // The languages Trustloop ships translations for, English the default: every demo shopper reads their own.
  shop.locales = DEMO_LANGUAGES.map((locale) => ({ locale, primary: locale === "en", published: true }));
  addProducts(state, shop, PRODUCTS);
  for (const [first, last, locale, timezone, consent, address] of CUSTOMERS) {
    const customer: Customer = {
      id: state.nextId("customer"),
      email: `${first}.${last}@example.com`.toLowerCase(),
      firstName: first,
      lastName: last,
      locale,
      timezone,
      tags: consent === "SUBSCRIBED" ? ["newsletter"] : [],
      address: { ...address, firstName: first, lastName: last },
      marketingState: consent,
      marketingOptInLevel: consent === "NOT_SUBSCRIBED" ? "UNKNOWN" : "SINGLE_OPT_IN",
      consentUpdatedAt: consent === "NOT_SUBSCRIBED" ? null : shop.createdAt,
      ordersCount: 0,
      createdAt: shop.createdAt,
      updatedAt: shop.createdAt,
    };
    shop.customers.push(customer);
  }
  // A year of past orders from other shoppers first (order numbers grow with time), then the three
  // recent orders of the named customers.
  seedOrderHistory(state, shop, seedAddress);
  seedHistoricalOrders(state, shop);
  return shop;
}

function seedHistoricalOrders(state: EmulatorState, shop: ShopState): void {
  const plan: [customerIdx: number, productIdx: number, daysAgo: number, shipment: string | null][] = [
    [0, 0, 12, "delivered"],
    [2, 2, 3, "in_transit"],
    [4, 1, 1, null],
  ];
  for (const [ci, pi, daysAgo, shipment] of plan) {
    const customer = shop.customers[ci];
    const product = shop.products[pi];
    const variant = product.variants[0];
    const created = new Date(state.now().getTime() - daysAgo * DAY);
    const at = toIsoSeconds(created);
    const order = paidOrder(state, shop, customer, {
      at,
      lineItems: [variantLineItem(state, product, variant, 1)],
    });
    if (shipment) {
      const shippedAt = toIsoSeconds(new Date(created.getTime() + DAY));
      const deliveredAt = shipment === "delivered" ? toIsoSeconds(new Date(created.getTime() + 4 * DAY)) : null;
      const updated = deliveredAt ?? shippedAt;
      order.fulfillments.push({
        id: state.nextId("fulfillment"),
        orderId: order.id,
        name: `${order.name}.1`,
        status: "success",
        shipmentStatus: shipment,
        trackingCompany: "UPS",
        trackingNumber: `1Z999AA1${String(order.id).slice(-8)}`,
        trackingUrl: `https://www.ups.com/track?tracknum=1Z999AA1${String(order.id).slice(-8)}`,
        estimatedDeliveryAt: toIsoSeconds(new Date(created.getTime() + 4 * DAY)),
        deliveredAt,
        createdAt: shippedAt,
        updatedAt: updated,
        lineItems: order.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity })),
        events: [],
      });
      order.updatedAt = updated;
    }
    customer.ordersCount++;
    shop.orders.push(order);
  }
}
