// Shared helpers of the benchmarks (bench/*.ts): machine line, temp migrated SQLite databases,
// child processes, cleanup on success and failure, and a few statistics.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Db } from "../app/db.server";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** The first line of every benchmark: what it ran on. */
export function printMachine(title: string) {
  const cpus = os.cpus();
  console.log(`# ${title}`);
  console.log(`machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
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

/** `prisma migrate deploy` into a new SQLite file in `dir` (as app/engine/queue/jobs.test.ts does). */
export function migratedDatabase(dir: string, name = "bench.sqlite"): { url: string; file: string } {
  const file = path.join(dir, name);
  const url = `file:${file}`;
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  return { url, file };
}

/**
 * The app's Prisma client (libSQL adapter, busy timeout, WAL) on `url`. DATABASE_URL is set
 * before app/db.server is loaded, so its module-level default client points at the same file
 * and never at ./data.
 */
export async function openDb(url: string): Promise<Db> {
  process.env.DATABASE_URL = url;
  const { createDb } = await import("../app/db.server");
  const db = createDb(url);
  onCleanup(() => db.$disconnect());
  return db;
}

// ---------------------------------------------------------------------------------------------
// Child processes

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  process: ChildProcess;
  /** The last 64 KB of its stdout + stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** `node --import tsx <script>`, killed (SIGTERM, then SIGKILL after 5 s) at cleanup. */
export function spawnTs(script: string, env: Record<string, string | undefined>, options: { stdin?: boolean } = {}): Child {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let log = "";
  const append = (d: Buffer) => {
    log += d.toString();
    if (log.length > 128 * 1024) log = log.slice(-64 * 1024);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  onCleanup(stop);
  return { process: child, output: () => log.slice(-64 * 1024), stop };
}

// ---------------------------------------------------------------------------------------------
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
