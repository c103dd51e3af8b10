// The short form of the fault suite (tests/support/fault-suite.ts; the full run is `npm run faults`):
// 100 orders through two web servers and two workers on one PostgreSQL, every webhook delivered
// again (same id, other server) and re-sent (new id), one worker killed with SIGKILL while mail is
// going out, PostgreSQL restarted once, and 451 / 550 / a drop after DATA for fixed recipients.
// Every message must end exactly once: sent (received once), failed (with a reason) or unknown
// (received at most once) — no duplicates, no losses.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { faultClassOf, formatReport, restartablePostgres, runFaultSuite, shortForm, type FaultDatabase } from "../support/fault-suite";

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
let database: FaultDatabase | undefined;

afterAll(async () => {
  await database?.close();
});

describe("fault suite (short form)", () => {
  it(
    "under SIGKILLed workers, a PostgreSQL restart, duplicate webhooks and SMTP faults › no duplicate and no loss, and every fault really fired",
    { timeout: 240_000 },
    async () => {
      // Its own cluster, so that it can be restarted without disturbing the other test files. With
      // DATABASE_URL (an external server) the suite runs on the test run's database copy, without the restart.
      if (!process.env.DATABASE_URL) {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        database = await restartablePostgres({ dataDir: path.join(ARTIFACTS, `faults-${process.pid}`), name: "trustloop_faults", durable: false });
      }
      const options = {
        ...shortForm(database),
        log: process.env.TRUSTLOOP_TEST_LOGS || process.env.FAULTS_LOG ? (line: string) => console.log(line) : undefined,
      };
      const report = await runFaultSuite(options);
      const figures = formatReport(report);
      if (options.log) console.log(figures);

      expect(report.stalled, figures).toBeNull();
      expect(report.deadlinePassed, figures).toBe(false);
      expect(report.duplicates, figures).toEqual([]);
      expect(report.losses, figures).toEqual([]);
      expect(report.orders).toBe(options.orders);
      expect(report.webhooks.copiesAccepted, figures).toBe(report.webhooks.copies);
      // Stopped at the end with SIGTERM, each worker exits by itself (jobs waiting on the Admin API's
      // cost bucket end at the abort signal), before the SIGKILL that follows 30 s later.
      for (const stop of report.workerStops) expect([0, 1], figures).toContain(stop.code);

      // The faults really happened.
      expect(report.kills, figures).toEqual({ requested: 1, confirmed: 1, workerRestarts: 1 });
      if (database) expect(report.postgres.restarts, figures).toBe(1);
      const perClass = (cls: string) => Array.from({ length: options.orders }, (_, i) => i + 1).filter((n) => faultClassOf(n) === cls).length;
      const unknownIn = (cls: keyof typeof report.byClass) => report.byClass[cls].unknown ?? 0;
      // A fault does not fire only when its message's send was cut short by the kill or the restart (unknown).
      expect(report.faultsFired.reject, figures).toBeGreaterThanOrEqual(report.faultsInjected.reject - unknownIn("550"));
      expect(report.faultsFired.tempfail, figures).toBeGreaterThanOrEqual(report.faultsInjected.tempfail - 2 * unknownIn("451 twice"));
      expect(report.faultsFired["drop-after-data"], figures).toBeGreaterThanOrEqual(report.faultsInjected["drop-after-data"] - unknownIn("drop after DATA"));
      expect(report.faultsFired.reject + report.faultsFired.tempfail + report.faultsFired["drop-after-data"], figures).toBeGreaterThan(0);

      // And each led to its honest outcome: 550 → failed, 451 → sent after retrying, drop after DATA →
      // unknown (the catcher has the mail; the worker cannot know), never sent twice.
      expect(report.byClass["550"].failed ?? 0, figures).toBe(perClass("550") - unknownIn("550"));
      expect(report.byClass["451 twice"].sent ?? 0, figures).toBe(perClass("451 twice") - unknownIn("451 twice"));
      expect(report.byClass["drop after DATA"], figures).toEqual({ unknown: perClass("drop after DATA") });
      expect(report.byClass.none.sent ?? 0, figures).toBeGreaterThan(perClass("none") / 2);
    },
  );
});
