// Before going live: how many customers would enter a journey now (orders of the last 180 days that
// match its trigger and conditions, one per customer) and how many step messages would fall due in
// the next 7 days if history were sent. Product tags and collections are looked up when a lookup is given.
import type { PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { needsProductTags, parseConditions, unmetCondition } from "../flows/conditions";
import { orderFacts } from "../flows/planner";
import { recentOrders, stepTimes } from "./activate";
import { sameCustomer } from "./reorder";

export const PREVIEW_WINDOW_DAYS = 180;
export const PREVIEW_AHEAD_DAYS = 7;
const DAY_MS = 86_400_000;

export type ProductTagLookup = (productIds: string[]) => Promise<Map<string, { tags: string[]; collections: string[] }>>;

export interface JourneyPreview {
  customers: number;
  orders: number;
  dueNext7Days: number;
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
  const orders = await recentOrders(db, shop.id, new Date(now.getTime() - PREVIEW_WINDOW_DAYS * DAY_MS));
  const wantsTags = needsProductTags(conditions) && !!productTags;
  const products = wantsTags ? await productTags([...new Set(orders.flatMap((o) => o.lineItems.flatMap((li) => (li.productId ? [li.productId] : []))))]) : null;

  const customers = new Set<string>();
  let entered = 0;
  let due = 0;
  const horizon = now.getTime() + PREVIEW_AHEAD_DAYS * DAY_MS;
  for (const order of orders) {
    const times = stepTimes(order, steps, shop.timezone);
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
  return { customers: customers.size, orders: entered, dueNext7Days: due, productTagsUnchecked: needsProductTags(conditions) && !products };
}
