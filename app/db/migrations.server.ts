// Applies prisma/migrations/*/migration.sql to a PostgreSQL database and records what ran.
// `prisma migrate deploy` cannot run over the PostgreSQL driver adapter today (prisma/orm#27403),
// so umzug orders and records the migrations (docs/decisions/024-migration-runner.md):
// each migration and its record commit in one transaction, one deployer at a time (advisory lock),
// and a migration edited after it was applied stops the deploy instead of drifting silently.
// The job queue (graphile-worker) installs and upgrades its own schema first (decision 027).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { Umzug, type UmzugStorage } from "umzug";
import { installQueueSchema } from "../engine/queue/schema";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
const TABLE = "_trustloop_migrations";
/** pg_advisory_lock key: any constant that no other code of ours locks on. */
const LOCK_KEY = 7_277_277;

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies every pending migration; returns the names applied (none when the database is current). */
export async function migrate(databaseUrl: string, options: { log?: (line: string) => void; dir?: string } = {}): Promise<string[]> {
  const files = migrationFiles(options.dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${TABLE}" (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await refuseEditedMigrations(client, files);
    // The job queue's own schema first: our migrations and triggers call into it.
    await installQueueSchema(databaseUrl);
    const umzug = new Umzug({
      migrations: files.map((file) => ({
        name: file.name,
        // The transaction opened here is committed by the storage once the migration is recorded.
        async up() {
          await client.query("BEGIN");
          try {
            await client.query(file.sql);
          } catch (error) {
            await client.query("ROLLBACK");
            throw error;
          }
        },
      })),
      storage: recordingStorage(client, files),
      logger: undefined,
    });
    umzug.on("migrated", ({ name }) => options.log?.(`migration applied: ${name}`));
    const applied = await umzug.up();
    return applied.map((m) => m.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

function recordingStorage(client: pg.Client, files: MigrationFile[]): UmzugStorage {
  const checksums = new Map(files.map((f) => [f.name, f.checksum]));
  return {
    async executed() {
      const { rows } = await client.query<{ name: string }>(`SELECT name FROM "${TABLE}" ORDER BY name`);
      return rows.map((r) => r.name);
    },
    async logMigration({ name }) {
      try {
        await client.query(`INSERT INTO "${TABLE}" (name, checksum) VALUES ($1, $2)`, [name, checksums.get(name)]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    async unlogMigration() {
      throw new Error("migrations only go forward: write a new migration to undo one");
    },
  };
}

async function refuseEditedMigrations(client: pg.Client, files: MigrationFile[]) {
  const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${TABLE}"`);
  const byName = new Map(files.map((f) => [f.name, f.checksum]));
  for (const row of rows) {
    const current = byName.get(row.name);
    if (current && current !== row.checksum)
      throw new Error(`migration ${row.name} was edited after it was applied to this database; write a new migration instead`);
  }
}

export interface MigrationStatus {
  applied: number;
  pending: string[];
  /** Applied here but missing from this build (a newer build migrated the database). */
  unknown: string[];
}

/** For /readyz: are this build's migrations all applied? Reads only, never migrates. */
export async function migrationStatus(query: (sql: string) => Promise<{ name: string }[]>, files = migrationFiles()): Promise<MigrationStatus> {
  let applied: string[];
  try {
    applied = (await query(`SELECT name FROM "${TABLE}"`)).map((r) => r.name);
  } catch {
    applied = [];
  }
  const done = new Set(applied);
  const known = new Set(files.map((f) => f.name));
  return { applied: applied.length, pending: files.map((f) => f.name).filter((n) => !done.has(n)), unknown: applied.filter((n) => !known.has(n)) };
}
