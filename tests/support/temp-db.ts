// A real, migrated SQLite file for tests of database-facing engine code.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "../../app/db.server";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface TempDb {
  db: Db;
  url: string;
  close(): Promise<void>;
}

export function createTempDb(name: string): TempDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trustloop-${name}-`));
  const url = `file:${path.join(dir, "test.sqlite")}`;
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  const db = createDb(url);
  return {
    db,
    url,
    async close() {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
