// The dashboard's figures computed straight from raw rows, without the rollups: customer figures
// from every order, then every day of the period and of the cohort window. Used to check the
// rollups (tests) and as the baseline of `npm run bench:dashboard`; never at page load.
import type { PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { COUNTED_ORDER, customerFigures, statsKeyOf, type CountedOrder, type CustomerFigures } from "./customer-stats";
import { dayOf } from "./days";
import { dashboardLines } from "./read";
import { computeRows, type RollupRow, type RollupShop, type StatsSource } from "./rollups";
import { COHORT_METRIC_LIST, SERIES_METRIC_LIST, cohortStart, periodEnding, summarize } from "./summary";
import type { DashboardFigures, PeriodKey } from "./types";

/** Every customer's figures, recomputed from all their counted orders. */
export async function customerFiguresFromOrders(db: PrismaClient, shopId: string): Promise<Map<string, CustomerFigures>> {
  const orders = await db.order.findMany({
    where: { shopId, ...COUNTED_ORDER },
    select: { customerShopifyId: true, email: true, placedAt: true, totalCents: true, refunds: { select: { amountCents: true } } },
  });
  const byKey = new Map<string, CountedOrder[]>();
  for (const o of orders) {
    const key = statsKeyOf(o);
    if (!key) continue;
    const list = byKey.get(key) ?? [];
    list.push({ placedAt: o.placedAt!, totalCents: o.totalCents, refundedCents: o.refunds.reduce((s, r) => s + r.amountCents, 0) });
    byKey.set(key, list);
  }
  return new Map([...byKey].map(([key, list]) => [key, customerFigures(list)!]));
}

export function memoryStats(figures: Map<string, CustomerFigures>): StatsSource {
  return {
    firstOrdersBetween: async (gte, lt) => [...figures.values()].filter((f) => f.firstOrderAt >= gte && f.firstOrderAt < lt),
    byKeys: async (keys) => new Map(keys.flatMap((k) => (figures.has(k) ? [[k, figures.get(k)!] as const] : []))),
  };
}

export async function scanFigures(db: PrismaClient, clock: Clock, shop: RollupShop, periodKey: PeriodKey): Promise<DashboardFigures> {
  const today = dayOf(clock.now(), shop.timezone);
  const period = periodEnding(today, periodKey);
  const stats = memoryStats(await customerFiguresFromOrders(db, shop.id));
  const periodRows = await computeRows(db, shop, period.from, period.to, stats);
  const cohortRows = await computeRows(db, shop, cohortStart(today), today, stats, new Set(["cohorts"]));
  const pick = (rows: RollupRow[], metrics: string[]) => rows.filter((r) => metrics.includes(r.metric));
  return summarize({
    period,
    totals: periodRows,
    series: pick(periodRows, SERIES_METRIC_LIST),
    cohortDays: pick(cohortRows, COHORT_METRIC_LIST),
    ...(await dashboardLines(db, shop.id)),
  });
}
