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

/** Runs until the signal aborts; the batch in progress is finished first (graceful shutdown). */
export async function runWorker(deps: WorkerDeps, signal: AbortSignal) {
  const startedAt = deps.clock.now();
  const pollMs = deps.pollMs ?? 1000;
  const heartbeatMs = deps.heartbeatMs ?? 5000;
  let lastBeat = 0;
  deps.log({ msg: "worker started", workerId: deps.workerId });
  while (!signal.aborted) {
    try {
      await deps.beforeTick?.();
      if (Date.now() - lastBeat >= heartbeatMs) {
        await heartbeat(deps, startedAt);
        lastBeat = Date.now();
      }
      let ran = await tick(deps);
      for (const task of deps.tasks ?? []) ran += await task();
      if (ran > 0) continue; // more may be due: no pause
    } catch (error) {
      // A database hiccup must not kill the worker; it tries again after the pause.
      deps.log({ msg: "worker tick failed", level: "error", error: error instanceof Error ? error.message : String(error) });
    }
    await sleep(pollMs, signal);
  }
  await heartbeat(deps, startedAt, true);
  deps.log({ msg: "worker stopped", workerId: deps.workerId });
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
