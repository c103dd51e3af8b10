// The app's pool on a real PostgreSQL whose backends are killed in the middle of Prisma
// transactions, as a database restart does: the dead connections leave the pool, and the
// transactions after it run (without the guard, the third round finds the pool full of dead
// connections and every transaction waits for ever).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../tests/support/test-database";
import { createDb, sqlPool, type Db } from "./db.server";

/** Small, so that three rounds would fill an unguarded pool with dead connections. */
const MAX = 6;
let database: TestDatabase;
let db: Db;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase("db_pool");
  db = createDb(database.url, { poolMax: MAX });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await db?.$disconnect();
  await database?.drop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** MAX transactions that sit idle in the middle; their backends are terminated meanwhile. */
async function roundOfLostTransactions() {
  let open = 0;
  let allOpen!: () => void;
  const opened = new Promise<void>((resolve) => (allOpen = resolve));
  let goOn!: () => void;
  const terminated = new Promise<void>((resolve) => (goOn = resolve));
  const outcomes = Array.from({ length: MAX }, () =>
    db
      .$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        if (++open === MAX) allOpen();
        await terminated; // idle in the transaction until the backends are terminated
        await tx.$queryRaw`SELECT 2`;
      })
      .then(
        () => "committed",
        () => "failed",
      ),
  );
  await opened;
  const { rows } = await admin.query<{ killed: number }>(
    "SELECT count(pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'",
  );
  goOn();
  return { killed: rows[0].killed, outcomes: await Promise.all(outcomes) };
}

describe("the app's pool when connections are lost mid-transaction", () => {
  it("drops the dead connections and serves the transactions after", { timeout: 30_000 }, async () => {
    let killed = 0;
    for (let round = 0; round < 3; round++) {
      const result = await roundOfLostTransactions();
      killed += result.killed;
      expect(result.outcomes.filter((o) => o === "failed").length).toBe(result.killed);
    }
    expect(killed).toBeGreaterThanOrEqual(MAX);

    const pool = sqlPool(db);
    const after = await Promise.race([
      Promise.all(Array.from({ length: MAX }, (_, i) => db.$transaction(async (tx) => (await tx.$queryRaw<{ n: number }[]>`SELECT ${i}::int AS n`)[0].n))),
      pause(10_000).then(() => "still waiting after 10 s" as const),
    ]);
    expect(after).toEqual(Array.from({ length: MAX }, (_, i) => i));
    expect(pool.waitingCount).toBe(0);
    expect(pool.totalCount).toBeLessThanOrEqual(MAX);
  });
});
