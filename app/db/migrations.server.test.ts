// The migration runner against a real, empty PostgreSQL database: each migration applied once and
// recorded with it, two deployers at once, a failing migration leaving nothing behind, and an
// applied migration edited afterwards stopping the deploy.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { clusterFromUrl } from "../../sandbox/postgres";
import { migrate, migrationFiles, migrationStatus } from "./migrations.server";

const cluster = () => clusterFromUrl(inject("testDatabase").adminUrl);
const created: string[] = [];
let dir: string;

async function blankDatabase(): Promise<string> {
  const name = `t_migrations_${crypto.randomBytes(4).toString("hex")}`;
  created.push(name);
  return cluster().createDatabase(name);
}
function writeMigration(name: string, sql: string) {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
}
async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "trustloop-migrations-"));
  writeMigration("20260101000000_first", `CREATE TABLE "Thing" (id int PRIMARY KEY);`);
  writeMigration("20260102000000_second", `INSERT INTO "Thing" (id) VALUES (1);`);
});
afterAll(async () => {
  for (const name of created) await cluster().dropDatabase(name);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("migrate", () => {
  it("applies each migration once, in order, and records it with its checksum", async () => {
    const url = await blankDatabase();
    expect(await migrate(url, { dir })).toEqual(["20260101000000_first", "20260102000000_second"]);
    expect(await migrate(url, { dir })).toEqual([]);
    expect(await query(url, `SELECT id FROM "Thing"`)).toEqual([{ id: 1 }]);
    const recorded = await query<{ name: string; checksum: string }>(url, `SELECT name, checksum FROM "_trustloop_migrations" ORDER BY name`);
    expect(recorded).toEqual(migrationFiles(dir).map((f) => ({ name: f.name, checksum: f.checksum })));
    const status = await migrationStatus((sql) => query(url, sql), migrationFiles(dir));
    expect(status).toEqual({ applied: 2, pending: [], unknown: [] });
  });

  it("lets two deployers run at once: every migration is applied by one of them, once", async () => {
    const url = await blankDatabase();
    const [a, b] = await Promise.all([migrate(url, { dir }), migrate(url, { dir })]);
    expect([...a, ...b].sort()).toEqual(["20260101000000_first", "20260102000000_second"]);
    expect(await query(url, `SELECT id FROM "Thing"`)).toEqual([{ id: 1 }]); // the insert ran once
  });

  it("rolls a failing migration back whole and records nothing of it", async () => {
    const url = await blankDatabase();
    await migrate(url, { dir });
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), "trustloop-migrations-broken-"));
    fs.cpSync(dir, broken, { recursive: true });
    fs.mkdirSync(path.join(broken, "20260103000000_broken"));
    fs.writeFileSync(path.join(broken, "20260103000000_broken", "migration.sql"), `CREATE TABLE "Half" (id int); SELECT no_such_function();`);
    await expect(migrate(url, { dir: broken })).rejects.toThrow(/no_such_function/);
    expect(await query(url, `SELECT to_regclass('"Half"') IS NULL AS gone`)).toEqual([{ gone: true }]);
    expect((await migrationStatus((sql) => query(url, sql), migrationFiles(broken))).pending).toEqual(["20260103000000_broken"]);
    fs.rmSync(broken, { recursive: true, force: true });
  });

  it("stops the deploy when an applied migration was edited afterwards", async () => {
    const url = await blankDatabase();
    await migrate(url, { dir });
    const edited = fs.mkdtempSync(path.join(os.tmpdir(), "trustloop-migrations-edited-"));
    fs.cpSync(dir, edited, { recursive: true });
    fs.writeFileSync(path.join(edited, "20260101000000_first", "migration.sql"), `CREATE TABLE "Thing" (id bigint PRIMARY KEY);`);
    await expect(migrate(url, { dir: edited })).rejects.toThrow(/20260101000000_first was edited after it was applied/);
    fs.rmSync(edited, { recursive: true, force: true });
  });
});
