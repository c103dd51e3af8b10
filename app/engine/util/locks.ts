// Concurrency guards for PostgreSQL transactions (READ COMMITTED: transactions run side by side,
// each statement sees what was committed when it started). A transaction that reads an invariant
// and then writes on it (a balance, a budget, a count, "does it exist yet?") first takes a lock
// that every competing transaction takes too (docs/decisions/026-concurrent-transactions.md).
import { Prisma, type PrismaClient } from "@prisma/client";
import pRetry from "p-retry";

type Tx = Prisma.TransactionClient | PrismaClient;

/** Tables whose rows serve as the lock of what hangs under them (their primary key is `id`/`shopId`). */
const LOCKABLE = {
  LoyaltyMember: "id",
  Shop: "id",
  Order: "id",
  DelaySettings: "shopId",
  Message: "id",
} as const;

/**
 * `SELECT … FOR UPDATE` on one parent row: competing transactions that lock the same row wait for
 * this one to commit, then read what it wrote. Returns whether the row exists.
 */
export async function lockRow(tx: Tx, table: keyof typeof LOCKABLE, id: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "${table}" WHERE "${LOCKABLE[table]}" = $1 FOR UPDATE`, id);
  return rows.length > 0;
}

/**
 * A transaction-scoped advisory lock on a key made of `parts` (for invariants with no row to lock,
 * e.g. "emails to this address"). Released at commit or rollback. Take several in a fixed order.
 */
export async function lockKey(tx: Tx, ...parts: string[]): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${parts.join("\u001f")}, 0))::text AS locked`;
}

/** lockKey for several keys in one statement, taken in the order given (sort them: a fixed order never deadlocks). */
export async function lockKeys(tx: Tx, keys: string[][]): Promise<void> {
  if (!keys.length) return;
  // A plain scan of unnest() yields the array's elements in order.
  await tx.$queryRaw`SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))::int AS locked FROM unnest(${keys.map((parts) => parts.join("\u001f"))}::text[]) AS k`;
}

/** The same key, shared: many holders at once, none while someone holds it with `lockKey`. */
export async function lockKeyShared(tx: Tx, ...parts: string[]): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${parts.join("\u001f")}, 0))::text AS locked`;
}

/** A unique constraint refused the write (P2002): someone else did it first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * PostgreSQL gave up one of two transactions to let the other through: a deadlock (40P01) or a
 * serialization failure (40001, SERIALIZABLE). Prisma reports both as P2034.
 */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2034") return true;
  const text = `${(error as { code?: unknown })?.code ?? ""} ${JSON.stringify((error as { meta?: unknown })?.meta ?? null)} ${(error as Error)?.message ?? ""}`;
  return /\b40P01\b|\b40001\b|deadlock detected|could not serialize access/i.test(text);
}

type TransactionOptions = { isolationLevel?: Prisma.TransactionIsolationLevel; maxWait?: number; timeout?: number };

/**
 * `db.$transaction(fn)`, run again (up to 4 times, after a short random pause) when PostgreSQL
 * aborted it as a deadlock victim or for a serialization failure. `fn` must have no effect outside
 * the database: it may run more than once.
 */
export function retryingTransaction<T>(db: PrismaClient, fn: (tx: Prisma.TransactionClient) => Promise<T>, options?: TransactionOptions): Promise<T> {
  return pRetry(() => db.$transaction(fn, options), {
    retries: 4,
    minTimeout: 5,
    maxTimeout: 200,
    randomize: true,
    shouldRetry: ({ error }) => isRetryableConflict(error),
  });
}
