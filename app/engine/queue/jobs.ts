// The Job table is the record of the app's one-off background work: what was asked (kind +
// identity-derived key, so asking twice is a no-op), its status, attempts and last error, which
// the admin and the engine read (is a history import still running? what failed?). Running it is
// the queue's business: each Job row has one graphile-worker job ("job_run"), added in the same
// transaction, which claims, retries with backoff and survives crashes (decision 027).
import crypto from "node:crypto";
import type { Job, Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { addQueueJob, TASKS } from "./queue";

type Tx = Prisma.TransactionClient | PrismaClient;

export interface NewJob {
  kind: string;
  key: string;
  shopId?: string | null;
  payload?: unknown;
  runAt: Date;
}

export interface JobDeps {
  db: PrismaClient;
  clock: Clock;
  log: (event: { msg: string } & Record<string, unknown>) => void;
  workerId: string;
  /** Aborted when the worker shuts down: long jobs stop at a safe point (and continue in a new job). */
  signal?: AbortSignal;
}

/** Runs one job; `job.attempts` is the attempt in progress (1 on the first). Throwing asks for a retry. */
export type JobHandler = (job: Job, deps: JobDeps) => Promise<void>;

/** Tries before a job is marked failed; the queue backs off exponentially in between. */
export const MAX_JOB_ATTEMPTS = 8;

/** Schedules a job; returns false when a job with that kind+key already exists (whatever its status). */
export async function enqueueJob(tx: Tx, job: NewJob): Promise<boolean> {
  const id = crypto.randomUUID();
  // ON CONFLICT DO NOTHING: two transactions asking at once cannot fail on the unique key.
  const { count } = await tx.job.createMany({
    data: [{ id, kind: job.kind, key: job.key, shopId: job.shopId ?? null, payload: (job.payload ?? {}) as Prisma.InputJsonValue, runAt: job.runAt }],
    skipDuplicates: true,
  });
  if (count === 0) return false;
  await addQueueJob(tx, { task: TASKS.runJob, payload: { jobId: id }, key: `job:${id}`, runAt: job.runAt, maxAttempts: MAX_JOB_ATTEMPTS });
  return true;
}

const FINISHED = new Set(["done", "failed", "cancelled"]);

/**
 * The queue's "job_run" task: runs the recorded job with its handler and records the outcome.
 * A cancelled or finished job is left alone (an uninstall cancels a shop's pending jobs).
 */
export async function runJob(deps: JobDeps, handlers: Record<string, JobHandler>, jobId: string, attempt: { attempts: number; maxAttempts: number }) {
  const { db, clock } = deps;
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job || FINISHED.has(job.status)) return;
  const handler = handlers[job.kind];
  if (!handler) {
    await db.job.updateMany({
      where: { id: job.id, status: { in: ["pending", "running"] } },
      data: { status: "failed", lastError: `no handler for job kind ${job.kind}`, finishedAt: clock.now() },
    });
    deps.log({ msg: "job failed", level: "error", kind: job.kind, jobId: job.id, error: "no handler" });
    return;
  }
  const running = await db.job.update({ where: { id: job.id }, data: { status: "running", attempts: attempt.attempts } });
  try {
    await handler(running, deps);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const giveUp = attempt.attempts >= attempt.maxAttempts;
    await db.job.updateMany({
      where: { id: job.id, status: "running" },
      data: giveUp ? { status: "failed", lastError: message, finishedAt: clock.now() } : { status: "pending", lastError: message },
    });
    deps.log({
      msg: giveUp ? "job failed" : "job will retry",
      level: "error",
      kind: job.kind,
      jobId: job.id,
      attempt: attempt.attempts,
      error: message.slice(0, 300),
    });
    if (!giveUp) throw error; // the queue retries it with backoff
    return;
  }
  await db.job.updateMany({ where: { id: job.id, status: "running" }, data: { status: "done", finishedAt: clock.now() } });
  deps.log({ msg: "job done", kind: job.kind, jobId: job.id });
}

export async function cancelPendingJobs(tx: Tx, where: { shopId: string; kind?: string }, reason: string, clock: Clock) {
  const { count } = await tx.job.updateMany({
    where: { ...where, status: "pending" },
    data: { status: "cancelled", cancelReason: reason, finishedAt: clock.now() },
  });
  return count;
}

/** Finished job records are kept this long (what ran and why it failed), then deleted. */
export const FINISHED_JOB_RETENTION_DAYS = 30;

export async function purgeFinishedJobs(db: Tx, clock: Clock): Promise<number> {
  const before = new Date(clock.now().getTime() - FINISHED_JOB_RETENTION_DAYS * 86_400_000);
  const { count } = await db.job.deleteMany({ where: { status: { in: ["done", "failed", "cancelled"] }, finishedAt: { lt: before } } });
  return count;
}
