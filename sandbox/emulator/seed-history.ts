// A year of order history for the demo shop, so the dashboard has cohorts, repeat rates and net
// revenue to show as soon as the history import has run. Deterministic (mulberry32): the same
// customers, order counts, gaps, refunds and cancellations on every start, placed relative to now.
// Every past order is delivered, refunded or cancelled: nothing here is still in flight.
import type { Address, Customer, EmulatorState, FinancialStatus, LineItem, MarketingState, Order, ShopState } from "./state";
import { DAY, HOUR, mulberry32, orderTotalCents, toIsoSeconds } from "./state";
import { paidOrder, variantLineItem } from "./paid-order";

export interface Place {
  address: Address;
  locale: string;
  timezone: string;
}

const SEED = 0x7e57_10c0;
/** Shoppers beyond the demo's named customers; about 30 % of them order again. */
export const HISTORY_CUSTOMERS = 150;
const OLDEST_DAYS = 365;
/** The newest past order: older than the demo's three recent orders (12, 3 and 1 day ago). */
const NEWEST_DAYS = 13;

const FIRST = [
  "Ava",
  "Liam",
  "Noah",
  "Emma",
  "Mia",
  "Lucas",
  "Zoe",
  "Ethan",
  "Isla",
  "Leo",
  "Nora",
  "Owen",
  "Ruby",
  "Finn",
  "Ella",
  "Hugo",
  "Ivy",
  "Jack",
  "Lena",
  "Max",
  "Maya",
  "Nico",
  "Rosa",
  "Theo",
  "Uma",
  "Vera",
  "Wade",
  "Yara",
  "Omar",
  "Sofia",
  "Aria",
  "Ben",
  "Cleo",
  "Dev",
  "Elif",
  "Gus",
  "Hana",
  "Ines",
  "Joel",
  "Kira",
];
const LAST = [
  "Adams",
  "Baker",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Garcia",
  "Hill",
  "Ito",
  "Jensen",
  "Khan",
  "Lopez",
  "Moreau",
  "Novak",
  "Okafor",
  "Patel",
  "Quinn",
  "Rossi",
  "Silva",
  "Tanaka",
  "Ueda",
  "Vega",
  "Walsh",
  "Young",
  "Zhang",
  "Berg",
  "Costa",
  "Dubois",
  "Kowalski",
  "Murphy",
];
/** Product popularity in the catalog's order (socks and mugs sell most, jackets least). */
const PRODUCT_WEIGHTS = [25, 9, 12, 8, 18, 15, 13];
const CARRIERS: Record<string, string> = { US: "USPS", CA: "Canada Post", GB: "Royal Mail", FR: "La Poste", DE: "DHL", AU: "Australia Post", JP: "Japan Post" };

interface Planned {
  customer: Customer;
  at: number;
}

export function seedOrderHistory(state: EmulatorState, shop: ShopState, placeOf: (index: number) => Place): void {
  const random = mulberry32(SEED);
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const now = state.now().getTime();
  const oldest = now - OLDEST_DAYS * DAY;
  const newest = now - NEWEST_DAYS * DAY;

  const planned: Planned[] = [];
  const emails = new Set(shop.customers.map((c) => c.email));
  for (let i = 0; i < HISTORY_CUSTOMERS; i++) {
    const customer = historyCustomer(state, random, placeOf, emails, i);
    // The shop grew over the year: first orders lean towards recent months.
    let at = oldest + random() ** 0.8 * (newest - oldest);
    const orders = plannedOrderCount(random());
    for (let n = 0; n < orders && at <= newest; n++) {
      planned.push({ customer, at: at + between(8, 22) * HOUR - (at % DAY) });
      // Days to months between orders: 4 days at least, 30 more on average.
      at += (4 - Math.log(1 - random()) * 30) * DAY;
    }
  }
  // Chronological: order numbers and ids grow with time, as in a real shop.
  planned.sort((a, b) => a.at - b.at);
  planned.forEach((p, index) => {
    // The very first two were the merchant's test checkouts while setting the store up.
    const order = historyOrder(state, shop, random, p, { test: index < 2 });
    const roll = random();
    if (roll < 0.02) cancel(state, order, random);
    else {
      ship(state, order, random);
      if (roll > 0.96) refund(state, order, random, now);
    }
    p.customer.ordersCount++;
    p.customer.updatedAt = order.createdAt;
    shop.orders.push(order);
  });
  const first = new Map<Customer, string>();
  for (const p of planned) if (!first.has(p.customer)) first.set(p.customer, toIsoSeconds(new Date(p.at)));
  for (const [customer, at] of first) {
    customer.createdAt = at;
    shop.customers.push(customer);
  }
}

