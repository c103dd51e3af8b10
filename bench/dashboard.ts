// Dashboard cost: the admin home's loader (figures summed from the DailyRollup table) against the
// same figures computed by scanning raw rows, for a shop with 50 k customers, 100 k orders and a
// 1 M-row message ledger spread over 400 days (+ clicks, attributions, NPS, reviews, delays,
// codes, loyalty points, offers). Checks that both give the very same figures.
//
//   node --import tsx bench/dashboard.ts         (npm run bench:dashboard)
//   BENCH_DASHBOARD_SCALE=1 BENCH_DASHBOARD_LOADER_RUNS=7 BENCH_DASHBOARD_SCAN_RUNS=3 BENCH_DASHBOARD_SEED=20261122
//   BENCH_DASHBOARD_REBUILD_WINDOW=30 (days per rebuildShop call)
import os from "node:os";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import type { Db } from "../app/db.server";
import { ManualClock } from "../app/engine/clock";
import { MESSAGES_PER_ORDER, seedShop } from "./dashboard-seed";
import { databaseSizeMb, fixed, median, migratedDatabase, openDb, printMachine, run, seconds, settle } from "./support";

const SCALE = Number(process.env.BENCH_DASHBOARD_SCALE ?? 1);
const CUSTOMERS = Math.round(50_000 * SCALE);
const ORDERS = Math.round(100_000 * SCALE);
const DAYS = 400;
const LOADER_RUNS = Number(process.env.BENCH_DASHBOARD_LOADER_RUNS ?? 7);
const SCAN_RUNS = Number(process.env.BENCH_DASHBOARD_SCAN_RUNS ?? 3);
const SEED = Number(process.env.BENCH_DASHBOARD_SEED ?? 20261122);
const REBUILD_WINDOW = Number(process.env.BENCH_DASHBOARD_REBUILD_WINDOW ?? 30);
const LOADER_TARGET_MS = 300;
const RATIO_TARGET = 0.05;
const DOMAIN = "dashboard-bench.myshopify.com";
// A fixed "now": the seed, and so every figure, is the same on every run.
const NOW = new Date("2026-11-30T15:00:00.000Z");

