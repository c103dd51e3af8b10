// Before going live: how many customers would enter a journey now (the entries of journeys/entries.ts
// whose trigger happened and that match its conditions, one per customer; for a tier journey, the
// members in that tier now) and how many step messages would fall due in the next 7 days if history
// were sent. Product tags and collections are looked up when a
// lookup is given.
import type { PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { needsProductTags, parseConditions, unmetCondition } from "../flows/conditions";
import { orderFacts } from "../flows/planner";
import { journeyEntries } from "./entries";
import { sameCustomer } from "./reorder";

export const PREVIEW_AHEAD_DAYS = 7;
const DAY_MS = 86_400_000;

export type ProductTagLookup = (productIds: string[]) => Promise<Map<string, { tags: string[]; collections: string[] }>>;

export interface JourneyPreview {
  customers: number;
  orders: number;
  dueNext7Days: number;
  /** Whom the count is of, in words ("orders whose trigger happened in the last 98 days"). */
  basis: string;
  /** Whether past entries can be taken in on activation (a tier reached is a moment: it cannot). */
  historyPossible: boolean;
  /** Product tags and collections were not looked up: orders were counted as if they matched them. */
  productTagsUnchecked: boolean;
}

export async function journeyPreview(
  db: PrismaClient,
  clock: Clock,
  shop: Pick<Shop, "id" | "timezone">,
  id: string,
  productTags?: ProductTagLookup,
): Promise<JourneyPreview | null> {
  const journey = await db.journey.findFirst({ where: { id, shopId: shop.id } });
  if (!journey) return null;
  const now = clock.now();
  const steps = await db.flow.findMany({ where: { journeyId: id, journeyStep: { not: null } }, orderBy: { journeyStep: "asc" } });
  const conditions = parseConditions(journey.conditions);
  const horizon = now.getTime() + PREVIEW_AHEAD_DAYS * DAY_MS;
  if (journey.trigger === "tier_reached") {
    const members = await db.loyaltyMember.count({ where: { shopId: shop.id, tier: journey.tierName ?? { not: null } } });
    const basis = journey.tierName ? `members in the ${journey.tierName} tier now` : "members in a tier now";
    return { customers: members, orders: 0, dueNext7Days: 0, basis, historyPossible: false, productTagsUnchecked: false };
  }
  const { entries, sinceDays } = await journeyEntries(db, shop, journey, steps, now, new Date(horizon));
  const orders = entries.map((e) => e.order);
  const wantsTags = needsProductTags(conditions) && !!productTags;
  const products = wantsTags ? await productTags([...new Set(orders.flatMap((o) => o.lineItems.flatMap((li) => (li.productId ? [li.productId] : []))))]) : null;

  const customers = new Set<string>();
  let entered = 0;
  let due = 0;
  for (const { order, times } of entries) {
    if (!times.length) continue;
    const facts = await orderFacts(db, order);
    if (products) {
      const found = order.lineItems.flatMap((li) => products.get(li.productId ?? "") ?? []);
      Object.assign(facts, { productTags: found.flatMap((p) => p.tags), collections: found.flatMap((p) => p.collections) });
    }
    if (unmetCondition(conditions, facts)) continue;
    entered++;
    const who = sameCustomer(order);
    customers.add(who ? JSON.stringify(who) : order.id);
    due += times.filter((t) => t.dueAt.getTime() > now.getTime() && t.dueAt.getTime() <= horizon).length;
  }
  const basis =
    journey.trigger === "anniversary"
      ? `first-order anniversaries of the last ${sinceDays} days and the next ${PREVIEW_AHEAD_DAYS}`
      : `orders whose trigger happened in the last ${sinceDays} days${journey.stopOnReorder ? ", each customer's last" : ""}`;
  return {
    customers: customers.size,
    orders: entered,
    dueNext7Days: due,
    basis,
    historyPossible: true,
    productTagsUnchecked: needsProductTags(conditions) && !products,
  };
}
