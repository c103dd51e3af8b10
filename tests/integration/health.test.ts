// GET /healthz (the process answers) and GET /readyz (the database answers and is migrated),
// through the real server.
import { describe, expect, it } from "vitest";
import { migrationFiles } from "../../app/db/migrations.server";
import type { Stack } from "../support/stack";
import { refuseConnections } from "../support/refuse-connections";
import { useStack } from "../support/use-stack";

let stack: Stack;

useStack({}, (started) => void (stack = started));

const readyz = async () => {
  const response = await fetch(`${stack.appUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, cache: response.headers.get("cache-control") };
};

describe("health endpoints", () => {
  it("/healthz answers while the process runs", async () => {
    const response = await fetch(`${stack.appUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
  });

  it("/readyz is ready on a migrated database", async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: "ready" }, cache: "no-store" });
  });

  it("/readyz is unavailable while a migration is pending, and names it; it applies nothing", async () => {
    const [latest] = migrationFiles().slice(-1);
    const row = await stack.db.$queryRaw<
      { name: string; checksum: string; applied_at: Date }[]
    >`SELECT name, checksum, applied_at FROM "_trustloop_migrations" WHERE name = ${latest.name}`;
    expect(row).toHaveLength(1);
    await stack.db.$executeRaw`DELETE FROM "_trustloop_migrations" WHERE name = ${latest.name}`;
    try {
      const answer = await readyz();
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ status: "unavailable", failed: "migrations", reason: expect.stringContaining("pending"), pending: [latest.name] });
      // Reading the status changed nothing: the record is still missing.
      expect(await stack.db.$queryRaw`SELECT name FROM "_trustloop_migrations" WHERE name = ${latest.name}`).toEqual([]);
    } finally {
      await stack.db
        .$executeRaw`INSERT INTO "_trustloop_migrations" (name, checksum, applied_at) VALUES (${row[0].name}, ${row[0].checksum}, ${row[0].applied_at})`;
    }
    expect((await readyz()).status).toBe(200);
  });

  it("/readyz is unavailable while the database refuses connections, without naming it; ready again after", async (context) => {
    const name = new URL(stack.databaseUrl).pathname.slice(1);
    const refuse = (refused: boolean) => refuseConnections(stack.databaseUrl, refused);
    try {
      await refuse(true);
    } catch (error) {
      context.skip(`cannot make the database refuse connections with this role: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const answer = await readyz();
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ status: "unavailable", failed: "database", reason: expect.any(String) });
      const text = JSON.stringify(answer.body);
      for (const secret of [name, new URL(stack.databaseUrl).password, new URL(stack.databaseUrl).port, "postgres://"]) expect(text).not.toContain(secret);
      expect((await fetch(`${stack.appUrl}/healthz`)).status).toBe(200);
    } finally {
      await refuse(false);
    }
    await expect.poll(async () => (await readyz()).status, { timeout: 10_000 }).toBe(200);
  });
});
