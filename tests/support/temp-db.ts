// A real, migrated PostgreSQL database for tests of database-facing engine code.
import type { Shop } from "@prisma/client";
import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "../../app/db.server";
import { makeShop, type ShopOverrides } from "./factories";
import { createTestDatabase } from "./test-database";

export interface TempDb {
  db: Db;
  url: string;
  close(): Promise<void>;
}

export async function createTempDb(name: string): Promise<TempDb> {
  const database = await createTestDatabase(name);
  const db = createDb(database.url);
  return {
    db,
    url: database.url,
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** The test file's database: made before its tests and handed to `ready` (which may add rows), dropped after them. */
export function useTempDb(name: string, ready: (temp: TempDb) => void | Promise<void>) {
  let temp: TempDb | undefined;
  beforeAll(async () => {
    temp = await createTempDb(name);
    await ready(temp);
  }, 60_000);
  afterAll(() => temp?.close());
}

/** The test file's database with one shop (`makeShop(db, overrides)`); read `db` and `shop` inside the tests. */
export function useShopDb(name: string, overrides: ShopOverrides = {}) {
  const made = {} as { db: Db; shop: Shop };
  useTempDb(name, async (temp) => {
    made.db = temp.db;
    made.shop = await makeShop(temp.db, overrides);
  });
  return made;
}
