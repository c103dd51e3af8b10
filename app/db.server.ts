// The Prisma client over the PostgreSQL driver adapter (`pg`; no native query engine to download).
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { z } from "zod";
import { createPool } from "./db-pool.server";
import { TABLE_COVERAGE } from "./engine/privacy/coverage";
import { enqueueJob } from "./engine/queue/jobs";
import type { JobHandler } from "./engine/queue/jobs";

export type Db = PrismaClient;

export interface DbOptions {
  /** Connections this process may hold (TRUSTLOOP_DB_POOL_MAX, default 10). */
  poolMax?: number;
}

/** Each client's connection pool, for the hot statements that skip Prisma (decision 032; a registered symbol: it survives dev reloads). */
const POOL = Symbol.for("trustloop.pgPool");

export function createDb(url: string | undefined = process.env.DATABASE_URL, options: DbOptions = {}): Db {
  if (!url) throw new Error("DATABASE_URL is not set (postgres://user:password@host:5432/database)");
  const max = options.poolMax ?? Number(process.env.TRUSTLOOP_DB_POOL_MAX ?? 10);
  const pool = createPool(url, max);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  return Object.defineProperty(client, POOL, { value: pool });
}

/** The `pg` pool under a client from createDb (or under the process's `db`). */
export function sqlPool(client: Db): pg.Pool {
  const owner = (client === db ? processDb() : client) as Db & { [POOL]?: pg.Pool };
  if (!owner[POOL]) throw new Error("not a client made by createDb");
  return owner[POOL];
}

/** The tables that hold customer data: rewritten after customers/redact. */
export const CUSTOMER_DATA_TABLES = Object.entries(TABLE_COVERAGE)
  .filter(([, coverage]) => coverage.holds === "customer data")
  .map(([table]) => table);

/** Every table that holds personal data (customers' or the shop's): rewritten after shop/redact. */
export const PERSONAL_DATA_TABLES = Object.entries(TABLE_COVERAGE)
  .filter(([, coverage]) => coverage.holds !== "no personal data")
  .map(([table]) => table);

/** The job that rewrites the tables an erasure touched (the worker runs it; docs/decisions/015). */
export const ERASURE_JOB_KIND = "privacy.rewrite_erased_tables";
const erasureJob = z.object({ tables: z.array(z.string()) });
const KNOWN_TABLES = new Set(Object.keys(TABLE_COVERAGE));

/**
 * After a redaction or a retention purge: schedule the rewrite of the tables it touched. A plain
 * VACUUM only marks the deleted tuples' space free: their bytes stay in the table's and indexes'
 * pages until new rows happen to overwrite them. The rewrite runs in the worker, so the webhook
 * answers at once. The payload names tables only.
 */
export async function scheduleErasureRewrite(client: Db, job: { key: string; tables: string[]; runAt: Date }): Promise<boolean> {
  return enqueueJob(client, { kind: ERASURE_JOB_KIND, key: job.key, payload: { tables: [...new Set(job.tables)].sort() }, runAt: job.runAt });
}

/** How long the rewrite may wait for a table's lock: while it waits, later queries on the table queue behind it. */
const LOCK_TIMEOUT_MS = 2_000;

/** How long the rewrite waits for transactions older than the erasure to end before retrying later. */
const OLDER_TRANSACTIONS_WAIT_MS = 10_000;

/**
 * Whether a transaction that began before `since` is still open in this database. Its snapshot may
 * still see the erased rows; VACUUM FULL copies rows some snapshot can see into the new file, so
 * the rewrite must wait for those transactions to end.
 */
async function olderTransactionOpen(client: pg.Client, since: Date): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start < $1`,
    [since],
  );
  return rows[0].n > 0;
}

/**
 * Rewrites each table (VACUUM FULL: a new file holding only the live rows; the old file is emptied
 * and unlinked) and refreshes its statistics, whose samples may hold erased values. `since` is when
 * the erasure was committed: transactions older than that are waited out first. Returns the tables
 * it could not rewrite yet (their lock was busy, or an older transaction stayed open); any other
 * failure throws.
 */
export async function rewriteErasedTables(databaseUrl: string, tables: string[], since: Date = new Date()): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, options: `-c lock_timeout=${LOCK_TIMEOUT_MS}` });
  const warnings: string[] = [];
  // A role that may not vacuum a table gets a WARNING and the table is skipped: that is a failure here.
  client.on("notice", (notice) => {
    if (notice.severity === "WARNING") warnings.push(notice.message ?? "warning");
  });
  await client.connect();
  const busy: string[] = [];
  try {
    const waitUntil = Date.now() + OLDER_TRANSACTIONS_WAIT_MS;
    while (await olderTransactionOpen(client, since)) {
      if (Date.now() > waitUntil) return [...tables];
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const table of tables) {
      if (!KNOWN_TABLES.has(table)) throw new Error(`not a table of this app: ${table}`);
      try {
        await client.query(`VACUUM (FULL, ANALYZE) ${client.escapeIdentifier(table)}`);
      } catch (error) {
        if ((error as { code?: string }).code !== "55P03") throw error; // lock_not_available
        busy.push(table);
      }
      if (warnings.length) throw new Error(`VACUUM FULL ${table}: ${warnings.join("; ")}`);
    }
  } finally {
    await client.end();
  }
  return busy;
}

/** The worker's handler: tables whose lock stayed busy are kept in the payload and retried with backoff. */
export function erasureJobHandlers(databaseUrl: string): Record<string, JobHandler> {
  return {
    [ERASURE_JOB_KIND]: async (job, { db }) => {
      const { tables } = erasureJob.parse(job.payload);
      // The job is added after the erasure committed: its creation time bounds the erasure's commit.
      const busy = await rewriteErasedTables(databaseUrl, tables, job.createdAt);
      if (busy.length) {
        await db.job.update({ where: { id: job.id }, data: { payload: { tables: busy } } });
        throw new Error(`tables busy, retried later: ${busy.join(", ")}`);
      }
    },
  };
}

declare global {
  // Remix dev reloads modules; keep one client per process.
  var __trustloopDb: Db | undefined;
}

/**
 * The process's client, created on first use: importing this module (as tests of engine code do
 * through the routes' modules) needs no DATABASE_URL until a query runs.
 */
const processDb = () => (globalThis.__trustloopDb ??= createDb());
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = processDb();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
export default db;
