// Dispatch scale-out: due messages sent by real worker processes (app/worker.ts: graphile-worker,
// the message_send job, render, SMTP, ledger) into an SMTP server that takes BENCH_SCALE_SMTP_DELAY_MS
// per message, first with 1 worker process, then a fresh batch with BENCH_SCALE_WORKERS processes.
//
//   node --import tsx bench/scale.ts         (npm run bench:scale)
//   BENCH_SCALE_EMAILS=1000 BENCH_SCALE_WORKERS=4 BENCH_SCALE_CONCURRENCY=10 BENCH_SCALE_SMTP_DELAY_MS=50 BENCH_SCALE_WARMUP=25
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Db } from "../app/db.server";
import { RECONCILE_JOB_KIND } from "../app/engine/reconcile";
import { SCOPES } from "../tests/support/stack";
import { seedMessages, seedShop } from "./seed-messages";
import { fixed, migratedDatabase, openDb, printMachine, run, seconds, spawnTs, startSmtpSink, withPg, type Child } from "./support";

const EMAILS = positive("BENCH_SCALE_EMAILS", 1000);
const WORKERS = positive("BENCH_SCALE_WORKERS", 4);
const CONCURRENCY = positive("BENCH_SCALE_CONCURRENCY", 10);
const SMTP_DELAY_MS = Number(process.env.BENCH_SCALE_SMTP_DELAY_MS ?? 50);
const WARMUP = Number(process.env.BENCH_SCALE_WARMUP ?? 25); // per worker process
const MESSAGE_ID_DOMAIN = "trustloop-bench.example";

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1 (got ${process.env[name]})`);
  return value;
}

async function main() {
  printMachine("dispatch scale-out benchmark");
  console.log(
    `load: ${EMAILS} due thank_you messages per run (after ${WARMUP} warm-up per process), 1 worker process then ${WORKERS}; per process TRUSTLOOP_WORKER_CONCURRENCY=${CONCURRENCY}, TRUSTLOOP_SMTP_CONNECTIONS=${CONCURRENCY}; SMTP server answers each message ${SMTP_DELAY_MS} ms after its data`,
  );
  const database = await migratedDatabase("scale");
  console.log(`database: ${database.server}`);
  const db = await openDb(database.url);
  const sink = await startSmtpSink({ delayMs: SMTP_DELAY_MS });
  const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
  console.log(
    `SMTP: smtp-server in a child process at ${smtpUrl} (no TLS, no auth, TCP_NODELAY on), ${SMTP_DELAY_MS} ms before each 250, up to 200 connections`,
  );

  const now = new Date();
  const { shopId, flowId } = await seedShop(db, now);
  // The minute sweep queues an Admin API reconciliation for every installed shop that has none
  // waiting; this one has no offline session (and no Shopify to reach): one is already waiting, a month out.
  await db.job.create({
    data: { kind: RECONCILE_JOB_KIND, key: "bench-later", shopId, payload: { shopId }, status: "pending", runAt: new Date(now.getTime() + 30 * 86_400_000) },
  });
  // The worker as deployed (NODE_ENV=production, no sandbox: real time, no clock offset read per
  // task), on the benchmark's database. No Admin API: the line items carry no product ids and the
  // thank_you preset is service mail (no consent lookup).
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: "bench-api-secret",
    SHOPIFY_APP_URL: `https://${MESSAGE_ID_DOMAIN}`,
    SCOPES,
    TRUSTLOOP_LINK_KEYS: `bench:${crypto.randomBytes(32).toString("base64url")}`,
    SMTP_URL: smtpUrl,
    MAIL_FROM: `Trustloop Bench <hello@${MESSAGE_ID_DOMAIN}>`,
    TRUSTLOOP_WORKER_CONCURRENCY: String(CONCURRENCY),
    TRUSTLOOP_SMTP_CONNECTIONS: String(CONCURRENCY),
  };
  console.log(
    `workers: node --import tsx app/worker.ts, NODE_ENV=production (no sandbox), the queue's cron and rollups job running as deployed; no Admin API calls (line items without product ids, service mail)`,
  );

  let next = 0;
  const results: RunResult[] = [];
  for (const processes of [1, WORKERS]) {
    const result = await measureRun(db, database.url, env, sink, { shopId, flowId, now, from: next, processes });
    next += processes * WARMUP + EMAILS;
    results.push(result);
  }

  console.log("");
  console.log(`processes   emails    time s   emails/s   worker CPU s (ms/email)   postgres CPU s (ms/email)   machine busy   errors`);
  for (const r of results) {
    console.log(
      `${String(r.processes).padStart(9)} ${String(r.sent).padStart(8)} ${fixed(r.ms / 1000, 2).padStart(9)} ${fixed(r.rate).padStart(10)}   ${`${fixed(r.cpu.workers, 1)} (${fixed((r.cpu.workers * 1000) / r.sent, 2)})`.padEnd(24)}  ${`${r.cpu.postgres === null ? "n/a" : `${fixed(r.cpu.postgres, 1)} (${fixed((r.cpu.postgres * 1000) / r.sent, 2)})`}`.padEnd(26)}  ${`${fixed(r.cpu.busyPercent, 0)} % of ${os.cpus().length} cores`.padEnd(13)} ${String(r.errors).padStart(6)}`,
    );
  }
  for (const r of results)
    console.log(
      `${r.processes} process${r.processes > 1 ? "es" : ""}: outcomes ${r.outcomes}; ${r.check}; ${fixed(r.commitsPerEmail, 1)} database transactions per email (pg_stat_database, cron and rollups included)`,
    );
  const [one, many] = results;
  const slots = (p: number) => p * CONCURRENCY;
  console.log("");
  console.log(
    `bounds: the SMTP server alone allows ${fixed((slots(1) * 1000) / SMTP_DELAY_MS, 0)} emails/s with 1 process and ${fixed((slots(WORKERS) * 1000) / SMTP_DELAY_MS, 0)} with ${WORKERS} (connections × 1000 / ${SMTP_DELAY_MS} ms); ` +
      `the CPU one email costs (workers + postgres + SMTP server) ${fixed(cpuPerEmail(many), 2)} ms with ${WORKERS} processes, so ${os.cpus().length} cores allow ~${fixed((os.cpus().length * 1000) / cpuPerEmail(many), 0)} emails/s`,
  );
  for (const r of results) {
    const ours = r.cpu.workers + (r.cpu.postgres ?? 0) + r.cpu.sink;
    console.log(
      `${r.processes} process${r.processes > 1 ? "es" : ""}: this benchmark's processes used ${fixed((ours * 100) / ((r.ms / 1000) * os.cpus().length), 0)} % of the machine's CPU time over the stretch, the machine was ${fixed(r.cpu.busyPercent, 0)} % busy (the difference: other work on the machine)`,
    );
  }
  console.log(`scale ratio: ${(many.rate / one.rate).toFixed(2)}`);
}

