// Claim cost with a backlog: how long the queue path takes to pick up and claim due messages
// (graphile-worker's get_job for `message_send` + our claimMessage lease) when the database also
// holds BENCH_CLAIM_SMALL, then BENCH_CLAIM_LARGE scheduled future messages with their queue jobs.
//
//   node --import tsx bench/claim.ts         (npm run bench:claim)
//   BENCH_CLAIM_SMALL=10000 BENCH_CLAIM_LARGE=1000000 BENCH_CLAIM_DUE=2000 BENCH_CLAIM_CONCURRENCY=5
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { Logger, run as runQueue, type WorkerEvents } from "graphile-worker";
import type { Db } from "../app/db.server";
import { systemClock } from "../app/engine/clock";
import { claimMessage } from "../app/engine/messages/claim";
import { TASKS } from "../app/engine/queue/queue";
import { databaseSizeMb, fixed, migratedDatabase, onCleanup, openDb, printMachine, run, seconds, settle, withPg } from "./support";

const SMALL = whole("BENCH_CLAIM_SMALL", 10_000);
const LARGE = whole("BENCH_CLAIM_LARGE", 1_000_000);
const DUE = whole("BENCH_CLAIM_DUE", 2000);
const CONCURRENCY = whole("BENCH_CLAIM_CONCURRENCY", 5);
const CHUNK = 100_000; // rows per INSERT … SELECT statement (one transaction each)
const WORKER_ID = "bench-claim";

function whole(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1 (got ${process.env[name]})`);
  return value;
}

// The flows' categories and anchors in turn (row n gets KINDS[n % 3]): their queue priorities are
// service 1, survey 2, marketing 3 (trustloop_message_priority), for the backlog and the due rows alike.
const KINDS = [
  { flow: "check_in", category: "service", anchor: "delivered" },
  { flow: "review_request", category: "survey", anchor: "delivered" },
  { flow: "points_earned", category: "marketing", anchor: "points_approved" },
] as const;

async function main() {
  printMachine("claim benchmark");
  console.log(
    `load: ${DUE} due messages claimed through the queue with ${SMALL.toLocaleString("en")}, then ${LARGE.toLocaleString("en")} scheduled future messages (and their send jobs) in the database; ` +
      `graphile-worker run() in this process, concurrency ${CONCURRENCY}, a message_send task that claims (claimMessage, 120 s lease) and marks the message sent — no render, no SMTP`,
  );
  const database = await migratedDatabase("claim");
  const url = database.url;
  console.log(`database: ${database.server}`);
  const db = await openDb(url);
  const now = new Date();
  const shop = await db.shop.create({ data: { domain: "claim-bench.myshopify.com", name: "Claim Bench", timezone: "UTC", currency: "USD", installedAt: now } });
  const flows = new Map<string, string>();
  for (const kind of KINDS) {
    const flow = await db.flow.create({
      data: { shopId: shop.id, key: kind.flow, name: kind.flow, trigger: "order_created", delayMinutes: 15, category: kind.category, subject: "s", body: "b" },
    });
    flows.set(kind.flow, flow.id);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  onCleanup(() => client.end());
  const seed: Seed = (from, count, due, via = client) => seedMessages({ pg: via, shopId: shop.id, flows, now: Date.now(), from, count, due });

  let t = performance.now();
  await seed(0, SMALL, false);
  console.log(
    `seeded ${SMALL.toLocaleString("en")} scheduled messages and their send jobs (set-based) in ${seconds(performance.now() - t)}; ${await settle(url)}`,
  );
  const small = await measure(db, url, SMALL, seed, 10_000_000);

  t = performance.now();
  await seed(SMALL, LARGE - SMALL, false);
  const growMs = performance.now() - t;
  console.log(
    `\ngrew to ${LARGE.toLocaleString("en")} scheduled messages and send jobs in ${seconds(growMs)} (${fixed(((LARGE - SMALL) / growMs) * 1000, 0)} rows/s; ${Math.ceil((LARGE - SMALL) / CHUNK)} transactions of INSERT … SELECT + add_jobs); ${await settle(url)}`,
  );
  const large = await measure(db, url, LARGE, seed, 20_000_000);

  console.log("");
  console.log(`scheduled   due   time s   ms/claim   claims/s   by priority: ms/claim (service · survey · marketing)   outcomes`);
  for (const r of [small, large]) {
    console.log(
      `${r.backlog.toLocaleString("en").padStart(9)} ${String(r.due).padStart(5)} ${fixed(r.ms / 1000, 2).padStart(8)} ${fixed(r.ms / r.due, 3).padStart(10)} ${fixed((r.due / r.ms) * 1000, 0).padStart(10)}   ${r.phases
        .map((p) => fixed(p, 3))
        .join(" · ")
        .padEnd(52)} ${r.outcomes}`,
    );
  }
  console.log(
    `database ${fixed(await databaseSizeMb(url), 0)} MB (pg_database_size); ms/claim = wall time from the due rows' commit until the last is marked sent ÷ ${DUE}`,
  );
  console.log(`claim ratio: ${(large.ms / large.due / (small.ms / small.due)).toFixed(2)}`);
}

