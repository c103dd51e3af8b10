// The worker loop: heartbeat, claim due jobs in batches, run them, repeat until told to stop.
// Later issues add job kinds (message sends, delay detection, reconciliation) to the handler map.
import type { Job, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { claimDueJobs, completeJob, failJob } from "../queue/jobs";

export type JobHandler = (job: Job, deps: WorkerDeps) => Promise<void>;

export interface WorkerDeps {
  db: PrismaClient;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  log: (event: { msg: string } & Record<string, unknown>) => void;
  workerId: string;
  hostname: string;
  pid: number;
  /** Periodic work besides jobs (message dispatch…); each returns how much it did. */
  tasks?: Array<() => Promise<number>>;
  /** Called before each tick (the sandbox refreshes its shared clock offset here). */
  beforeTick?: () => Promise<void>;
  pollMs?: number;
  heartbeatMs?: number;
  batchSize?: number;
  leaseMs?: number;
}

/** One pass: claim a batch of due jobs and run each. Returns how many ran. */
export async function tick(deps: WorkerDeps): Promise<number> {
  const jobs = await claimDueJobs(deps.db, deps.clock, {
    workerId: deps.workerId,
    limit: deps.batchSize ?? 20,
    leaseMs: deps.leaseMs ?? 60_000,
  });
  for (const job of jobs) {
    const handler = deps.handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job, deps);
      await completeJob(deps.db, deps.clock, job);
      deps.log({ msg: "job done", kind: job.kind, jobId: job.id });
    } catch (error) {
      await failJob(deps.db, deps.clock, job, error);
      deps.log({ msg: "job failed", level: "error", kind: job.kind, jobId: job.id, attempt: job.attempts, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return jobs.length;
}

export async function heartbeat(deps: WorkerDeps, startedAt: Date, stopped = false) {
  const now = deps.clock.now();
  await deps.db.workerHeartbeat.upsert({
    where: { id: deps.workerId },
    create: { id: deps.workerId, hostname: deps.hostname, pid: deps.pid, startedAt, beatAt: now },
    update: { beatAt: now, ...(stopped ? { stoppedAt: now } : {}) },
  });
}

/**
 * Runs until the signal aborts; the work in progress is finished first (graceful shutdown). Jobs
 * and the periodic tasks (message dispatch…) run in two loops side by side, so a long job (a
 * history import, a reconciliation waiting out the Admin API's cost bucket) never holds up sends.
 */
export async function runWorker(deps: WorkerDeps, signal: AbortSignal) {
  const startedAt = deps.clock.now();
  const heartbeatMs = deps.heartbeatMs ?? 5000;
  let lastBeat = 0;
  deps.log({ msg: "worker started", workerId: deps.workerId });
  const beat = async () => {
    if (Date.now() - lastBeat < heartbeatMs) return;
    lastBeat = Date.now();
    await heartbeat(deps, startedAt);
  };
  await Promise.all([
    loop(deps, signal, async () => {
      await deps.beforeTick?.();
      await beat();
      return tick(deps);
    }),
    loop(deps, signal, async () => {
      await deps.beforeTick?.();
      let ran = 0;
      for (const task of deps.tasks ?? []) ran += await task();
      return ran;
    }),
  ]);
  await heartbeat(deps, startedAt, true);
  deps.log({ msg: "worker stopped", workerId: deps.workerId });
}

async function loop(deps: WorkerDeps, signal: AbortSignal, pass: () => Promise<number>) {
  const pollMs = deps.pollMs ?? 1000;
  while (!signal.aborted) {
    try {
      if ((await pass()) > 0) continue; // more may be due: no pause
    } catch (error) {
      // A database hiccup must not kill the worker; it tries again after the pause.
      deps.log({ msg: "worker tick failed", level: "error", error: error instanceof Error ? error.message : String(error) });
    }
    await sleep(pollMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
