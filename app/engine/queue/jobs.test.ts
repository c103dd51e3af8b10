// The job record and the queue against a real PostgreSQL database (with graphile-worker's schema):
// a job asked for twice exists once, with one queue job added in the same transaction; running it
// records the outcome; the database queues a send job whenever a message's send time is set.
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { cancelPendingJobs, enqueueJob, purgeFinishedJobs, runJob, type JobDeps } from "./jobs";
import { addQueueJob, shiftQueuedJobs, TASKS } from "./queue";

let db: Db;
const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));

useTempDb("queue", (created) => {
  db = created.db;
});

interface QueueRow {
  task_identifier: string;
  key: string | null;
  run_at: Date;
  payload: Record<string, unknown>;
  priority: number;
  max_attempts: number;
}
// The payload is only in the queue's private table (the public view leaves it out).
const queued = (key: string) =>
  db.$queryRaw<QueueRow[]>`SELECT t.identifier AS task_identifier, j.key, j.run_at, j.payload, j.priority, j.max_attempts
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.key = ${key}`;
const deps = (): JobDeps => ({ db, clock, log: () => {}, workerId: "test" });

describe("the job record", () => {
  beforeEach(async () => {
    await db.job.deleteMany();
    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
  });

  it("a kind+key asked for twice (even at once) is one job with one queue job at its time", async () => {
    const runAt = new Date(Date.now() + 3_600_000);
    const results = await Promise.all([1, 2, 3].map(() => db.$transaction((tx) => enqueueJob(tx, { kind: "k", key: "once", runAt }))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const job = await db.job.findFirstOrThrow({ where: { key: "once" } });
    const [row] = await queued(`job:${job.id}`);
    expect(row).toMatchObject({ task_identifier: TASKS.runJob, payload: { jobId: job.id }, max_attempts: 8 });
    expect(row.run_at.getTime()).toBe(runAt.getTime());
  });

  it("rolls back with the transaction that asked for it", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await enqueueJob(tx, { kind: "k", key: "rolled-back", runAt: clock.now() });
        throw new Error("the ledger change failed");
      }),
    ).rejects.toThrow("the ledger change failed");
    expect(await db.job.count({ where: { key: "rolled-back" } })).toBe(0);
    expect(await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs`).toEqual([{ n: 0n }]);
  });

  it("running records done; a failure is retried by the queue until the last attempt marks it failed", async () => {
    await enqueueJob(db, { kind: "ok", key: "a", runAt: clock.now() });
    await enqueueJob(db, { kind: "flaky", key: "b", runAt: clock.now() });
    const [a, b] = await Promise.all(["a", "b"].map((key) => db.job.findFirstOrThrow({ where: { key } })));
    const handlers = { ok: async () => {}, flaky: async () => Promise.reject(new Error("Admin API 502")) };
    await runJob(deps(), handlers, a.id, { attempts: 1, maxAttempts: 8 });
    expect(await db.job.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ status: "done", attempts: 1 });

    await expect(runJob(deps(), handlers, b.id, { attempts: 1, maxAttempts: 8 })).rejects.toThrow("Admin API 502");
    expect(await db.job.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "pending", attempts: 1, lastError: "Admin API 502" });
    await runJob(deps(), handlers, b.id, { attempts: 8, maxAttempts: 8 }); // the last: no retry left, recorded
    expect(await db.job.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "failed", attempts: 8, lastError: "Admin API 502" });
  });

  it("a cancelled job is not run; an unknown kind fails at once, visibly", async () => {
    const shop = await makeShop(db);
    await enqueueJob(db, { kind: "ok", key: "c", shopId: shop.id, runAt: clock.now() });
    await enqueueJob(db, { kind: "gone", key: "d", runAt: clock.now() });
    expect(await cancelPendingJobs(db, { shopId: shop.id }, "shop uninstalled", clock)).toBe(1);
    let ran = 0;
    const c = await db.job.findFirstOrThrow({ where: { key: "c" } });
    await runJob(deps(), { ok: async () => void ran++ }, c.id, { attempts: 1, maxAttempts: 8 });
    expect(ran).toBe(0);
    expect((await db.job.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("cancelled");
    const d = await db.job.findFirstOrThrow({ where: { key: "d" } });
    await runJob(deps(), {}, d.id, { attempts: 1, maxAttempts: 8 });
    expect(await db.job.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ status: "failed", lastError: "no handler for job kind gone" });
  });

  it("finished records are deleted after 30 days; pending and recent ones stay", async () => {
    const day = 86_400_000;
    const at = (days: number) => new Date(clock.now().getTime() - days * day);
    await db.job.createMany({
      data: [
        { kind: "k", key: "old-done", status: "done", runAt: at(40), finishedAt: at(31) },
        { kind: "k", key: "old-failed", status: "failed", runAt: at(40), finishedAt: at(35) },
        { kind: "k", key: "recent-done", status: "done", runAt: at(10), finishedAt: at(9) },
        { kind: "k", key: "old-pending", status: "pending", runAt: at(40) },
      ],
    });
    expect(await purgeFinishedJobs(db, clock)).toBe(2);
    expect((await db.job.findMany({ orderBy: { key: "asc" } })).map((j) => j.key)).toEqual(["old-pending", "recent-done"]);
  });
});

describe("the queue's clock and the message trigger", () => {
  beforeEach(async () => {
    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await db.appState.deleteMany({ where: { key: "sandbox.clockOffsetMs" } });
  });

  it("times on a moved sandbox clock become the queue's real time; moving it again brings waiting jobs nearer", async () => {
    const inOneDay = new Date(Date.now() + 86_400_000);
    await db.appState.create({ data: { key: "sandbox.clockOffsetMs", value: String(3_600_000) } });
    await addQueueJob(db, { task: TASKS.sweepDelays, key: "t1", runAt: inOneDay });
    expect((await queued("t1"))[0].run_at.getTime()).toBe(inOneDay.getTime() - 3_600_000);
    expect(await shiftQueuedJobs(db, 600_000)).toBe(1);
    expect((await queued("t1"))[0].run_at.getTime()).toBe(inOneDay.getTime() - 3_600_000 - 600_000);
  });

  it("planning a message queues its send job at its send time; re-planning moves it; a sent message adds none", async () => {
    const shop = await makeShop(db);
    const flow = await makeFlow(db, shop, { key: "shipping_delay", trigger: "delivered" });
    const at = new Date("2026-12-01T08:00:00Z");
    const message = await db.message.create({
      data: {
        shopId: shop.id,
        flowId: flow.id,
        dedupeKey: "trigger-1",
        category: "service",
        status: "scheduled",
        anchor: "delay_detected",
        anchorAt: at,
        dueAt: at,
        sendAt: at,
        rfcMessageId: "trigger-1",
      },
    });
    const [row] = await queued(`send:${message.id}`);
    expect(row).toMatchObject({ task_identifier: TASKS.sendMessage, payload: { messageId: message.id }, priority: 0 });
    expect(row.run_at.getTime()).toBe(at.getTime());

    const later = new Date("2026-12-01T09:30:00Z");
    await db.message.update({ where: { id: message.id }, data: { status: "deferred", sendAt: later } });
    const moved = await queued(`send:${message.id}`);
    expect(moved).toHaveLength(1);
    expect(moved[0].run_at.getTime()).toBe(later.getTime());

    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await db.message.update({ where: { id: message.id }, data: { status: "sent", sendAt: new Date("2026-12-02T00:00:00Z") } });
    expect(await queued(`send:${message.id}`)).toHaveLength(0);
  });
});