/** Customers of a generated history: one per this many orders (so figures have repeat buyers). */
const ORDERS_PER_CUSTOMER = 20;

/**
 * `count` more past orders, spread evenly over the year before the newest demo history (the import
 * benchmark's 100 000): same shapes as the demo history (items, shipping, refunds, cancellations),
 * a customer per 20 orders. Built in one pass without planning, so 100 000 take a few seconds.
 */
export function seedManyHistoryOrders(state: EmulatorState, shop: ShopState, count: number, placeOf: (index: number) => Place): number {
  const random = mulberry32(SEED ^ count);
  const now = state.now().getTime();
  const oldest = now - OLDEST_DAYS * DAY;
  const newest = now - NEWEST_DAYS * DAY;
  const emails = new Set(shop.customers.map((c) => c.email));
  const customers = Array.from({ length: Math.max(1, Math.ceil(count / ORDERS_PER_CUSTOMER)) }, (_, i) => historyCustomer(state, random, placeOf, emails, i));
  for (let i = 0; i < count; i++) {
    const customer = customers[Math.floor(random() * customers.length)];
    // Chronological, as order numbers and ids grow with time in a real shop.
    const at = oldest + ((i + random()) / count) * (newest - oldest);
    const order = historyOrder(state, shop, random, { customer, at }, { test: false });
    const roll = random();
    if (roll < 0.02) cancel(state, order, random);
    else {
      ship(state, order, random);
      if (roll > 0.96) refund(state, order, random, now);
    }
    customer.ordersCount++;
    if (!customer.createdAt) customer.createdAt = order.createdAt;
    customer.updatedAt = order.createdAt;
    shop.orders.push(order);
  }
  shop.customers.push(...customers.filter((c) => c.ordersCount > 0));
  return count;
}

function pickProduct(shop: ShopState, random: () => number) {
  const weights = shop.products.map((_, i) => PRODUCT_WEIGHTS[i] ?? 1);
  let r = random() * weights.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < shop.products.length; i++) if ((r -= weights[i]) < 0) return shop.products[i];
  return shop.products[0];
}

function historyOrder(state: EmulatorState, shop: ShopState, random: () => number, p: Planned, flags: { test: boolean }): Order {
  const at = toIsoSeconds(new Date(p.at));
  const wanted = random() < 0.7 ? 1 : random() < 0.75 ? 2 : 3;
  const lineItems: LineItem[] = [];
  for (let k = 0; k < wanted; k++) {
    const product = pickProduct(shop, random);
    if (lineItems.some((li) => li.productId === product.id)) continue;
    const variant = product.variants[Math.floor(random() * product.variants.length)];
    const quantity = product.title.includes("Socks") ? 1 + Math.floor(random() * 3) : random() < 0.9 ? 1 : 2;
    lineItems.push(variantLineItem(state, product, variant, quantity));
  }
  const token = Array.from({ length: 4 }, () =>
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, "0"),
  ).join("");
  return paidOrder(state, shop, p.customer, { at, lineItems, test: flags.test, token });
}

/** One order (62 %), or a repeat customer's 2–10 (some of which the year cuts short). */
function plannedOrderCount(r: number): number {
  if (r < 0.62) return 1;
  if (r < 0.75) return 2;
  if (r < 0.85) return 3;
  if (r < 0.93) return 4 + Math.floor(((r - 0.85) / 0.08) * 2);
  return 6 + Math.floor(((r - 0.93) / 0.07) * 5);
}

