// The Prisma client, over the libSQL driver adapter (no native query engine to download).
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { configureSqliteConnections, DEFAULT_DATABASE_URL, ensureDirectoryFor } from "./db/sqlite-file.server";

export type Db = PrismaClient;

export function createDb(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): Db {
  ensureDirectoryFor(url);
  configureSqliteConnections();
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

declare global {
  // Remix dev reloads modules; keep one client per process.
  // eslint-disable-next-line no-var
  var __trustloopDb: Db | undefined;
}

export const db: Db = (globalThis.__trustloopDb ??= createDb());
export default db;
