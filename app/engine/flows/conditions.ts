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
}

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
  return null;
}

export function needsProductTags(c: FlowConditions): boolean {
  return c.productTags.length > 0;
}

export function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}
