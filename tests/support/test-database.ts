// A fresh database for one test file: a copy of the run's migrated template (global-setup.ts).
import crypto from "node:crypto";
import { inject } from "vitest";
import { clusterFromUrl } from "../../sandbox/postgres";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const { adminUrl, template } = inject("testDatabase");
  const cluster = clusterFromUrl(adminUrl);
  const name = `t_${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 30)}_${crypto.randomBytes(4).toString("hex")}`;
  const url = await cluster.createDatabase(name, template);
  return { url, name, drop: () => cluster.dropDatabase(name) };
}
