// A real, migrated PostgreSQL database for tests of database-facing engine code.
import { createDb, type Db } from "../../app/db.server";
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