const cpuPerEmail = (r: RunResult) => ((r.cpu.workers + (r.cpu.postgres ?? 0) + r.cpu.sink) * 1000) / r.sent;

interface RunResult {
  processes: number;
  sent: number;
  ms: number;
  rate: number;
  outcomes: string;
  check: string;
  errors: number;
  cpu: { workers: number; postgres: number | null; sink: number; busyPercent: number };
  /** Database transactions (pg_stat_database.xact_commit) per email sent, everything the workers did included. */
  commitsPerEmail: number;
}

async function measureRun(
  db: Db,
  url: string,
  env: Record<string, string>,
  sink: Awaited<ReturnType<typeof startSmtpSink>>,
  run: { shopId: string; flowId: string; now: Date; from: number; processes: number },
): Promise<RunResult> {
  const { processes } = run;
  const warmCount = processes * WARMUP;
  let t = performance.now();
  const warmIds = warmCount ? await seedMessages(db, run.now, run.shopId, run.flowId, run.from, warmCount, { products: false }) : [];
  const measuredIds = await seedMessages(db, run.now, run.shopId, run.flowId, run.from + warmCount, EMAILS, { products: false });
  // Their queue jobs (added by the trigger) wait until every worker is up, then go due at once.
  const held = await withPg(url, async (client) =>
    Number(
      (
        await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM graphile_worker.reschedule_jobs(array(SELECT id FROM graphile_worker.jobs WHERE task_identifier = 'message_send' AND locked_at IS NULL), run_at => now() + interval '1 day')`,
        )
      ).rows[0].n,
    ),
  );
  if (held !== warmCount + EMAILS) throw new Error(`expected ${warmCount + EMAILS} send jobs to hold, found ${held}`);
  console.log(
    `\n${processes} process${processes > 1 ? "es" : ""}: seeded ${warmCount} + ${EMAILS} due messages (their send jobs held) in ${seconds(performance.now() - t)}`,
  );

  t = performance.now();
  const workers: Child[] = [];
  for (let i = 0; i < processes; i++) workers.push(spawnTs("app/worker.ts", env));
  await waitFor(
    () => workers.every((w) => w.output().includes('"msg":"worker started"')),
    60_000,
    () => `workers did not start:\n${workers.map((w) => w.output()).join("\n")}`,
  );
  console.log(
    `  ${processes} worker process${processes > 1 ? "es" : ""} started in ${seconds(performance.now() - t)} (pids ${workers.map((w) => w.process.pid).join(", ")})`,
  );

  const sinkBefore = await sink.count();
  if (warmCount) {
    t = performance.now();
    await release(url, db, warmIds);
    // The measured batch is still held: only it is left unsettled once the warm-up is through.
    await waitFor(
      async () => (await unsettled(db)) === EMAILS,
      120_000,
      async () => `warm-up did not finish (${await unsettled(db)} unsettled); the workers logged:\n${logSummary(workers)}`,
    );
    console.log(`  warm-up: ${warmCount} messages in ${seconds(performance.now() - t)}`);
  }
  const sinkAtStart = await sink.count();

  const pids = workers.map((w) => w.process.pid!);
  const commits0 = await commits(url);
  const cpu0 = cpuSnapshot(pids, sink.pid);
  const t0 = performance.now();
  await release(url, db, measuredIds);
  // Polled on a connection of its own, closed before the statistics are read (a backend reports
  // its counts when it ends; an idle one may hold them back for seconds).
  const poller = new pg.Client({ connectionString: url });
  await poller.connect();
  let polls = 0;
  const pending = async () => (
    polls++,
    Number((await poller.query<{ n: string }>(`SELECT count(*) AS n FROM "Message" WHERE status IN ('scheduled', 'deferred', 'sending')`)).rows[0].n)
  );
  await waitFor(
    async () => (await pending()) === 0,
    15 * 60_000,
    async () => `the run did not finish (${await unsettled(db)} unsettled); the workers logged:\n${logSummary(workers)}`,
    50,
  );
  const ms = performance.now() - t0;
  const cpu1 = cpuSnapshot(pids, sink.pid);
  await poller.end();
  const errorLines = workers.flatMap((w) =>
    w
      .output()
      .split("\n")
      .filter((line) => line.includes('"level":"error"')),
  );
  for (const w of workers) await w.stop();
  // Transactions committed in the database while the batch was sent (the workers' statements are
  // autocommits or transactions; this script's own polls are taken off), read once the workers
  // have exited and so reported their statistics.
  const committed = (await commits(url)) - commits0 - polls - 5;

  // Checks: every measured message sent, once.
  const byStatus = await db.message.groupBy({ by: ["status"], where: { rfcMessageId: { in: measuredIds } }, _count: { _all: true } });
  const outcomes = byStatus.map((s) => `${s.status} ${s._count._all}`).join(", ");
  const sent = byStatus.find((s) => s.status === "sent")?._count._all ?? 0;
  const sinkAtEnd = await sink.count();
  const received = sinkAtEnd.received - sinkAtStart.received;
  const arrived = (await sink.ids()).slice(sinkAtStart.received);
  const expected = new Set(measuredIds.map((id) => `<${id}@${MESSAGE_ID_DOMAIN}>`));
  const counts = new Map<string, number>();
  for (const id of arrived) counts.set(id, (counts.get(id) ?? 0) + 1);
  const twice = [...counts.values()].filter((n) => n > 1).length;
  const foreign = [...counts.keys()].filter((id) => !expected.has(id)).length;
  const missing = [...expected].filter((id) => !counts.has(id)).length;
  const ok = sent === EMAILS && received === EMAILS && twice === 0 && foreign === 0 && missing === 0 && sinkAtEnd.duplicateIds === 0;
  const check = `SMTP server received ${received} (warm-up ${sinkAtStart.received - sinkBefore.received}), ${counts.size} distinct Message-IDs, ${twice} received twice, ${missing} missing, ${foreign} unexpected; ${sent} rows sent of ${EMAILS} — ${ok ? "every message sent exactly once" : "CHECK FAILED"}`;
  if (!ok) throw new Error(`${processes} process(es): ${check}; ${outcomes}\n${errorLines.slice(0, 5).join("\n")}`);

  const rate = (sent / ms) * 1000;
  const cpu = {
    workers: pids.reduce((sum, pid) => sum + (cpu1.processes.get(pid)! - cpu0.processes.get(pid)!), 0),
    postgres: cpu0.postgres === null || cpu1.postgres === null ? null : cpu1.postgres - cpu0.postgres,
    sink: cpu1.processes.get(sink.pid)! - cpu0.processes.get(sink.pid)!,
    busyPercent: ((cpu1.machine.busy - cpu0.machine.busy) / (cpu1.machine.total - cpu0.machine.total)) * 100,
  };
  console.log(
    `  measured: ${sent} emails in ${seconds(ms)} = ${fixed(rate)} emails/s; ${errorLines.length} error lines in the workers' logs${errorLines.length ? ` (${errorLines[0].slice(0, 200)})` : ""}`,
  );
  return { processes, sent, ms, rate, outcomes, check, errors: errorLines.length, cpu, commitsPerEmail: committed / sent };
}

/** The held send jobs of these messages go due now; idle workers are woken as add_job would. */
async function release(url: string, db: Db, rfcIds: string[]) {
  const rows = await db.message.findMany({ where: { rfcMessageId: { in: rfcIds } }, select: { id: true } });
  const keys = rows.map((r) => `send:${r.id}`);
  await withPg(url, async (client) => {
    const { rowCount } = await client.query(
      `SELECT 1 FROM graphile_worker.reschedule_jobs(array(SELECT id FROM graphile_worker.jobs WHERE key = ANY($1::text[])), run_at => now())`,
      [keys],
    );
    if (rowCount !== keys.length) throw new Error(`released ${rowCount} of ${keys.length} send jobs`);
    await client.query(`SELECT pg_notify('jobs:insert', $1)`, [JSON.stringify({ count: keys.length })]);
  });
}

/** pg_stat_database.xact_commit of the benchmark's database (its own two statements and the release's three are taken off by the caller). */
async function commits(url: string): Promise<number> {
  return withPg(url, async (client) => {
    await client.query("SELECT pg_stat_clear_snapshot()");
    return Number((await client.query<{ n: string }>("SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()")).rows[0].n);
  });
}

/** Messages not yet settled (all earlier batches are). */
const unsettled = (db: Db) => db.message.count({ where: { status: { in: ["scheduled", "deferred", "sending"] } } });

/** What a worker's log says, as message → count (a failure report without payloads). */
const logSummary = (workers: Child[]) => {
  const counts = new Map<string, number>();
  for (const line of workers.flatMap((w) => w.output().split("\n"))) {
    const msg = /"msg":"([^"]{0,80})/.exec(line)?.[1] ?? (line.trim() ? line.slice(0, 120) : null);
    if (msg) counts.set(msg, (counts.get(msg) ?? 0) + 1);
  }
  return [...counts].map(([msg, n]) => `  ${n} × ${msg}`).join("\n");
};

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, failure: () => string | Promise<string>, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(await failure());
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