/** Seeds through the benchmark's own connection, or `via` (inside its transaction). */
type Seed = (from: number, count: number, due: boolean, via?: pg.Client) => Promise<void>;

/**
 * `count` messages numbered from `from`, one INSERT … SELECT over generate_series per chunk. Future
 * rows (the backlog): 1 hour to 60 days ahead, scattered by a hash of n; the Message trigger is
 * disabled for the chunk's transaction and the chunk's send jobs are added set-based with the
 * queue's `add_jobs` (the same spec the trigger passes to `add_job`: key send:<id>, run_at =
 * sendAt, the message's priority) — the trigger's row-by-row add_job would take minutes for 1 M
 * rows. Due rows (1 minute to 2 days late) go in through the trigger, as planning adds them.
 */
async function seedMessages(o: { pg: pg.Client; shopId: string; flows: Map<string, string>; now: number; from: number; count: number; due: boolean }) {
  const nowSec = Math.floor(o.now / 1000);
  const sendAt = o.due ? `${nowSec} - 60 - ((n * 7919) % 172800)` : `${nowSec} + 3600 + ((n * 104729) % 5180400)`;
  const at = (secondsExpr: string) => `to_timestamp(${secondsExpr})`;
  const pick = (field: "flow" | "category" | "anchor") =>
    `(CASE n % 3 ${KINDS.map((k, i) => `WHEN ${i} THEN '${field === "flow" ? o.flows.get(k.flow) : k[field]}'`).join(" ")} END)`;
  const id = (n: string) => `'bm' || lpad(${n}::text, 9, '0')`;
  for (let start = o.from; start < o.from + o.count; start += CHUNK) {
    const end = Math.min(o.from + o.count, start + CHUNK) - 1;
    const insert = `INSERT INTO "Message" ("id","shopId","orderId","flowId","step","dedupeKey","category","status","customerShopifyId","recipient","timezone","anchor","anchorAt","dueAt","sendAt","attempts","rfcMessageId","createdAt","updatedAt")
       SELECT ${id("n")}, $1, NULL, ${pick("flow")}, 'main', 'bench:' || n || ':main', ${pick("category")}::"EmailCategory", 'scheduled',
              'gid://shopify/Customer/' || (7100000 + n), 'buyer' || n || '@example.com', 'America/New_York', ${pick("anchor")},
              ${at(`(${sendAt}) - 900`)}, ${at(`(${sendAt})`)}, ${at(`(${sendAt})`)}, 0, 'tl.bench' || lpad(n::text, 9, '0'), ${at(String(nowSec))}, ${at(String(nowSec))}
       FROM generate_series(${start}::bigint, ${end}::bigint) AS n`;
    if (o.due) {
      await o.pg.query(insert, [o.shopId]);
      continue;
    }
    await o.pg.query("BEGIN");
    await o.pg.query(`ALTER TABLE "Message" DISABLE TRIGGER "Message_queue_send"`);
    await o.pg.query(insert, [o.shopId]);
    await o.pg.query(`ALTER TABLE "Message" ENABLE TRIGGER "Message_queue_send"`);
    await o.pg.query(
      `SELECT count(*) FROM graphile_worker.add_jobs(array(
           SELECT ROW('message_send', json_build_object('messageId', id), NULL, trustloop_queue_time("sendAt"), NULL, 'send:' || id, trustloop_message_priority(anchor, category::text), NULL)::graphile_worker.job_spec
           FROM "Message" WHERE id BETWEEN ${id(String(start))} AND ${id(String(end))}))`,
    );
    await o.pg.query("COMMIT");
  }
}

interface Measurement {
  backlog: number;
  due: number;
  ms: number;
  /** ms per claim within each priority's stretch: service, survey, marketing. */
  phases: number[];
  outcomes: string;
}

