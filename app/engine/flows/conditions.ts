// Flow conditions: who a flow is for. Stored as JSON on the flow; parsed, never cast.
import { z } from "zod";

export const flowConditions = z
  .object({
    customer: z.enum(["any", "first", "returning"]).default("any"),
    minTotalCents: z.number().int().nonnegative().nullish(),
    maxTotalCents: z.number().int().nonnegative().nullish(),
    productIds: z.array(z.string()).default([]), // product gids; any of them
    productTags: z.array(z.string()).default([]), // any of them
    countries: z.array(z.string().length(2)).default([]), // shipping country, ISO alpha-2
    customerTags: z.array(z.string()).default([]), // any of them
    orderNumber: z.number().int().min(1).nullish(), // exactly the customer's Nth order (journeys' nth_order)
    vendors: z.array(z.string()).default([]), // line items' vendor, any of them, case-insensitive
    collections: z.array(z.string()).default([]), // a product's collection by handle or title, any of them, case-insensitive
    minOrders: z.number().int().min(1).nullish(), // the customer's orders counting this one, not cancelled
    maxOrders: z.number().int().min(1).nullish(),
    subscribed: z.boolean().default(false), // only customers subscribed to email marketing
  })
  .strict();

export type FlowConditions = z.infer<typeof flowConditions>;

export function parseConditions(stored: unknown): FlowConditions {
  const parsed = flowConditions.safeParse(stored ?? {});
  return parsed.success ? parsed.data : flowConditions.parse({}); // unreadable conditions never block service mail silently: logged by caller
}

export interface OrderFacts {
  totalCents: number | null;
  shipCountry: string | null;
  productIds: string[];
  /** null when not known yet (the worker looks them up before sending). */
  productTags: string[] | null;
  customerTags: string[];
  previousOrders: number;
  /** The line items' vendors. */
  vendors: string[];
  /** Handles and titles of the products' collections; null when not known yet (looked up before sending, like the tags). */
  collections: string[] | null;
  /**
   * The customer is subscribed to email marketing: their consent as last read from Shopify (order
   * webhooks do not carry it; the worker reads it again before sending), else the order's "accepts
   * marketing". An order without a customer is not subscribed.
   */
  subscribed: boolean;
}

const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
/** Whether any of `have` is one of `wanted`, ignoring case. */
const anyOf = (wanted: string[], have: string[]) => lower(have).some((x) => lower(wanted).includes(x));

/** Returns null when the order matches, else the first unmet condition, in words. */
export function unmetCondition(c: FlowConditions, o: OrderFacts): string | null {
  if (c.customer === "first" && o.previousOrders > 0) return "customer has ordered before";
  if (c.customer === "returning" && o.previousOrders === 0) return "first order of the customer";
  if (c.orderNumber != null && o.previousOrders !== c.orderNumber - 1) return `not the customer's order number ${c.orderNumber}`;
  if (c.minTotalCents != null && (o.totalCents ?? 0) < c.minTotalCents) return "order total below the minimum";
  if (c.maxTotalCents != null && (o.totalCents ?? 0) > c.maxTotalCents) return "order total above the maximum";
  if (c.countries.length && !c.countries.includes(o.shipCountry ?? "")) return "ships to another country";
  if (c.productIds.length && !o.productIds.some((id) => c.productIds.includes(id))) return "contains none of the products";
  if (c.customerTags.length && !o.customerTags.some((t) => c.customerTags.includes(t))) return "customer has none of the tags";
  if (c.productTags.length && o.productTags !== null && !o.productTags.some((t) => c.productTags.includes(t))) {
    return "contains no product with the tags";
  }
  if (c.vendors.length && !anyOf(c.vendors, o.vendors)) return "no product from the vendors";
  if (c.collections.length && o.collections !== null && !anyOf(c.collections, o.collections)) return "no product in the collections";
  const orders = o.previousOrders + 1;
  if (c.minOrders != null && orders < c.minOrders) return `customer has fewer than ${c.minOrders} orders`;
  if (c.maxOrders != null && orders > c.maxOrders) return `customer has more than ${c.maxOrders} orders`;
  if (c.subscribed && !o.subscribed) return "customer not subscribed to email marketing";
  return null;
}

/** Whether the conditions need the products' facts from the Admin API (tags, collections). */
export function needsProductTags(c: FlowConditions): boolean {
  return c.productTags.length > 0 || c.collections.length > 0;
}

/** The order facts that come from its line items (the mirror): product ids and vendors. */
export function lineItemFacts(lineItems: { productId: string | null; vendor?: string | null }[]): Pick<OrderFacts, "productIds" | "vendors"> {
  return {
    productIds: lineItems.map((li) => li.productId).filter((id): id is string => !!id),
    vendors: lineItems.map((li) => li.vendor).filter((v): v is string => !!v),
  };
}

export function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}
