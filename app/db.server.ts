// The Prisma client, over the libSQL driver adapter (no native query engine to download).
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { checkpointErasures, configureSqliteConnections, DEFAULT_DATABASE_URL, ensureDirectoryFor } from "./db/sqlite-file.server";

export type Db = PrismaClient;

export function createDb(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): Db {
  ensureDirectoryFor(url);
  configureSqliteConnections();
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

/**
 * After a redaction or a retention purge: make the erasure final on disk for the engine in use
 * (SQLite: secure delete is on for every connection; this moves the WAL's older page images out).
 */
export function finishErasure(client: Db): Promise<boolean> {
  return checkpointErasures(client);
}

declare global {
  // Remix dev reloads modules; keep one client per process.
  // eslint-disable-next-line no-var
  var __trustloopDb: Db | undefined;
}

export const db: Db = (globalThis.__trustloopDb ??= createDb());
export default db;
