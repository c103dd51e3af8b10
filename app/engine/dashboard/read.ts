// The admin home's loader data: figures summed from the daily rollups (a handful of indexed
// queries, whatever the shop's size), the setup checklist and the history import's progress.
// Always scoped to one shop id (tenant isolation).
import type { PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { historyImportView } from "../history/view";
import { dayOf } from "./days";
import type { RollupRow, RollupShop } from "./rollups";
import { COHORT_METRIC_LIST, SERIES_METRIC_LIST, cohortStart, periodEnding, summarize } from "./summary";
import type { ChecklistItem, DashboardData, DashboardFigures, HistoryImportView, PeriodKey } from "./types";

/** The flows and journeys the dashboard has a line for (journeys' steps summed into their journey's line). */
export async function dashboardLines(db: PrismaClient, shopId: string) {
  const [flows, journeys] = await Promise.all([
    db.flow.findMany({ where: { shopId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.journey.findMany({
      where: { shopId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, name: true, status: true, holdoutPercent: true },
    }),
  ]);
  return { flows, journeys };
}

export async function rollupFigures(db: PrismaClient, clock: Clock, shop: RollupShop, periodKey: PeriodKey): Promise<DashboardFigures> {
  const shopId = shop.id;
  const today = dayOf(clock.now(), shop.timezone);
  const period = periodEnding(today, periodKey);
  const inPeriod = { gte: period.from, lte: period.to };
  const [totals, series, cohortDays, lines] = await Promise.all([
    db.dailyRollup.groupBy({ by: ["metric", "dim"], where: { shopId, day: inPeriod }, _sum: { value: true } }),
    db.dailyRollup.findMany({
      where: { shopId, metric: { in: SERIES_METRIC_LIST }, day: inPeriod },
      select: { day: true, metric: true, dim: true, value: true },
    }),
    db.dailyRollup.findMany({
      where: { shopId, metric: { in: COHORT_METRIC_LIST }, day: { gte: cohortStart(today), lte: today } },
      select: { day: true, metric: true, dim: true, value: true },
    }),
    dashboardLines(db, shopId),
  ]);
  return summarize({
    period,
    totals: totals.map((t): RollupRow => ({ day: "", metric: t.metric, dim: t.dim, value: t._sum.value ?? 0 })),
    series,
    cohortDays,
    ...lines,
  });
}

function checklist(shop: Shop, history: HistoryImportView | null): ChecklistItem[] {
  return [
    {
      key: "sender",
      label: "Confirm the sender",
      done: shop.senderName !== null || shop.replyTo !== null,
      help: "The name your customers see on every email, and where their replies go.",
      url: "/app/settings",
    },
    {
      key: "flows",
      label: "Review your flows",
      done: shop.flowsReviewedAt !== null,
      help: "Check the timing and wording of each email, then save the flows you want to keep.",
      url: "/app/flows",
    },
    {
      key: "extension",
      label: "Add the thank-you block in the checkout editor",
      done: shop.extensionSeenAt !== null,
      help: "Shows earned points and your post-purchase offer on the thank-you and order status pages.",
      url: "shopify://admin/settings/checkout/editor",
    },
    {
      key: "history",
      label: "Import your order history",
      done: history?.status === "done",
      help: "Past orders give the dashboard its baseline; they never trigger emails.",
      url: "/app#history-import",
    },
  ];
}

export async function dashboardData(db: PrismaClient, clock: Clock, shopDomain: string, periodKey: PeriodKey): Promise<DashboardData | null> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return null;
  const [figures, history, pendingDays] = await Promise.all([
    rollupFigures(db, clock, shop, periodKey),
    historyImportView(db, shop.id),
    db.rollupMark.groupBy({ by: ["day"], where: { shopId: shop.id } }).then((days) => days.length),
  ]);
  return {
    shop: { name: shop.name, domain: shop.domain, currency: shop.currency, timezone: shop.timezone },
    figures,
    checklist: checklist(shop, history),
    history,
    pendingDays,
  };
}
