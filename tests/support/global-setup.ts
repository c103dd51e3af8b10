// Runs once per test project before its files: one PostgreSQL cluster for the whole run (embedded,
// or the server DATABASE_URL names) holding a migrated template database that every test file
// copies (tests/support/test-database.ts), and — for projects that start the real server — a
// production build of the app.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "../../app/db/migrations.server";
import { clusterFromUrl, startEmbeddedPostgres, type Cluster } from "../../sandbox/postgres";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");
const TEMPLATE = `trustloop_template_${process.pid}`;

interface Shared {
  cluster: Cluster;
  users: number;
  stop(): Promise<void>;
}

declare global {
  // Projects run their global setups in the same process: they share one cluster.
  var __trustloopTestCluster: Promise<Shared> | undefined;
}

async function startShared(): Promise<Shared> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const external = process.env.DATABASE_URL;
  const dataDir = path.join(ARTIFACTS, `postgres-${process.pid}`);
  const cluster = external ? clusterFromUrl(external) : await startEmbeddedPostgres({ dataDir });
  await migrate(await cluster.createDatabase(TEMPLATE));
  return {
    cluster,
    users: 0,
    async stop() {
      await cluster.dropDatabase(TEMPLATE).catch(() => {});
      if (!external) {
        await cluster.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export default async function setup(project: TestProject) {
  const shared = await (globalThis.__trustloopTestCluster ??= startShared());
  shared.users++;
  project.provide("testDatabase", { adminUrl: shared.cluster.url("postgres"), template: TEMPLATE });
  if (project.name !== "unit" && !fs.existsSync(path.join(ROOT, "build/server/index.js"))) {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { cwd: ROOT, stdio: "pipe" });
  }
  return async () => {
    if (--shared.users > 0) return;
    globalThis.__trustloopTestCluster = undefined;
    await shared.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { adminUrl: string; template: string };
  }
}
