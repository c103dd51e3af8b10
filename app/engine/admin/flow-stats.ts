// 30-day figures per flow for the Flows page. One grouped query per figure (never one per
// flow), always scoped to one shop.
import type { PrismaClient } from "@prisma/client";

export const STATS_WINDOW_DAYS = 30;
const TOP_REASONS = 3;

export interface FlowStats {
  scheduled: number; // waiting: scheduled, deferred or being sent
  sent: number;
  skipped: number;
  topSkipReasons: { reason: string; count: number }[];
  clicks: number;
  attributedOrders: number;
  revenueCents: number;
}

export const emptyStats = (): FlowStats => ({ scheduled: 0, sent: 0, skipped: 0, topSkipReasons: [], clicks: 0, attributedOrders: 0, revenueCents: 0 });

const WAITING = new Set(["scheduled", "deferred", "sending"]);

export async function flowStats(db: PrismaClient, shopId: string, now: Date): Promise<Map<string, FlowStats>> {
  const since = new Date(now.getTime() - STATS_WINDOW_DAYS * 86_400_000);
  const [byStatus, skipReasons, clicked, attributions] = await Promise.all([
    db.message.groupBy({
      by: ["flowId", "status"],
      where: { shopId, OR: [{ createdAt: { gte: since } }, { sentAt: { gte: since } }] },
      _count: { _all: true },
    }),
    db.message.groupBy({
      by: ["flowId", "reason"],
      where: { shopId, status: "skipped", createdAt: { gte: since } },
      _count: { _all: true },
    }),
    // Only messages that were clicked come back: one row per clicked message, with its count.
    db.message.findMany({
      where: { shopId, clicks: { some: { clickedAt: { gte: since } } } },
      select: { flowId: true, _count: { select: { clicks: { where: { clickedAt: { gte: since } } } } } },
    }),
    db.attribution.groupBy({
      by: ["flowId"],
      where: { shopId, createdAt: { gte: since } },
      _count: { _all: true },
      _sum: { revenueCents: true },
    }),
  ]);

  const stats = new Map<string, FlowStats>();
  const of = (flowId: string) => {
    let s = stats.get(flowId);
    if (!s) stats.set(flowId, (s = emptyStats()));
    return s;
  };
  for (const row of byStatus) {
    const s = of(row.flowId);
    if (WAITING.has(row.status)) s.scheduled += row._count._all;
    else if (row.status === "sent") s.sent += row._count._all;
    else if (row.status === "skipped") s.skipped += row._count._all;
  }
  for (const row of skipReasons) {
    const list = of(row.flowId).topSkipReasons;
    const reason = skipReasonKey(row.reason);
    const same = list.find((r) => r.reason === reason);
    if (same) same.count += row._count._all;
    else list.push({ reason, count: row._count._all });
  }
  for (const s of stats.values())
    s.topSkipReasons = s.topSkipReasons.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)).slice(0, TOP_REASONS);
  for (const row of clicked) of(row.flowId).clicks += row._count.clicks;
  for (const row of attributions) {
    const s = of(row.flowId);
    s.attributedOrders += row._count._all;
    s.revenueCents += row._sum.revenueCents ?? 0;
  }
  return stats;
}

/** Reasons carry instants ("missed: was due 2026-11-22T10:00:00.000Z, …"); group without them. */
export function skipReasonKey(reason: string | null): string {
  if (!reason) return "no reason recorded";
  return reason.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "…");
}