async function main() {
  const started = performance.now();
  printMachine("dashboard benchmark");
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(", ")} (other processes on the machine show up as noise)`,
  );
  console.log(
    `shop: ${CUSTOMERS.toLocaleString("en")} customers, ${ORDERS.toLocaleString("en")} orders, ${(ORDERS * MESSAGES_PER_ORDER).toLocaleString("en")} ledger rows over ${DAYS} days ending ${NOW.toISOString()} (seed ${SEED}); loader median of ${LOADER_RUNS} after 1 warm-up, scan median of ${SCAN_RUNS} after 1 warm-up`,
  );

  const database = await migratedDatabase("dashboard");
  const url = database.url;
  console.log(`database: ${database.server}`);
  const db = await openDb(url);
  const clock = new ManualClock(NOW);
  // Engine modules after openDb: DATABASE_URL points at the bench database before app/db.server loads.
  const { installShop } = await import("../app/engine/shops/install");
  const { dashboardData } = await import("../app/engine/dashboard/read");
  const { scanFigures, customerFiguresFromOrders } = await import("../app/engine/dashboard/scan");
  const { rebuildShop } = await import("../app/engine/dashboard/rollups");
  const { dayOf, addDays } = await import("../app/engine/dashboard/days");

  // --- The shop as an install leaves it: the six preset flows (+ history import row), then the
  // merchant's choices: a 10 % holdout on the thank-you flow, reminders on three more flows.
  const shop = await installShop(
    db,
    clock,
    DOMAIN,
    {
      name: "Dashboard Bench",
      contactEmail: "owner@dashboard-bench.example",
      timezone: "America/New_York",
      currency: "USD",
      primaryDomain: null,
      countryCode: "US",
      address: null,
    },
    "read_orders,write_discounts",
  );
  await db.flow.update({ where: { shopId_key: { shopId: shop.id, key: "thank_you" } }, data: { holdoutPercent: 10 } });
  await db.flow.updateMany({ where: { shopId: shop.id, key: { in: ["check_in", "nps", "points_earned"] } }, data: { reminderDelayMinutes: 5 * 24 * 60 } });
  const flows = Object.fromEntries((await db.flow.findMany({ where: { shopId: shop.id } })).map((f) => [f.key, f.id]));
  const offerRules: string[] = [];
  for (const [name, percent] of [
    ["Refill", 15],
    ["Accessory", 10],
    ["Bundle", 20],
  ] as const) {
    const rule = await db.offerRule.create({
      data: {
        shopId: shop.id,
        name,
        anyOrder: true,
        offerVariantId: `gid://shopify/ProductVariant/${offerRules.length + 1}`,
        offerTitle: name,
        discountPercent: percent,
      },
    });
    offerRules.push(rule.id);
  }

  // --- Seed (plain pg, INSERT … SELECT FROM unnest, see bench/dashboard-seed.ts).
  let t = performance.now();
  const counts = await seedShop({
    url,
    shopId: shop.id,
    now: NOW,
    days: DAYS,
    customers: CUSTOMERS,
    orders: ORDERS,
    seed: SEED,
    flows,
    offerRules,
    holdoutPercent: 10,
  });
  const seedMs = performance.now() - t;
  gc();
  console.log(
    `seeded in ${seconds(seedMs)} (peak RSS so far ${peakRssMb()} MB): ${Object.entries(counts)
      .map(([table, n]) => `${table} ${n.toLocaleString("en")}`)
      .join(", ")}`,
  );
  const statuses = await db.message.groupBy({ by: ["status"], where: { shopId: shop.id }, _count: { _all: true } });
  const totalMessages = statuses.reduce((s, r) => s + r._count._all, 0);
  if (totalMessages !== ORDERS * MESSAGES_PER_ORDER) throw new Error(`expected ${ORDERS * MESSAGES_PER_ORDER} Message rows, found ${totalMessages}`);
  console.log(
    `ledger statuses: ${statuses
      .sort((a, b) => b._count._all - a._count._all)
      .map((r) => `${r.status} ${fixed((100 * r._count._all) / totalMessages, 1)} %`)
      .join(", ")}`,
  );

  // --- Customer figures: customerFiguresFromOrders (scan.ts) createMany'd into CustomerStat, as
  // the write path (refreshCustomerStat) would have left them. Then the rollups, in one pass.
  t = performance.now();
  const figures = await customerFiguresFromOrders(db, shop.id);
  const stats = [...figures].map(([customerKey, f]) => ({ shopId: shop.id, customerKey, ...f }));
  for (let i = 0; i < stats.length; i += 2000) await db.customerStat.createMany({ data: stats.slice(i, i + 2000) });
  const statsMs = performance.now() - t;
  gc();
  console.log(`CustomerStat: ${stats.length.toLocaleString("en")} rows in ${seconds(statsMs)}`);

  const today = dayOf(NOW, shop.timezone);
  const fromDay = addDays(today, -DAYS);
  // rebuildShop works through windows of REBUILD_WINDOW days (a window's raw rows are held in memory).
  t = performance.now();
  const windows = Math.ceil((DAYS + 1) / REBUILD_WINDOW);
  const rollupRows = await rebuildShop(db, shop, fromDay, today, REBUILD_WINDOW);
  gc();
  const rebuildMs = performance.now() - t;
  const storedRollups = await db.dailyRollup.count({ where: { shopId: shop.id } });
  if (storedRollups !== rollupRows) throw new Error(`rebuildShop reported ${rollupRows} rows, DailyRollup holds ${storedRollups}`);
  console.log(
    `rebuildShop ${fromDay} … ${today} in ${windows} windows of ≤${REBUILD_WINDOW} days: ${rollupRows.toLocaleString("en")} DailyRollup rows (${fixed(rollupRows / (DAYS + 1), 0)} per day) in ${seconds(rebuildMs)}; peak RSS so far ${peakRssMb()} MB`,
  );
  console.log(await settle(url));

  // --- The loader, as the admin home's route calls it after authentication.
  const loader = async (period: "30d" | "365d") => {
    gc();
    const warm = await dashboardData(db, clock, DOMAIN, period);
    if (!warm) throw new Error("shop not found");
    const runs: number[] = [];
    for (let i = 0; i < LOADER_RUNS; i++) {
      const t0 = performance.now();
      await dashboardData(db, clock, DOMAIN, period);
      runs.push(performance.now() - t0);
    }
    return { data: warm, runs, median: median(runs) };
  };
  const loader30 = await loader("30d");
  const loader365 = await loader("365d");
  for (const [period, r] of [
    ["30d", loader30],
    ["365d", loader365],
  ] as const) {
    console.log(`loader ${period}: median ${fixed(r.median, 1)} ms (runs ${r.runs.map((x) => fixed(x, 1)).join(", ")})`);
  }
  const breakdown = await loaderBreakdown(db, clock, shop);
  const scanParts = await scanBreakdown(db, clock, shop);

  // --- The same figures from raw rows.
  const scanRuns: number[] = [];
  let scanned: Awaited<ReturnType<typeof scanFigures>> | undefined;
  for (let i = 0; i <= SCAN_RUNS; i++) {
    gc();
    const t0 = performance.now();
    const result = await scanFigures(db, clock, shop, "30d");
    const ms = performance.now() - t0;
    if (i === 0)
      scanned = result; // the first run is untimed (warms the page cache, as for the loader)
    else scanRuns.push(ms);
  }
  const scan30 = median(scanRuns);
  console.log(`scan 30d: median ${fixed(scan30, 1)} ms (runs ${scanRuns.map((x) => fixed(x, 1)).join(", ")}), peak RSS so far ${peakRssMb()} MB`);

  // --- An honest comparison measures the same thing: the figures must be identical.
  const difference = firstDifference(loader30.data.figures, scanned!, "figures");
  if (difference) throw new Error(`loader and scan disagree (30d): ${difference}`);
  const f = loader30.data.figures;
  console.log(
    `figures match (30d, ${JSON.stringify(f).length.toLocaleString("en")} bytes of JSON): ${f.orders.count.toLocaleString("en")} orders, $${fixed(f.orders.revenueCents / 100, 2)} net revenue, ${f.customers.newCustomers.toLocaleString("en")} new customers, ` +
      `${f.flows.reduce((s, x) => s + x.scheduled, 0).toLocaleString("en")} messages planned, ${f.flows.reduce((s, x) => s + x.sent, 0).toLocaleString("en")} sent, NPS ${f.nps.score} (${f.nps.responses} answers), ${f.reviews.submitted} reviews`,
  );

  // --- Summary
  const ratio = loader30.median / scan30;
  const size = await databaseSizeMb(url);
  console.log("");
  console.log(
    `seed ${seconds(seedMs)}, CustomerStat ${seconds(statsMs)}, rebuildShop ${seconds(rebuildMs)} (one-off, not the loader); database ${fixed(size, 0)} MB (pg_database_size); total run ${seconds(performance.now() - started)}`,
  );
  console.log(`loader breakdown, 365d (each part alone, median of ${LOADER_RUNS}): ${breakdown}`);
  console.log(`scan breakdown, 30d (the steps of scanFigures, one run): ${scanParts}`);
  console.log("");
  console.log("what                                   median ms");
  console.log(`loader 30d  (dashboardData)        ${fixed(loader30.median, 1).padStart(12)}`);
  console.log(`loader 365d (dashboardData)        ${fixed(loader365.median, 1).padStart(12)}`);
  console.log(`scan 30d    (scanFigures)          ${fixed(scan30, 1).padStart(12)}`);
  const slowest = Math.max(loader30.median, loader365.median);
  console.log(
    `targets: loader < ${LOADER_TARGET_MS} ms ${slowest < LOADER_TARGET_MS ? "met" : "MISSED"} (slowest ${fixed(slowest, 1)} ms); ratio ≤ ${RATIO_TARGET} ${ratio <= RATIO_TARGET ? "met" : "MISSED"}`,
  );
  console.log(`ratio: ${ratio.toFixed(4)}`);
}

