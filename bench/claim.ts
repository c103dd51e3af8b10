// Claim cost: how long claimDueMessages (limit 25) takes with 10 k and with 1 M scheduled
// Message rows, 1 % of them due. Median of 5 claims each, the claims released in between.
//
//   node --import tsx bench/claim.ts         (npm run bench:claim)
//   BENCH_CLAIM_SMALL=10000 BENCH_CLAIM_LARGE=1000000 BENCH_CLAIM_DUE_PERCENT=1 BENCH_CLAIM_RUNS=5
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import type { Db } from "../app/db.server";
import { ManualClock } from "../app/engine/clock";
import { claimDueMessages } from "../app/engine/messages/claim";
import { fixed, median, migratedDatabase, openDb, printMachine, run, seconds, tempDir } from "./support";

const SMALL = Number(process.env.BENCH_CLAIM_SMALL ?? 10_000);
const LARGE = Number(process.env.BENCH_CLAIM_LARGE ?? 1_000_000);
const DUE_PERCENT = Number(process.env.BENCH_CLAIM_DUE_PERCENT ?? 1);
const RUNS = Number(process.env.BENCH_CLAIM_RUNS ?? 5);
const LIMIT = 25;
const CHUNK = 100_000; // rows per INSERT … SELECT statement (one statement per call: libSQL runs only the first)

// Sendat spread: due rows up to 2 days late, the others up to 60 days ahead.
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);

async function main() {
  printMachine("claim benchmark");
  console.log(`rows: Message, all status "scheduled", ${DUE_PERCENT} % due (sendAt in the past), the rest due within 60 days; claimDueMessages limit ${LIMIT}, lease 60 s; median of ${RUNS} claims after 1 untimed, released in between`);

  const dir = tempDir("claim");
  const { url, file } = migratedDatabase(dir);
  const db = await openDb(url);
  const clock = new ManualClock(NOW);
  const shop = await db.shop.create({ data: { domain: "claim-bench.myshopify.com", name: "Claim Bench", timezone: "UTC", currency: "USD", installedAt: NOW } });
  const flow = await db.flow.create({ data: { shopId: shop.id, key: "thank_you", name: "Thank you", trigger: "order_created", delayMinutes: 15, category: "service", subject: "s", body: "b" } });

  let t = performance.now();
  await seed(db, shop.id, flow.id, 0, SMALL);
  console.log(`seeded ${SMALL.toLocaleString("en")} rows in ${seconds(performance.now() - t)}; ${await checkpoint(db, file)}`);
  const small = await measure(db, clock, SMALL);
  const smallProfile = await profileClaim(url, clock);

  t = performance.now();
  await seed(db, shop.id, flow.id, SMALL, LARGE - SMALL);
  const seedMs = performance.now() - t;
  console.log(`grew to ${LARGE.toLocaleString("en")} rows in ${seconds(seedMs)} (${Math.ceil((LARGE - SMALL) / CHUNK)} INSERT … SELECT statements of ≤${CHUNK.toLocaleString("en")} rows); ${await checkpoint(db, file)}`);
  const large = await measure(db, clock, LARGE);

  // Which query, and does it use Message_status_sendAt_idx? Where does a claim's time go?
  const candidate = await profileClaim(url, clock);
  console.log("");
  printProfile(SMALL, smallProfile);
  printProfile(LARGE, candidate);
  console.log(`candidate query of claimDueMessages, as Prisma sends it:\n  ${candidate.sql}`);
  const plan = (await db.$queryRawUnsafe(`EXPLAIN QUERY PLAN ${candidate.sql}`, ...candidate.params)) as { detail: string }[];
  console.log(`EXPLAIN QUERY PLAN (${LARGE.toLocaleString("en")} rows, no ANALYZE statistics, as the app runs):`);
  for (const step of plan) console.log(`  ${step.detail}`);
  const usesIndex = plan.some((p) => p.detail.includes("Message_status_sendAt_idx"));
  const sorts = plan.some((p) => p.detail.includes("TEMP B-TREE"));
  console.log(`  → Message_status_sendAt_idx ${usesIndex ? "used" : "NOT used"}${sorts ? "; ORDER BY sendAt adds a temp B-tree over the due rows of both statuses (bounded by LIMIT)" : "; no sort step"}`);
  const update = candidate.kinds.size ? [...candidate.kinds.keys()].find((k) => k.startsWith("UPDATE")) : undefined;
  if (update) {
    const updateSql = await capturedUpdate(url, clock);
    const updatePlan = (await db.$queryRawUnsafe(`EXPLAIN QUERY PLAN ${updateSql.sql}`, ...updateSql.params)) as { detail: string }[];
    console.log(`per-row claim, as Prisma sends it:\n  ${updateSql.sql}`);
    console.log(`EXPLAIN QUERY PLAN: ${updatePlan.map((p) => p.detail).join(" | ")}`);
  }

  const sizeMb = fs.statSync(file).size / 2 ** 20;
  console.log("");
  console.log(`rows        due rows   claim median ms   (runs ms)                           candidate query median ms`);
  for (const r of [small, large]) {
    console.log(`${r.rows.toLocaleString("en").padEnd(11)} ${r.due.toLocaleString("en").padStart(8)} ${fixed(r.median, 2).padStart(17)}   ${`(${r.runs.map((x) => fixed(x, 1)).join(", ")})`.padEnd(36)} ${fixed(r.queryMedian, 2).padStart(10)}`);
  }
  console.log(`database file ${fixed(sizeMb, 0)} MB; each claim = 1 candidate query + ${LIMIT} × (conditional updateMany + findUniqueOrThrow)`);
  console.log(`claim ratio: ${(large.median / small.median).toFixed(2)}`);
}