async function measure(db: Db, url: string, backlog: number, seed: Seed, dueFrom: number): Promise<Measurement> {
  const jobs = await withPg(url, async (client) =>
    Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'message_send'`)).rows[0].n),
  );
  if (jobs !== backlog) throw new Error(`expected ${backlog} waiting send jobs, found ${jobs}`);

  const plan = await explainGetJob(url, seed, dueFrom + DUE);
  console.log(
    `${backlog.toLocaleString("en")} scheduled: the queue's get_job with one due marketing message behind the backlog's service and survey jobs: ${plan.summary}`,
  );
  for (const line of plan.lines) console.log(`    ${line.trim()}`);

  // The queue as the worker runs it (app/worker.ts), with only the send task and no cron.
  const finished: { at: number; priority: number }[] = [];
  const outcomes = new Map<string, number>();
  let done: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const events: WorkerEvents = new EventEmitter();
  const runner = await runQueue({
    connectionString: url,
    concurrency: CONCURRENCY,
    maxPoolSize: CONCURRENCY + 2,
    pollInterval: 1000,
    noHandleSignals: true,
    events,
    logger: new Logger(() => (level, message) => {
      if (level === "error" || level === "warning") console.error(`queue ${level}: ${message.slice(0, 300)}`);
    }),
    taskList: {
      [TASKS.sendMessage]: async (payload) => {
        const { messageId } = payload as { messageId: string };
        const claim = await claimMessage(db, systemClock, messageId, { workerId: WORKER_ID, leaseMs: 120_000 });
        const outcome = claim.ok ? "claimed" : claim.why;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (claim.ok) {
          // Instead of render + SMTP: the message is done (what the send's last transition does).
          await db.message.updateMany({
            where: { id: messageId, lockedBy: WORKER_ID },
            data: { status: "sent", sentAt: new Date(), lockedBy: null, lockedUntil: null },
          });
          finished.push({ at: performance.now(), priority: ["service", "survey", "marketing"].indexOf(claim.message.category) });
        }
        if (finished.length === DUE) done();
      },
    },
  });
  let stopped = false;
  onCleanup(() => (stopped ? undefined : runner.stop()));

  // The due rows in one statement: their jobs commit (and notify the queue) together.
  const insertStart = performance.now();
  await seed(dueFrom, DUE, true);
  const t0 = performance.now();
  const timeout = setTimeout(() => done(), 30 * 60_000);
  await allDone;
  clearTimeout(timeout);
  const ms = performance.now() - t0;
  stopped = true;
  await runner.stop();
  if (finished.length !== DUE) throw new Error(`only ${finished.length} of ${DUE} due messages were claimed in 30 minutes`);

  // Per priority: its stretch runs from the previous priority's last claim to its own last.
  const phases: number[] = [];
  let from = t0;
  for (const priority of [0, 1, 2]) {
    const mine = finished.filter((f) => f.priority === priority);
    const last = Math.max(...mine.map((f) => f.at));
    phases.push((last - from) / mine.length);
    from = last;
  }
  const sent = await db.message.count({ where: { status: "sent" } });
  const outcomeLine = [...outcomes].map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(
    `${backlog.toLocaleString("en")} scheduled: ${DUE} due rows inserted in ${fixed(performance.now() - insertStart - ms, 0)} ms, then claimed in ${seconds(ms)} = ${fixed(ms / DUE, 3)} ms/claim (${outcomeLine}; ${sent} sent in all)`,
  );
  return { backlog, due: DUE, ms, phases, outcomes: outcomeLine };
}

/**
 * graphile-worker 0.18's get_job statement (dist/sql/getJobs.js, batch size 1, no flags, database
 * time), as its workers send it: the first available job of the given tasks due now, by priority
 * then run_at, locked with SKIP LOCKED.
 */
const GET_JOB = `with j as (
  select jobs.job_queue_id, jobs.priority, jobs.run_at, jobs.id
    from graphile_worker._private_jobs as jobs
    where jobs.is_available = true
    and run_at <= now()
    and task_id = any($2::int[])
    and (jobs.job_queue_id is null or jobs.job_queue_id in (
      select id from graphile_worker._private_job_queues as job_queues where job_queues.is_available = true for update skip locked))
    order by priority asc, run_at asc
    limit 1
    for update
    skip locked
), q as (
  update graphile_worker._private_job_queues as job_queues set locked_by = $1::text, locked_at = now() from j where job_queues.id = j.job_queue_id
)
update graphile_worker._private_jobs as jobs set attempts = jobs.attempts + 1, locked_by = $1::text, locked_at = now() from j where jobs.id = j.id returning *`;

/**
 * The worst case for the queue's claim: the only due job has the lowest priority (marketing, 3),
 * so an index walk in (priority, run_at) order passes every waiting service and survey job first.
 * One due marketing message is added and get_job run under EXPLAIN ANALYZE, all rolled back.
 */
async function explainGetJob(url: string, seed: Seed, n: number): Promise<{ summary: string; lines: string[] }> {
  const marketing = n + ((2 - (n % 3) + 3) % 3); // KINDS[2]
  return withPg(url, async (client) => {
    const taskIds = (await client.query<{ id: number }>(`SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'message_send'`)).rows.map(
      (r) => r.id,
    );
    await client.query("BEGIN");
    try {
      await seed(marketing, 1, true, client);
      const rows = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${GET_JOB}`, ["bench-explain", taskIds])).rows.map(
        (r) => r["QUERY PLAN"],
      );
      // The jobs index scan and its details (index condition, filter, rows removed, buffers).
      const at = rows.findIndex((line) => /Scan .*on _private_jobs/.test(line));
      const end = rows.findIndex((line, i) => i > at && /^\s*(->|SubPlan|CTE )/.test(line));
      const scan = at < 0 ? rows : rows.slice(at, end < 0 ? undefined : end);
      const time = rows.find((line) => line.startsWith("Execution Time"))?.replace("Execution Time: ", "") ?? "?";
      return { summary: time, lines: scan };
    } finally {
      await client.query("ROLLBACK");
    }
  });
}

await run(main);
