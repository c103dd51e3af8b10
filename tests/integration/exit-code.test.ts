// CI reads the test run's exit code. A library's exit hook once turned a failing run into exit 0
// (sandbox/postgres.ts); this runs vitest as CI does, with the same global setup, and reads it.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function runFixture(fixture: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, FIXTURE: fixture };
  delete env.DATABASE_URL; // the embedded cluster path: the one whose library installs exit hooks
  delete env.VITEST;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "tests/fixtures/exit-code/vitest.config.ts"], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 180_000,
  });
}

describe("the test run's exit code", () => {
  it("is non-zero when a test fails, and zero when all pass", () => {
    const failing = runFixture("fails.fixture.ts");
    expect(failing.stdout + failing.stderr).toContain("fails on purpose");
    expect(failing.status).toBe(1);
    const passing = runFixture("passes.fixture.ts");
    expect(passing.stdout + passing.stderr).toContain("1 passed");
    expect(passing.status).toBe(0);
  }, 360_000);
});