// ---------------------------------------------------------------------------------------------
// CPU time from /proc (Linux): per process (user + system, all its threads: the render thread
// included), the PostgreSQL server's processes when the embedded cluster is this process's
// descendant (its exited backends included via the postmaster's children times), and the machine.

const TICK = 100; // USER_HZ

function procStat(pid: number): { ppid: number; comm: string; own: number; children: number } | null {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = raw.lastIndexOf(")");
    const comm = raw.slice(raw.indexOf("(") + 1, close);
    const f = raw.slice(close + 2).split(" "); // f[0] = state (field 3)
    return { ppid: Number(f[1]), comm, own: (Number(f[11]) + Number(f[12])) / TICK, children: (Number(f[13]) + Number(f[14])) / TICK };
  } catch {
    return null;
  }
}

function cpuSnapshot(pids: number[], sinkPid: number) {
  const processes = new Map<number, number>();
  for (const pid of [...pids, sinkPid]) processes.set(pid, procStat(pid)?.own ?? NaN);
  // Descendants of this process named postgres (the embedded cluster); none with DATABASE_URL.
  const all = new Map<number, NonNullable<ReturnType<typeof procStat>>>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat) all.set(Number(entry), stat);
  }
  const isOurs = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === process.pid) return true;
      p = all.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let postgres: number | null = null;
  for (const [pid, stat] of all) {
    if (stat.comm === "postgres" && isOurs(pid)) postgres = (postgres ?? 0) + stat.own + stat.children;
  }
  const [, ...ticks] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = ticks[3] + ticks[4];
  return { processes, postgres, machine: { total, busy: total - idle } };
}

await run(main);