function historyCustomer(state: EmulatorState, random: () => number, placeOf: (index: number) => Place, emails: Set<string>, i: number): Customer {
  const firstName = FIRST[(i * 7 + Math.floor(random() * 3)) % FIRST.length];
  const lastName = LAST[(i * 11 + Math.floor(random() * 5)) % LAST.length];
  let email = `${firstName}.${lastName}@example.com`.toLowerCase();
  for (let n = 2; emails.has(email); n++) email = `${firstName}.${lastName}${n}@example.com`.toLowerCase();
  emails.add(email);
  // Most shoppers are domestic (the first two places are in the US).
  const place = placeOf(random() < 0.5 ? Math.floor(random() * 2) : Math.floor(random() * 8));
  const consentRoll = random();
  const consent: MarketingState = consentRoll < 0.45 ? "SUBSCRIBED" : consentRoll < 0.9 ? "NOT_SUBSCRIBED" : "UNSUBSCRIBED";
  return {
    id: state.nextId("customer"),
    email,
    firstName,
    lastName,
    locale: place.locale,
    timezone: place.timezone,
    tags: consent === "SUBSCRIBED" ? ["newsletter"] : [],
    address: { ...place.address, firstName, lastName },
    marketingState: consent,
    marketingOptInLevel: consent === "NOT_SUBSCRIBED" ? "UNKNOWN" : "SINGLE_OPT_IN",
    consentUpdatedAt: null,
    ordersCount: 0,
    createdAt: "",
    updatedAt: "",
  };
}

/** Shipped within two days, delivered two to five days later. */
function ship(state: EmulatorState, order: Order, random: () => number): void {
  const created = Date.parse(order.createdAt);
  const shipped = created + (12 + random() * 36) * HOUR;
  const delivered = shipped + (2 + random() * 3) * DAY;
  const tracking = `${order.shippingAddress.countryCode}${String(order.id).slice(-8)}`;
  const at = (t: number) => toIsoSeconds(new Date(t));
  order.fulfillments.push({
    id: state.nextId("fulfillment"),
    orderId: order.id,
    name: `${order.name}.1`,
    status: "success",
    shipmentStatus: "delivered",
    trackingCompany: CARRIERS[order.shippingAddress.countryCode] ?? "UPS",
    trackingNumber: tracking,
    trackingUrl: `https://track.example/${tracking}`,
    estimatedDeliveryAt: at(shipped + 4 * DAY),
    deliveredAt: at(delivered),
    createdAt: at(shipped),
    updatedAt: at(delivered),
    lineItems: order.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity })),
    events: [],
  });
  order.updatedAt = at(delivered);
}

/** Cancelled within hours, before shipping, and refunded in full (as Shopify's cancel-and-refund). */
function cancel(state: EmulatorState, order: Order, random: () => number): void {
  const at = toIsoSeconds(new Date(Date.parse(order.createdAt) + (1 + random() * 8) * HOUR));
  order.cancelledAt = at;
  order.cancelReason = random() < 0.7 ? "customer" : "inventory";
  addRefund(state, order, at, orderTotalCents(order), order.lineItems, "Order cancelled");
  order.updatedAt = at;
}

/** A return after delivery: one item back when there are several, else the whole order. */
function refund(state: EmulatorState, order: Order, random: () => number, now: number): void {
  const delivered = Date.parse(order.fulfillments[0].deliveredAt!);
  const when = delivered + (3 + random() * 17) * DAY;
  if (when > now - DAY) return;
  const at = toIsoSeconds(new Date(when));
  const items = order.lineItems.length > 1 ? [order.lineItems[order.lineItems.length - 1]] : order.lineItems;
  const amount = items.reduce((s, li) => s + li.priceCents * li.quantity, 0);
  addRefund(state, order, at, amount, items, "Returned");
  order.updatedAt = at;
}

function addRefund(state: EmulatorState, order: Order, at: string, amountCents: number, items: LineItem[], note: string): void {
  order.refunds.push({
    id: state.nextId("refund"),
    orderId: order.id,
    createdAt: at,
    amountCents,
    note,
    transactionId: state.nextId("transaction"),
    lineItems: items.map((li) => ({
      id: state.nextId("refundLineItem"),
      lineItemId: li.id,
      quantity: li.quantity,
      subtotalCents: li.priceCents * li.quantity,
    })),
  });
  const status: FinancialStatus = amountCents >= orderTotalCents(order) ? "refunded" : "partially_refunded";
  order.financialStatus = status;
}
