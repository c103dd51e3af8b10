// Claim cost: how long claimDueMessages (limit 25) takes with 10 k and with 1 M scheduled
// Message rows, 1 % of them due. Median of 5 claims each, the claims released in between.
//
//   node --import tsx bench/claim.ts         (npm run bench:claim)
//   BENCH_CLAIM_SMALL=10000 BENCH_CLAIM_LARGE=1000000 BENCH_CLAIM_DUE_PERCENT=1 BENCH_CLAIM_RUNS=5
import { performance } from "node:perf_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@prisma/client";
import type { Db } from "../app/db.server";
import { ManualClock } from "../app/engine/clock";
import { claimDueMessages } from "../app/engine/messages/claim";
import { databaseSizeMb, fixed, median, migratedDatabase, openDb, printMachine, run, seconds, settle, withPg } from "./support";

const SMALL = Number(process.env.BENCH_CLAIM_SMALL ?? 10_000);
const LARGE = Number(process.env.BENCH_CLAIM_LARGE ?? 1_000_000);
const DUE_PERCENT = Number(process.env.BENCH_CLAIM_DUE_PERCENT ?? 1);
const RUNS = Number(process.env.BENCH_CLAIM_RUNS ?? 5);
const LIMIT = 25;
const CHUNK = 100_000; // rows per INSERT … SELECT statement (one transaction each)

// Sendat spread: due rows up to 2 days late, the others up to 60 days ahead.
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);

async function main() {
  printMachine("claim benchmark");
  console.log(`rows: Message, all status "scheduled", ${DUE_PERCENT} % due (sendAt in the past), the rest due within 60 days; claimDueMessages limit ${LIMIT}, lease 60 s; median of ${RUNS} claims after 1 untimed, released in between`);

  const database = await migratedDatabase("claim");
  const url = database.url;
  console.log(`database: ${database.server}`);
  const db = await openDb(url);
  const clock = new ManualClock(NOW);
  const shop = await db.shop.create({ data: { domain: "claim-bench.myshopify.com", name: "Claim Bench", timezone: "UTC", currency: "USD", installedAt: NOW } });
  const flow = await db.flow.create({ data: { shopId: shop.id, key: "thank_you", name: "Thank you", trigger: "order_created", delayMinutes: 15, category: "service", subject: "s", body: "b" } });

  let t = performance.now();
  await seed(db, shop.id, flow.id, 0, SMALL);
  console.log(`seeded ${SMALL.toLocaleString("en")} rows in ${seconds(performance.now() - t)}; ${await settle(url)}`);
  const small = await measure(db, clock, SMALL);
  const smallProfile = await profileClaim(url, clock);

  t = performance.now();
  await seed(db, shop.id, flow.id, SMALL, LARGE - SMALL);
  const seedMs = performance.now() - t;
  console.log(`grew to ${LARGE.toLocaleString("en")} rows in ${seconds(seedMs)} (${Math.ceil((LARGE - SMALL) / CHUNK)} INSERT … SELECT statements of ≤${CHUNK.toLocaleString("en")} rows); ${await settle(url)}`);
  const large = await measure(db, clock, LARGE);

  // Which query, and does it use Message_status_sendAt_idx? Where does a claim's time go?
  const candidate = await profileClaim(url, clock);
  console.log("");
  printProfile(SMALL, smallProfile);
  printProfile(LARGE, candidate);
  console.log(`candidate query of claimDueMessages, as Prisma sends it:\n  ${candidate.sql}`);
  const plan = await explain(url, `EXPLAIN (ANALYZE, BUFFERS) ${candidate.sql}`, candidate.params);
  console.log(`EXPLAIN (ANALYZE, BUFFERS) (${LARGE.toLocaleString("en")} rows, after VACUUM ANALYZE):`);
  for (const line of plan) console.log(`  ${line}`);
  const usesIndex = plan.some((line) => line.includes("Message_status_sendAt_idx"));
  const sorts = plan.some((line) => /\bSort\b/.test(line));
  console.log(`  → Message_status_sendAt_idx ${usesIndex ? "used" : "NOT used"}${sorts ? "; ORDER BY sendAt adds a sort over the due rows of both statuses (bounded by LIMIT)" : "; no sort step"}`);
  const updateSql = await capturedUpdate(url, clock);
  const updatePlan = await explain(url, `EXPLAIN ${updateSql.sql}`, updateSql.params);
  console.log(`per-row claim, as Prisma sends it:\n  ${updateSql.sql}`);
  console.log(`EXPLAIN: ${updatePlan.map((line) => line.trim()).join(" | ")}`);

  const sizeMb = await databaseSizeMb(url);
  console.log("");
  console.log(`rows        due rows   claim median ms   (runs ms)                           candidate query median ms`);
  for (const r of [small, large]) {
    console.log(`${r.rows.toLocaleString("en").padEnd(11)} ${r.due.toLocaleString("en").padStart(8)} ${fixed(r.median, 2).padStart(17)}   ${`(${r.runs.map((x) => fixed(x, 1)).join(", ")})`.padEnd(36)} ${fixed(r.queryMedian, 2).padStart(10)}`);
  }
  console.log(`database ${fixed(sizeMb, 0)} MB (pg_database_size); each claim = 1 candidate query + ${LIMIT} × (conditional updateMany + findUniqueOrThrow)`);
  console.log(`claim ratio: ${(large.median / small.median).toFixed(2)}`);
}

