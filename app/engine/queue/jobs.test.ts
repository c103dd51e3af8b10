// The claim against a real PostgreSQL database: two workers claiming at once never share a job, and
// an expired lease returns the job to the queue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { createTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { claimDueJobs, completeJob, enqueueJob, failJob } from "./jobs";

let db: Db;
let temp: TempDb;
const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));

beforeAll(async () => {
  temp = await createTempDb("queue");
  db = temp.db;
}, 60_000);
afterAll(() => temp.close());

describe("job queue", () => {
  beforeEach(async () => {
    await db.job.deleteMany();
  });

  it("schedules a key once", async () => {
    expect(await enqueueJob(db, { kind: "k", key: "once", runAt: clock.now() })).toBe(true);
    expect(await enqueueJob(db, { kind: "k", key: "once", runAt: clock.now() })).toBe(false);
    expect(await db.job.count({ where: { key: "once" } })).toBe(1);
  });

  it("never gives the same job to two workers claiming at the same time", async () => {
    for (let i = 0; i < 40; i++) await enqueueJob(db, { kind: "k", key: `j${i}`, runAt: clock.now() });
    const [a, b] = await Promise.all([
      claimDueJobs(db, clock, { workerId: "a", limit: 30, leaseMs: 60_000 }),
      claimDueJobs(db, clock, { workerId: "b", limit: 30, leaseMs: 60_000 }),
    ]);
    const ids = [...a, ...b].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });

  it("returns a job whose worker died to the queue after the lease, and retries failures with backoff", async () => {
    await enqueueJob(db, { kind: "k", key: "lease", runAt: clock.now() });
    const [first] = await claimDueJobs(db, clock, { workerId: "dead", limit: 1, leaseMs: 60_000 });
    expect(await claimDueJobs(db, clock, { workerId: "b", limit: 1, leaseMs: 60_000 })).toHaveLength(0);
    clock.advance(61_000);
    const [again] = await claimDueJobs(db, clock, { workerId: "b", limit: 1, leaseMs: 60_000 });
    expect(again.id).toBe(first.id);
    expect(again.attempts).toBe(2);

    await failJob(db, clock, again, new Error("smtp 421"));
    const failed = await db.job.findUniqueOrThrow({ where: { id: again.id } });
    expect(failed).toMatchObject({ status: "pending", lastError: "smtp 421" });
    expect(failed.runAt.getTime()).toBe(clock.now().getTime() + 60_000);

    // The dead worker's late completion must not overwrite the new owner's state.
    await completeJob(db, clock, first);
    expect((await db.job.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("pending");
  });
});