/**
 * `count` rows numbered from `from`, with one INSERT … SELECT over a recursive CTE per chunk.
 * DateTimes in the text format Prisma's libSQL adapter writes ("2026-11-22T08:57:53.396+00:00").
 */
async function seed(db: Db, shopId: string, flowId: string, from: number, count: number) {
  const nowSec = NOW.getTime() / 1000;
  const every = Math.round(100 / DUE_PERCENT);
  const iso = (secondsExpr: string) => `strftime('%Y-%m-%dT%H:%M:%f', ${secondsExpr}, 'unixepoch') || '+00:00'`;
  for (let start = from; start < from + count; start += CHUNK) {
    const end = Math.min(from + count, start + CHUNK) - 1;
    // Due rows: 1 minute to 2 days late; others: 1 hour to 60 days ahead (scattered by a hash of n).
    const sendAt = `CASE WHEN n % ${every} = 0 THEN ${nowSec} - 60 - ((n * 7919) % 172800) ELSE ${nowSec} + 3600 + ((n * 104729) % 5180400) END`;
    const sql = `
      INSERT INTO "Message" ("id","shopId","orderId","flowId","step","dedupeKey","category","status","customerShopifyId","recipient","timezone","anchor","anchorAt","dueAt","sendAt","attempts","rfcMessageId","createdAt","updatedAt")
      WITH RECURSIVE seq(n) AS (SELECT ${start} UNION ALL SELECT n + 1 FROM seq WHERE n < ${end})
      SELECT printf('bm%09d', n), '${shopId}', NULL, '${flowId}', 'main', printf('bench:%d:thank_you:main', n), 'service', 'scheduled',
             printf('gid://shopify/Customer/%d', 7100000 + n), printf('buyer%d@example.com', n), 'America/New_York', 'order_created',
             ${iso(`(${sendAt}) - 900`)}, ${iso(`(${sendAt})`)}, ${iso(`(${sendAt})`)}, 0, printf('tl.bench%09d', n), ${iso(String(nowSec))}, ${iso(String(nowSec))}
      FROM seq`;
    await db.$executeRawUnsafe(sql);
  }
}

/**
 * Bulk seeding leaves a WAL of hundreds of MB; the commits measured afterwards would pay for
 * checkpointing it. A running app checkpoints as it goes, so start from an empty WAL.
 */
async function checkpoint(db: Db, file: string): Promise<string> {
  const wal = `${file}-wal`;
  const before = fs.existsSync(wal) ? fs.statSync(wal).size / 2 ** 20 : 0;
  await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  const after = fs.existsSync(wal) ? fs.statSync(wal).size / 2 ** 20 : 0;
  return `WAL checkpointed before measuring (${fixed(before, 0)} MB → ${fixed(after, 0)} MB)`;
}

interface Measurement {
  rows: number;
  due: number;
  runs: number[];
  median: number;
  queryMedian: number;
}

const dueWhere = (now: Date) => ({
  status: { in: ["scheduled", "deferred"] },
  sendAt: { lte: now },
  OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
});