/** `count` rows numbered from `from`, with one INSERT … SELECT over generate_series per chunk. */
async function seed(db: Db, shopId: string, flowId: string, from: number, count: number) {
  const nowSec = NOW.getTime() / 1000;
  const every = Math.round(100 / DUE_PERCENT);
  for (let start = from; start < from + count; start += CHUNK) {
    const end = Math.min(from + count, start + CHUNK) - 1;
    // Due rows: 1 minute to 2 days late; others: 1 hour to 60 days ahead (scattered by a hash of n).
    const sendAt = `CASE WHEN n % ${every} = 0 THEN ${nowSec} - 60 - ((n * 7919) % 172800) ELSE ${nowSec} + 3600 + ((n * 104729) % 5180400) END`;
    const at = (secondsExpr: string) => `(to_timestamp(${secondsExpr}) AT TIME ZONE 'UTC')`;
    const sql = `
      INSERT INTO "Message" ("id","shopId","orderId","flowId","step","dedupeKey","category","status","customerShopifyId","recipient","timezone","anchor","anchorAt","dueAt","sendAt","attempts","rfcMessageId","createdAt","updatedAt")
      SELECT 'bm' || lpad(n::text, 9, '0'), $1, NULL, $2, 'main', 'bench:' || n || ':thank_you:main', 'service', 'scheduled',
             'gid://shopify/Customer/' || (7100000 + n), 'buyer' || n || '@example.com', 'America/New_York', 'order_created',
             ${at(`(${sendAt}) - 900`)}, ${at(`(${sendAt})`)}, ${at(`(${sendAt})`)}, 0, 'tl.bench' || lpad(n::text, 9, '0'), ${at(String(nowSec))}, ${at(String(nowSec))}
      FROM generate_series(${start}::bigint, ${end}::bigint) AS n`;
    await db.$executeRawUnsafe(sql, shopId, flowId);
  }
}

/** EXPLAIN output lines of `sql` with Prisma's logged parameters. */
async function explain(url: string, sql: string, params: unknown[]): Promise<string[]> {
  return withPg(url, async (client) => (await client.query<{ "QUERY PLAN": string }>(sql, params)).rows.map((r) => r["QUERY PLAN"]));
}

interface Measurement {
  rows: number;
  due: number;
  runs: number[];
  median: number;
  queryMedian: number;
}

const dueWhere = (now: Date) =>
  ({
    status: { in: ["scheduled", "deferred"] },
    sendAt: { lte: now },
    OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
  }) satisfies Prisma.MessageWhereInput;

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
  const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: "event", level: "query" }] });
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
      const kind = q === found ? "candidate SELECT … ORDER BY sendAt LIMIT" : q.sql.replace(/"public"\./g, "").replace(/\s+/g, " ").slice(0, 48) + "…";
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
  const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: "event", level: "query" }] });
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
