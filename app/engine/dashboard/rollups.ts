// Daily rollups: the dashboard's figures per (shop, shop-local day, metric, dimension), computed from the
// raw rows of the day. Writes mark days dirty (touch.ts); the worker rebuilds those days here, so
// the dashboard reads a few thousand small rows instead of scanning orders and the message ledger.
// `computeRows` is also the "scan" that recomputes everything from raw rows (scan.ts, tests, bench):
// one definition of every figure, two ways to get at it.
import type { Prisma, PrismaClient } from "@prisma/client";
import { skipReasonKey } from "../admin/flow-stats";
import { COUNTED_ORDER, netCents, statsKeyOf, type CustomerFigures } from "./customer-stats";
import { DAY_MS, addDays, dayOf, daysRange } from "./days";
import { exposes, liftRows, liftUnits, type Exposure } from "./exposures";
import { lockKey, lockKeyShared, retryingTransaction } from "../util/locks";

type Tx = Prisma.TransactionClient | PrismaClient;

export interface RollupRow {
  day: string;
  metric: string;
  dim: string;
  value: number;
}

/** Separates the parts of a compound dimension (flow id and reason, cause and carrier). */
export const SEP = "\t";

/** Metrics that describe customers by the day of their first order (the cohort families). */
export const COHORT_METRICS = ["cust.new", "cust.repeat", "cust.w30", "cust.w60", "cust.w90", "cust.rev90"] as const;
export const GAP_METRIC = "cust.gap";

export type Family = "orders" | "cohorts" | "flows" | "engagement";
export const ALL_FAMILIES: ReadonlySet<Family> = new Set(["orders", "cohorts", "flows", "engagement"]);

/** Where customer figures come from: the CustomerStat table, or a recomputation from all orders. */
export interface StatsSource {
  firstOrdersBetween(gte: Date, lt: Date): Promise<CustomerFigures[]>;
  byKeys(keys: string[]): Promise<Map<string, CustomerFigures>>;
}

export function tableStats(db: Tx, shopId: string): StatsSource {
  return {
    firstOrdersBetween: (gte, lt) => db.customerStat.findMany({ where: { shopId, firstOrderAt: { gte, lt } } }),
    byKeys: async (keys) => {
      const map = new Map<string, CustomerFigures>();
      for (let i = 0; i < keys.length; i += 500) {
        const rows = await db.customerStat.findMany({ where: { shopId, customerKey: { in: keys.slice(i, i + 500) } } });
        for (const row of rows) map.set(row.customerKey, row);
      }
      return map;
    },
  };
}

class Rows {
  private readonly values = new Map<string, RollupRow>();
  constructor(private readonly timeZone: string) {}
  add(at: Date, metric: string, dim: string, value: number) {
    if (!value) return;
    const day = dayOf(at, this.timeZone);
    const key = `${day}\n${metric}\n${dim}`;
    const row = this.values.get(key);
    if (row) row.value += value;
    else this.values.set(key, { day, metric, dim, value });
  }
  list(): RollupRow[] {
    return [...this.values.values()];
  }
}

const WITHIN = [30, 60, 90] as const;

/** The shop as the rollups see it: its id, and the time zone its days are counted in. */
export interface RollupShop {
  id: string;
  timezone: string;
}

/** Every rollup row of the shop-local days in [fromDay, toDay], from the raw rows (and customer figures). */
export async function computeRows(
  db: Tx,
  shop: RollupShop,
  fromDay: string,
  toDay: string,
  stats: StatsSource,
  families: ReadonlySet<Family> = ALL_FAMILIES,
): Promise<RollupRow[]> {
  const shopId = shop.id;
  const range = daysRange(fromDay, toDay, shop.timezone);
  const rows = new Rows(shop.timezone);

  if (families.has("orders")) {
    const orders = await db.order.findMany({
      where: { shopId, ...COUNTED_ORDER, placedAt: range },
      select: { placedAt: true, totalCents: true, refunds: { select: { amountCents: true } } },
    });
    for (const o of orders) {
      rows.add(o.placedAt!, "orders", "", 1);
      rows.add(o.placedAt!, "revenue", "", netCents({ totalCents: o.totalCents, refundedCents: o.refunds.reduce((s, r) => s + r.amountCents, 0) }));
    }
  }

  if (families.has("cohorts")) {
    for (const c of await stats.firstOrdersBetween(range.gte, range.lt)) {
      const at = c.firstOrderAt;
      rows.add(at, "cust.new", "", 1);
      rows.add(at, "cust.rev90", "", c.revenue90Cents);
      if (!c.secondOrderAt) continue;
      const gapMs = c.secondOrderAt.getTime() - at.getTime();
      rows.add(at, "cust.repeat", "", 1);
      rows.add(at, GAP_METRIC, String(Math.floor(gapMs / DAY_MS)), 1);
      for (const days of WITHIN) if (gapMs <= days * DAY_MS) rows.add(at, `cust.w${days}`, "", 1);
    }
  }

  if (families.has("flows")) await flowRows(db, shopId, range, stats, rows);
  if (families.has("engagement")) await engagementRows(db, shopId, range, rows);
  return rows.list();
}

