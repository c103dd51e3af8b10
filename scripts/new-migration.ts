// `npm run db:migration -- <name>`: writes the SQL that takes the committed schema (HEAD) to the
// working copy's schema. See docs/decisions/001-prisma-offline.md for why not `migrate dev`.
// Prisma's schema engine needs a PostgreSQL server to diff against: a throwaway embedded one.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../sandbox/postgres";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_");
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(1);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trustloop-migration-"));
const previous = path.join(tmp, "previous.prisma");
let from: string[];
try {
  fs.writeFileSync(previous, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"]));
  from = ["--from-schema-datamodel", previous];
} catch {
  from = ["--from-empty"];
}
const cluster = await startEmbeddedPostgres({ dataDir: path.join(tmp, "postgres") });
let sql: string;
try {
  sql = execFileSync(
    process.execPath,
    ["node_modules/prisma/build/index.js", "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { env: { ...process.env, DATABASE_URL: cluster.url("postgres") } },
  ).toString();
} finally {
  await cluster.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (!/CREATE|ALTER|DROP/i.test(sql)) {
  console.log("schema.prisma has no changes against HEAD: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma/migrations", `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${dir}/migration.sql`);
