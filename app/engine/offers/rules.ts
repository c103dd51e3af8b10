// Post-purchase offer rules: pure logic (matching, choice by priority, per-customer limit, the offer
// code and the cart permalink, the estimated points). Nothing here touches the database or Shopify.
import { derivedCode } from "../discounts/shopify-codes";
import { z } from "zod";

export interface OfferRuleLike {
  id: string;
  name: string;
  anyOrder: boolean;
  /** Product gids and product tags, as stored (jsonb, parsed here) or already parsed. */
  triggerProducts: unknown;
  triggerTags: unknown;
  offerVariantId: string;
  offerTitle: string;
  discountPercent: number;
  expiryDays: number;
  priority: number;
  perCustomerLimit: number;
  enabled: boolean;
  createdAt?: Date;
}

export interface OrderForOffer {
  /** Product gids of the order's line items (nulls for custom items are ignored). */
  productIds: readonly (string | null)[];
}

/** Tags of the given products (Admin API); only called when an enabled rule has tag triggers. */
export type TagLookup = (productIds: string[]) => Promise<Map<string, string[]>>;

const stringList = z.array(z.string());

/** A stored list of product gids or tags (jsonb), parsed, never cast: unreadable means none. */
export function parseList(stored: unknown): string[] {
  const parsed = stringList.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

const norm = (tag: string) => tag.trim().toLowerCase();

/** Does the rule fire for this order? `tagsByProduct` holds the tags of the order's products. */
export function ruleMatches(rule: OfferRuleLike, order: OrderForOffer, tagsByProduct: Map<string, string[]> = new Map()): boolean {
  if (!rule.enabled) return false;
  if (rule.anyOrder) return true;
  const products = new Set(order.productIds.filter((p): p is string => !!p));
  const wantedProducts = parseList(rule.triggerProducts);
  if (wantedProducts.some((p) => products.has(p))) return true;
  const wantedTags = new Set(parseList(rule.triggerTags).map(norm).filter(Boolean));
  if (!wantedTags.size) return false;
  for (const id of products) if ((tagsByProduct.get(id) ?? []).some((t) => wantedTags.has(norm(t)))) return true;
  return false;
}

/** Highest priority first; ties: the older rule first, then by id (stable). */
export function byPriority<T extends Pick<OfferRuleLike, "priority" | "id" | "createdAt">>(a: T, b: T): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const at = a.createdAt?.getTime() ?? 0;
  const bt = b.createdAt?.getTime() ?? 0;
  if (at !== bt) return at - bt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface ChooseInput {
  rules: readonly OfferRuleLike[];
  order: OrderForOffer;
  /** Grants this customer already has per rule id (other orders). */
  grantsByRule: Map<string, number>;
  tagLookup?: TagLookup;
}

/** The offer to show: the matching rule of highest priority whose per-customer limit is not reached. */
export async function chooseOffer(input: ChooseInput): Promise<OfferRuleLike | null> {
  const rules = input.rules.filter((r) => r.enabled && r.discountPercent > 0).sort(byPriority);
  const needsTags = rules.some((r) => !r.anyOrder && parseList(r.triggerTags).length > 0);
  const productIds = [...new Set(input.order.productIds.filter((p): p is string => !!p))];
  let tags = new Map<string, string[]>();
  if (needsTags && input.tagLookup && productIds.length) {
    try {
      tags = await input.tagLookup(productIds);
    } catch {
      tags = new Map(); // tags unavailable: product and any-order rules still apply
    }
  }
  for (const rule of rules) {
    if (!ruleMatches(rule, input.order, tags)) continue;
    if (rule.perCustomerLimit > 0 && (input.grantsByRule.get(rule.id) ?? 0) >= rule.perCustomerLimit) continue;
    return rule;
  }
  return null;
}

/** "THANKS-" + 10 Crockford base32 characters of sha256(rule, order): one code per offer per order. */
export function offerCode(ruleId: string, orderGid: string): string {
  return derivedCode("THANKS", `trustloop:offer:${ruleId}:${orderGid}`, 10);
}

export function numericId(gid: string): string {
  const m = /(\d+)\s*$/.exec(gid);
  if (!m) throw new Error(`not a Shopify id: ${gid}`);
  return m[1];
}

/** `https://{shop domain}/cart/{variantNumericId}:{qty}?discount={CODE}` — starts a new cart with the item and the code. */
export function cartPermalink(shopDomain: string, variantGid: string, code: string, quantity = 1): string {
  const host = shopDomain.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  return `https://${host}/cart/${numericId(variantGid)}:${quantity}?discount=${encodeURIComponent(code)}`;
}

/** Estimated points for an order: pointsPerUnit × whole units of the subtotal (floored). */
export function estimatePoints(subtotalCents: number | null | undefined, pointsPerUnit: number): number {
  if (!subtotalCents || subtotalCents <= 0 || pointsPerUnit <= 0) return 0;
  return Math.floor((subtotalCents * pointsPerUnit) / 100);
}

/** "12.34" / "12" / 12.34 → minor units; null when not a non-negative amount. */
export function parseAmountToCents(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1e9) return null;
  return Math.round(n * 100);
}

/** Rules editor input (admin › Offers). */
export const offerRuleInput = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(100),
    anyOrder: z.boolean(),
    triggerProducts: z
      .array(
        z
          .string()
          .trim()
          .regex(/^gid:\/\/shopify\/Product\/\d+$/, "Product ids look like gid://shopify/Product/123"),
      )
      .max(50),
    triggerTags: z.array(z.string().trim().min(1).max(255)).max(50),
    offerVariantId: z
      .string()
      .trim()
      .regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "Variant ids look like gid://shopify/ProductVariant/123"),
    offerTitle: z.string().trim().min(1, "Offer title is required").max(120),
    discountPercent: z.number().int().min(1).max(100),
    expiryDays: z.number().int().min(1).max(365),
    priority: z.number().int().min(-1000).max(1000),
    perCustomerLimit: z.number().int().min(0).max(100),
    enabled: z.boolean(),
  })
  .refine((r) => r.anyOrder || r.triggerProducts.length > 0 || r.triggerTags.length > 0, {
    message: "Choose any order, or at least one product or tag",
    path: ["anyOrder"],
  });
export type OfferRuleInput = z.infer<typeof offerRuleInput>;

/** Comma/newline separated text → trimmed, de-duplicated items. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