/** Flow figures sit on the day the message was planned (its ledger row was created). */
async function flowRows(db: Tx, shopId: string, range: { gte: Date; lt: Date }, stats: StatsSource, rows: Rows) {
  const messages = await db.message.findMany({
    where: { shopId, createdAt: range },
    select: {
      id: true,
      flowId: true,
      status: true,
      reason: true,
      step: true,
      createdAt: true,
      order: { select: { customerShopifyId: true, email: true, placedAt: true } },
    },
  });
  const exposed: Exposure[] = [];
  const unitOf = await liftUnits(db, shopId);
  for (const m of messages) {
    rows.add(m.createdAt, "flow.scheduled", m.flowId, 1);
    if (m.status === "sent") rows.add(m.createdAt, "flow.sent", m.flowId, 1);
    if (m.status === "held_out") rows.add(m.createdAt, "flow.held_out", m.flowId, 1);
    if (m.status === "skipped") rows.add(m.createdAt, "flow.skipped", `${m.flowId}${SEP}${skipReasonKey(m.reason)}`, 1);
    const key = m.order ? statsKeyOf(m.order) : null;
    if (exposes(m, unitOf) && key && m.order?.placedAt) {
      exposed.push({ id: m.id, flowId: m.flowId, at: m.createdAt, group: m.status === "sent" ? "treated" : "holdout", key, placedAt: m.order.placedAt });
    }
  }
  await liftRows(db, shopId, exposed, stats, (at, metric, unit, group) => rows.add(at, metric, `${unit}${SEP}${group}`, 1), unitOf);

  const clicked = await db.message.findMany({
    where: { shopId, createdAt: range, clicks: { some: {} } },
    select: { flowId: true, createdAt: true, _count: { select: { clicks: true } } },
  });
  for (const m of clicked) rows.add(m.createdAt, "flow.clicks", m.flowId, m._count.clicks);

  const attributed = await db.attribution.findMany({
    where: { shopId, message: { createdAt: range } },
    select: { flowId: true, revenueCents: true, message: { select: { createdAt: true } } },
  });
  for (const a of attributed) {
    rows.add(a.message.createdAt, "flow.attributed", a.flowId, 1);
    rows.add(a.message.createdAt, "flow.attributed_revenue", a.flowId, a.revenueCents);
  }
}

/** NPS, reviews, delays, codes, points and offers, each on the day of its own row. */
async function engagementRows(db: Tx, shopId: string, range: { gte: Date; lt: Date }, rows: Rows) {
  for (const r of await db.npsResponse.findMany({ where: { shopId, respondedAt: range }, select: { respondedAt: true, score: true } })) {
    rows.add(r.respondedAt, "nps", String(r.score), 1);
  }
  for (const r of await db.review.findMany({ where: { shopId, submittedAt: range }, select: { submittedAt: true, rating: true } })) {
    rows.add(r.submittedAt, "reviews", String(r.rating), 1);
  }
  const incidents = await db.delayIncident.findMany({ where: { shopId, detectedAt: range }, select: { detectedAt: true, cause: true, fulfillmentId: true } });
  const carriers = new Map(
    (
      await db.fulfillment.findMany({
        where: { id: { in: incidents.map((i) => i.fulfillmentId).filter((id): id is string => !!id) } },
        select: { id: true, trackingCompany: true },
      })
    ).map((f) => [f.id, f.trackingCompany]),
  );
  for (const i of incidents) {
    const carrier = (i.fulfillmentId && carriers.get(i.fulfillmentId)) || "not shipped yet";
    rows.add(i.detectedAt, "delays", `${i.cause}${SEP}${carrier}`, 1);
  }
  const codes = await db.discountCode.findMany({
    where: { shopId, createdAt: range },
    select: { createdAt: true, purpose: true, status: true, redeemedAt: true, redeemedRevenueCents: true },
  });
  for (const c of codes) {
    if (c.status === "created") rows.add(c.createdAt, "codes.issued", c.purpose, 1);
    if (c.redeemedAt) {
      rows.add(c.createdAt, "codes.redeemed", c.purpose, 1);
      rows.add(c.createdAt, "codes.redeemed_revenue", c.purpose, c.redeemedRevenueCents ?? 0);
    }
  }
  const points = await db.pointsEntry.findMany({ where: { shopId, createdAt: range }, select: { createdAt: true, kind: true, status: true, points: true } });
  for (const p of points) {
    if (p.kind === "earn" && p.status === "approved") rows.add(p.createdAt, "points.issued", "", p.points);
    if (p.kind === "earn" && p.status === "pending") rows.add(p.createdAt, "points.pending", "", p.points);
    if (p.kind === "adjust" && p.points > 0) rows.add(p.createdAt, "points.issued", "", p.points);
    if (p.kind === "redeem") rows.add(p.createdAt, "points.redeemed", "", -p.points);
  }
  const grants = await db.offerGrant.findMany({
    where: { shopId, createdAt: range },
    select: { createdAt: true, impressions: true, clicks: true, convertedOrderGid: true, convertedRevenueCents: true },
  });
  for (const g of grants) {
    if (g.impressions > 0) rows.add(g.createdAt, "offers.shown", "", 1);
    if (g.clicks > 0) rows.add(g.createdAt, "offers.clicked", "", 1);
    if (g.convertedOrderGid || g.convertedRevenueCents !== null) {
      rows.add(g.createdAt, "offers.converted", "", 1);
      rows.add(g.createdAt, "offers.revenue", "", g.convertedRevenueCents ?? 0);
    }
  }
}

