import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** Where the embedded SQLite database lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/trustloop.sqlite";

/** SQLite cannot create the folder of its file; create it so a fresh clone just works. */
export function ensureDirectoryFor(url: string) {
  if (!url.startsWith("file:")) return;
  const file = url.slice("file:".length).split("?")[0];
  if (file && file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
}

/**
 * The web server and the worker write the same SQLite file. SQLite answers "database is locked"
 * at once unless a busy timeout is set — per connection — and libSQL opens a fresh connection
 * after every transaction without any settings. So every connection gets, on first use, a busy
 * timeout (wait up to 10 s for the other process), WAL mode (readers never block the writer) and
 * secure delete (deleted or overwritten content is zeroed in the page, so redacted data does not
 * linger in free space); transactions start IMMEDIATE (below).
 * libSQL offers no option for this; `prepare` is the first call on every new connection.
 */
export function configureSqliteConnections() {
  const require = createRequire(import.meta.url);
  const { Database } = require("libsql") as { Database?: { prototype: SqliteConnection } };
  const proto = (Database ?? (require("libsql") as { prototype: SqliteConnection })).prototype;
  if (proto.__trustloopConfigured) return;
  const configured = new WeakSet<object>();
  const prepare = proto.prepare;
  proto.prepare = function (this: SqliteConnection, sql: string) {
    if (!configured.has(this)) {
      configured.add(this);
      // PRAGMAs that return a row must be read, not exec'd (libSQL rejects rows from exec).
      (prepare.call(this, "PRAGMA busy_timeout = 10000") as { get(): unknown }).get();
      (prepare.call(this, "PRAGMA journal_mode = WAL") as { get(): unknown }).get();
      (prepare.call(this, "PRAGMA secure_delete = ON") as { get(): unknown }).get();
    }
    // Prisma opens interactive transactions DEFERRED: a read that later writes fails at once with
    // SQLITE_BUSY when the other process wrote meanwhile (no busy wait can help). Every Trustloop
    // transaction writes, so take the write lock up front and let the busy timeout queue them.
    return prepare.call(this, sql === "BEGIN DEFERRED" ? "BEGIN IMMEDIATE" : sql);
  };
  proto.__trustloopConfigured = true;
}

interface SqliteConnection {
  prepare(sql: string): unknown;
  __trustloopConfigured?: boolean;
}

/**
 * Makes erasures final on disk. With secure delete the database pages no longer hold erased data,
 * but the WAL still holds the older page images until it is overwritten: checkpoint them into the
 * database and truncate the WAL to zero bytes. Readers of other processes can hold the checkpoint
 * up (it waits for them within the busy timeout); it is tried again a few times.
 */
export async function checkpointErasures(db: { $queryRawUnsafe<T>(sql: string): Promise<T> }): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [result] = await db.$queryRawUnsafe<{ busy: number | bigint }[]>("PRAGMA wal_checkpoint(TRUNCATE)");
    if (Number(result?.busy ?? 0) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
  }
  return false;
}
