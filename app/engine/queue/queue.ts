// Adding work to graphile-worker's queue from any transaction of ours (decision 027): the job
// commits or rolls back with the ledger change that caused it. Times are on the app's clock and
// converted to the queue's real time in SQL (trustloop_queue_time: the sandbox's clock offset).
import type { Prisma, PrismaClient } from "@prisma/client";

type Tx = Prisma.TransactionClient | PrismaClient;

/** Every task the worker runs. */
export const TASKS = {
  runJob: "job_run",
  sendMessage: "message_send",
  applyWebhooks: "webhooks_apply",
  rollups: "dashboard_rollups",
  sweepDelays: "sweep_delays",
  sweepReconcile: "sweep_reconcile",
  sweepPoints: "sweep_points",
  sweepSends: "sweep_sends",
  sweepRetention: "sweep_retention",
  sweepWebhooks: "sweep_webhooks",
  sweepJourneys: "sweep_journeys",
} as const;
export type TaskName = (typeof TASKS)[keyof typeof TASKS];

export interface QueueJob {
  task: TaskName;
  payload?: Record<string, unknown>;
  /** At most one job per key: adding again replaces it (or keeps its time, with preserve_run_at). */
  key?: string;
  mode?: "replace" | "preserve_run_at";
  /** On the app's clock; default now. */
  runAt?: Date | null;
  maxAttempts?: number;
  /** A named queue: its jobs run one at a time, across all workers. */
  queue?: string;
}

export async function addQueueJob(tx: Tx, job: QueueJob) {
  await tx.$executeRaw`SELECT (graphile_worker.add_job(
    ${job.task},
    ${JSON.stringify(job.payload ?? {})}::json,
    queue_name => ${job.queue ?? null}::text,
    run_at => trustloop_queue_time(${job.runAt ?? null}::timestamptz),
    job_key => ${job.key ?? null}::text,
    job_key_mode => ${job.mode ?? "replace"}::text,
    max_attempts => ${job.maxAttempts ?? null}::int
  )).id`;
}

/**
 * The sandbox moved its clock forward by `deltaMs`: every waiting job comes that much nearer, as
 * if that time had passed. Jobs being run, and jobs already due, are left alone. One set-based
 * statement on the queue's job table (sandbox only; its public reschedule function goes job by job,
 * too slow for a clock that moves every second).
 */
export async function shiftQueuedJobs(tx: Tx, deltaMs: number): Promise<number> {
  return tx.$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = run_at - make_interval(secs => ${deltaMs / 1000}::double precision)
    WHERE locked_at IS NULL AND run_at > now()`;
}

/**
 * SQL (an expression: the new job's id, or null) that adds a keyed job unless one with that key
 * is already waiting, i.e. not yet picked up. A look, not an upsert: upserting the one keyed row
 * locks it until the caller's commit, so every caller adding the same key would wait for the
 * previous one's commit (decision 030). It reads the queue's private table (pinned version, as
 * shiftQueuedJobs does) and takes no lock. The cost is a race the caller must cover: the waiting
 * job may be picked up between this look and the caller's commit, and finish before that commit
 * is visible to it. `task`, `payload` (json) and `key` are SQL expressions, typically parameters.
 */
export function addJobUnlessWaitingSql(sql: { task: string; payload: string; key: string; queue?: string }): string {
  const queue = sql.queue ? `queue_name => ${sql.queue}::text, ` : "";
  return `CASE WHEN NOT EXISTS (SELECT 1 FROM graphile_worker._private_jobs WHERE key = ${sql.key}::text AND locked_at IS NULL)
    THEN (graphile_worker.add_job(${sql.task}::text, ${sql.payload}::json, ${queue}job_key => ${sql.key}::text, job_key_mode => 'preserve_run_at')).id END`;
}