async function measure(db: Db, clock: ManualClock, rows: number): Promise<Measurement> {
  const total = await db.message.count();
  if (total !== rows) throw new Error(`expected ${rows} rows, found ${total}`);
  const due = await db.message.count({ where: dueWhere(clock.now()) });
  const runs: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const workerId = `bench-${rows}-${i}`;
    const t0 = performance.now();
    const claimed = await claimDueMessages(db, clock, { workerId, limit: LIMIT, leaseMs: 60_000 });
    const ms = performance.now() - t0;
    if (claimed.length !== Math.min(LIMIT, due)) throw new Error(`claimed ${claimed.length}, expected ${Math.min(LIMIT, due)}`);
    const { count } = await db.message.updateMany({ where: { lockedBy: workerId }, data: { lockedBy: null, lockedUntil: null } });
    if (count !== claimed.length) throw new Error(`released ${count} of ${claimed.length}`);
    if (i > 0) runs.push(ms); // the first claim is untimed (warms the page cache)
  }
  // The candidate query alone (what claimDueMessages runs first), for the breakdown.
  const query: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    await db.message.findMany({ where: dueWhere(clock.now()), orderBy: { sendAt: "asc" }, take: LIMIT, select: { id: true } });
    if (i > 0) query.push(performance.now() - t0);
  }
  const result = { rows, due, runs, median: median(runs), queryMedian: median(query) };
  console.log(`${rows.toLocaleString("en")} rows (${due.toLocaleString("en")} due): claim median ${fixed(result.median, 2)} ms, candidate query median ${fixed(result.queryMedian, 2)} ms`);
  return result;
}

interface ClaimProfile {
  sql: string;
  params: unknown[];
  wallMs: number;
  /** Statement kind → count and summed duration as Prisma's query log reports it. */
  kinds: Map<string, { count: number; ms: number }>;
}

/**
 * One claim through a second client with Prisma's query log on: the candidate query's SQL and
 * parameters (for EXPLAIN) and where the claim's time goes, per statement kind.
 */
async function profileClaim(url: string, clock: ManualClock): Promise<ClaimProfile> {
  const logged = new PrismaClient({ adapter: new PrismaLibSQL({ url }), log: [{ emit: "event", level: "query" }] });
  const queries: { sql: string; params: string; ms: number }[] = [];
  logged.$on("query", (e) => queries.push({ sql: e.query, params: e.params, ms: Number(e.duration) }));
  try {
    await logged.message.count(); // connect outside the measurement
    queries.length = 0;
    const t0 = performance.now();
    const claimed = await claimDueMessages(logged, clock, { workerId: "bench-profile", limit: LIMIT, leaseMs: 60_000 });
    const wallMs = performance.now() - t0;
    const during = queries.splice(0);
    await logged.message.updateMany({ where: { lockedBy: "bench-profile" }, data: { lockedBy: null, lockedUntil: null } });
    const found = during.find((q) => /^SELECT/i.test(q.sql) && q.sql.includes("ORDER BY"));
    if (!found || claimed.length === 0) throw new Error("could not capture the candidate query");
    const kinds = new Map<string, { count: number; ms: number }>();
    for (const q of during) {
      const kind = q === found ? "candidate SELECT … ORDER BY sendAt LIMIT" : q.sql.replace(/`main`\./g, "").replace(/\s+/g, " ").slice(0, 48) + "…";
      const k = kinds.get(kind) ?? { count: 0, ms: 0 };
      k.count++;
      k.ms += q.ms;
      kinds.set(kind, k);
    }
    return { sql: found.sql, params: JSON.parse(found.params) as unknown[], wallMs, kinds };
  } finally {
    await logged.$disconnect();
  }
}

/** The conditional UPDATE of one claimed row, with its parameters. */
async function capturedUpdate(url: string, clock: ManualClock): Promise<{ sql: string; params: unknown[] }> {
  const logged = new PrismaClient({ adapter: new PrismaLibSQL({ url }), log: [{ emit: "event", level: "query" }] });
  const queries: { sql: string; params: string }[] = [];
  logged.$on("query", (e) => queries.push({ sql: e.query, params: e.params }));
  try {
    await claimDueMessages(logged, clock, { workerId: "bench-update", limit: 1, leaseMs: 60_000 });
    await logged.message.updateMany({ where: { lockedBy: "bench-update" }, data: { lockedBy: null, lockedUntil: null } });
    const found = queries.find((q) => /^UPDATE/i.test(q.sql));
    if (!found) throw new Error("could not capture the claim UPDATE");
    return { sql: found.sql, params: JSON.parse(found.params) as unknown[] };
  } finally {
    await logged.$disconnect();
  }
}

function printProfile(rows: number, profile: ClaimProfile) {
  const logged = [...profile.kinds.values()].reduce((sum, k) => sum + k.ms, 0);
  console.log(`one claim at ${rows.toLocaleString("en")} rows with the query log on: ${fixed(profile.wallMs, 1)} ms wall, ${fixed(logged, 1)} ms in statements (Prisma's durations):`);
  for (const [kind, k] of profile.kinds) console.log(`  ${String(k.count).padStart(3)} × ${kind.padEnd(52)} ${fixed(k.ms, 1).padStart(7)} ms`);
}

await run(main);