/**
 * A full garbage collection between phases (never inside a timed run): the previous phase's
 * garbage is neither collected on the next one's clock nor kept around (peak memory).
 */
const gc = (() => {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
})();

/** The process's peak resident memory (MB). */
const peakRssMb = () => fixed(process.resourceUsage().maxRSS / 1024, 0);

/** The parts of rollupFigures (read.ts) for 365 days, each timed on its own. */
async function loaderBreakdown(db: Db, clock: ManualClock, shop: { id: string; timezone: string }): Promise<string> {
  const shopId = shop.id;
  const { dayOf } = await import("../app/engine/dashboard/days");
  const { COHORT_METRIC_LIST, SERIES_METRIC_LIST, cohortStart, periodEnding } = await import("../app/engine/dashboard/summary");
  const today = dayOf(clock.now(), shop.timezone);
  const period = periodEnding(today, "365d");
  const inPeriod = { gte: period.from, lte: period.to };
  const parts: [string, () => Promise<unknown[]>][] = [
    [
      "groupBy totals",
      async () => {
        const rows = await db.dailyRollup.groupBy({ by: ["metric", "dim"], where: { shopId, day: inPeriod }, _sum: { value: true } });
        return rows;
      },
    ],
    [
      "series rows",
      () =>
        db.dailyRollup.findMany({
          where: { shopId, metric: { in: SERIES_METRIC_LIST }, day: inPeriod },
          select: { day: true, metric: true, dim: true, value: true },
        }),
    ],
    [
      "cohort rows",
      () =>
        db.dailyRollup.findMany({
          where: { shopId, metric: { in: COHORT_METRIC_LIST }, day: { gte: cohortStart(today), lte: today } },
          select: { day: true, metric: true, dim: true, value: true },
        }),
    ],
    ["flows", () => db.flow.findMany({ where: { shopId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })],
  ];
  const out: string[] = [];
  for (const [name, q] of parts) {
    const rows = (await q()).length;
    const runs: number[] = [];
    for (let i = 0; i < LOADER_RUNS; i++) {
      const t0 = performance.now();
      await q();
      runs.push(performance.now() - t0);
    }
    out.push(`${name} ${fixed(median(runs), 1)} ms (${rows.toLocaleString("en")} rows)`);
  }
  return out.join(", ");
}

/** The steps of scanFigures (scan.ts) for 30 days, timed one after the other. */
async function scanBreakdown(db: Db, clock: ManualClock, shop: { id: string; timezone: string }): Promise<string> {
  const shopId = shop.id;
  const { dayOf } = await import("../app/engine/dashboard/days");
  const { cohortStart, periodEnding } = await import("../app/engine/dashboard/summary");
  const { computeRows } = await import("../app/engine/dashboard/rollups");
  const { customerFiguresFromOrders, memoryStats } = await import("../app/engine/dashboard/scan");
  const today = dayOf(clock.now(), shop.timezone);
  const period = periodEnding(today, "30d");
  gc();
  let t = performance.now();
  const stats = memoryStats(await customerFiguresFromOrders(db, shopId));
  const figuresMs = performance.now() - t;
  const families = ["orders", "flows", "engagement"] as const;
  const parts = [`customerFiguresFromOrders ${fixed(figuresMs, 0)} ms`];
  for (const family of families) {
    t = performance.now();
    const rows = await computeRows(db, shop, period.from, period.to, stats, new Set([family]));
    parts.push(`${family} rows ${fixed(performance.now() - t, 0)} ms (${rows.length.toLocaleString("en")})`);
  }
  t = performance.now();
  const cohortRows = await computeRows(db, shop, period.from, period.to, stats, new Set(["cohorts"]));
  await computeRows(db, shop, cohortStart(today), today, stats, new Set(["cohorts"]));
  parts.push(`cohort rows, period + 12 months ${fixed(performance.now() - t, 0)} ms (${cohortRows.length.toLocaleString("en")} in the period)`);
  return parts.join(", ");
}

/** The path and values of the first difference between two JSON values, or null. */
function firstDifference(a: unknown, b: unknown, path: string): string | null {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja === jb) return null;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
      if (d) return d;
    }
    return `${path}: key order differs`;
  }
  return `${path}: loader ${ja?.slice(0, 200)} ≠ scan ${jb?.slice(0, 200)}`;
}

await run(main);
