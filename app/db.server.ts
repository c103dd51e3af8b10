// The Prisma client over the PostgreSQL driver adapter (`pg`; no native query engine to download).
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { TABLE_COVERAGE } from "./engine/privacy/coverage";

export type Db = PrismaClient;

export interface DbOptions {
  /** Connections this process may hold (TRUSTLOOP_DB_POOL_MAX, default 10). */
  poolMax?: number;
}

export function createDb(url: string | undefined = process.env.DATABASE_URL, options: DbOptions = {}): Db {
  if (!url) throw new Error("DATABASE_URL is not set (postgres://user:password@host:5432/database)");
  const max = options.poolMax ?? Number(process.env.TRUSTLOOP_DB_POOL_MAX ?? 10);
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
}

/** The tables that hold customer data: vacuumed after an erasure. */
export const CUSTOMER_DATA_TABLES = Object.entries(TABLE_COVERAGE)
  .filter(([, coverage]) => coverage.holds === "customer data")
  .map(([table]) => table);

/**
 * After a redaction or a retention purge: VACUUM the customer-data tables, so the deleted rows'
 * space is reclaimed rather than left as dead tuples until autovacuum comes by
 * (docs/decisions/015-erasure-on-disk.md says what stays in the WAL and in backups).
 */
export async function finishErasure(client: Db): Promise<boolean> {
  try {
    for (const table of CUSTOMER_DATA_TABLES) await client.$executeRawUnsafe(`VACUUM "${table}"`);
    return true;
  } catch {
    return false;
  }
}

declare global {
  // Remix dev reloads modules; keep one client per process.
  // eslint-disable-next-line no-var
  var __trustloopDb: Db | undefined;
}

/**
 * The process's client, created on first use: importing this module (as tests of engine code do
 * through the routes' modules) needs no DATABASE_URL until a query runs.
 */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = (globalThis.__trustloopDb ??= createDb());
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
export default db;
