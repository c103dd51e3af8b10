// Admin › Offers: the shop's rules with their performance, the rules form read into the editor's
// input, and saving a rule. Always within one shop: a rule id of another shop is not found.
import type { PrismaClient } from "@prisma/client";
import { offerPerformance } from "./performance";
import { parseList, splitList, type OfferRuleInput } from "./rules";

const NO_PERFORMANCE = { grants: 0, impressions: 0, clicks: 0, conversions: 0, revenueCents: 0 };

/** The rules in the order they win (priority, then oldest first), each with its counters. */
export async function offerRulesWithPerformance(db: PrismaClient, shopId: string) {
  const [rules, perf] = await Promise.all([
    db.offerRule.findMany({ where: { shopId }, orderBy: [{ priority: "desc" }, { createdAt: "asc" }] }),
    offerPerformance(db, shopId),
  ]);
  return rules.map((r) => ({
    id: r.id,
    name: r.name,
    anyOrder: r.anyOrder,
    triggerProducts: parseList(r.triggerProducts),
    triggerTags: parseList(r.triggerTags),
    offerVariantId: r.offerVariantId,
    offerTitle: r.offerTitle,
    discountPercent: r.discountPercent,
    expiryDays: r.expiryDays,
    priority: r.priority,
    perCustomerLimit: r.perCustomerLimit,
    enabled: r.enabled,
    perf: perf.get(r.id) ?? { ...NO_PERFORMANCE },
  }));
}

/**
 * The rules form as the editor's input (to check with `offerRuleInput`): checkboxes are "on" when
 * ticked, lists are comma or newline separated, an empty priority is 0 and an empty limit 1.
 */
export function offerRuleFields(field: (name: string) => string) {
  return {
    name: field("name"),
    anyOrder: field("anyOrder") === "on",
    triggerProducts: splitList(field("triggerProducts")),
    triggerTags: splitList(field("triggerTags")),
    offerVariantId: field("offerVariantId"),
    offerTitle: field("offerTitle"),
    discountPercent: Number(field("discountPercent")),
    expiryDays: Number(field("expiryDays")),
    priority: Number(field("priority") || 0),
    perCustomerLimit: Number(field("perCustomerLimit") || 1),
    enabled: field("enabled") === "on",
  };
}

/** Updates the shop's rule `id`, or creates one when there is no id. False: no such rule in this shop. */
export async function saveOfferRule(db: PrismaClient, shopId: string, id: string, data: OfferRuleInput): Promise<boolean> {
  if (!id) {
    await db.offerRule.create({ data: { ...data, shopId } });
    return true;
  }
  const { count } = await db.offerRule.updateMany({ where: { id, shopId }, data });
  return count > 0;
}