/**
 * The marks of a shop's days as committed now: read before the rows are computed, and only these
 * are deleted after. A change that commits meanwhile adds a mark of its own, which stays.
 */
async function marksSeen(tx: Prisma.TransactionClient, shopId: string, from: string, to: string): Promise<bigint[]> {
  const marks = await tx.rollupMark.findMany({ where: { shopId, day: { gte: from, lte: to } }, select: { id: true } });
  return marks.map((m) => m.id);
}

async function deleteMarks(tx: Prisma.TransactionClient, ids: bigint[]) {
  for (let i = 0; i < ids.length; i += 10_000) await tx.rollupMark.deleteMany({ where: { id: { in: ids.slice(i, i + 10_000) } } });
}

/** Replaces one day's rollup rows with a fresh computation; clears the marks it saw (decision 029). */
export async function rebuildDay(db: PrismaClient, shopId: string, day: string): Promise<void> {
  await retryingTransaction(db, async (tx) => {
    // Rebuilds of one day (and of the shop's windows) take turns: two deletes-then-inserts of the
    // same rows at once collide. Writers are not blocked: they only append a mark (touch.ts).
    await lockKeyShared(tx, "rollups", shopId);
    await lockKey(tx, "rollups", shopId, day);
    const seen = await marksSeen(tx, shopId, day, day);
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, timezone: true } });
    const rows = await computeRows(tx, shop, day, day, tableStats(tx, shopId));
    await tx.dailyRollup.deleteMany({ where: { shopId, day } });
    if (rows.length) await tx.dailyRollup.createMany({ data: rows.map((r) => ({ shopId, ...r })) });
    await deleteMarks(tx, seen);
  });
}

/** Worker task: rebuilds up to `limit` marked days (oldest mark first). Returns how many. */
export async function rebuildDirtyDays(db: PrismaClient, limit = 50): Promise<number> {
  const days = await db.$queryRaw<{ shopId: string; day: string }[]>`
    SELECT "shopId", day FROM "RollupMark" GROUP BY "shopId", day ORDER BY min(id) LIMIT ${limit}`;
  const shops = new Set((await db.shop.findMany({ where: { id: { in: [...new Set(days.map((m) => m.shopId))] } }, select: { id: true } })).map((s) => s.id));
  for (const { shopId, day } of days) {
    if (shops.has(shopId)) await rebuildDay(db, shopId, day);
    else await db.rollupMark.deleteMany({ where: { shopId, day } }); // the shop is gone (shop/redact)
  }
  return days.length;
}

/** Rebuilds every dirty day of every shop (tests, the demo, the benchmark). */
export async function rebuildAllDirty(db: PrismaClient): Promise<number> {
  let total = 0;
  for (let n = await rebuildDirtyDays(db, 500); n > 0; n = await rebuildDirtyDays(db, 500)) total += n;
  return total;
}

/**
 * Rebuilds every rollup row of a shop in [fromDay, toDay] (the benchmark's seed, repairs), a window
 * of days at a time so memory stays bounded whatever the shop's history.
 */
export async function rebuildShop(db: PrismaClient, shop: RollupShop, fromDay: string, toDay: string, windowDays = 30): Promise<number> {
  const shopId = shop.id;
  let total = 0;
  for (let from = fromDay; from <= toDay; from = addDays(from, windowDays)) {
    const to = [addDays(from, windowDays - 1), toDay].sort()[0];
    // One transaction per window: a change committed meanwhile either lands before (and is
    // counted) or after (and its mark, newer than the one read, stays).
    total += await retryingTransaction(
      db,
      async (tx) => {
        await lockKey(tx, "rollups", shopId); // no rebuildDay of this shop meanwhile
        const seen = await marksSeen(tx, shopId, from, to);
        const rows = await computeRows(tx, shop, from, to, tableStats(tx, shopId));
        await tx.dailyRollup.deleteMany({ where: { shopId, day: { gte: from, lte: to } } });
        for (let i = 0; i < rows.length; i += 1000) await tx.dailyRollup.createMany({ data: rows.slice(i, i + 1000).map((r) => ({ shopId, ...r })) });
        await deleteMarks(tx, seen);
        return rows.length;
      },
      { maxWait: 60_000, timeout: 10 * 60_000 },
    );
  }
  return total;
}
