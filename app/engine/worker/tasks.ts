// What the worker runs: graphile-worker tasks over the engine (decision 027). One-off work is a
// recorded Job ("job_run"), each message due to go out has its own "message_send" job (added by
// the database when the message is planned or re-planned), and the sweeps run from the queue's
// cron, once per minute across all workers. Every task is safe to run twice.
import type { PrismaClient } from "@prisma/client";
import type { TaskList } from "graphile-worker";
import { z } from "zod";
import type { Clock } from "../clock";
import { rebuildDirtyDays } from "../dashboard/rollups";
import { detectDelays } from "../delays/detect";
import { sweepAnniversaries } from "../journeys/occasions";
import { approveDuePoints } from "../loyalty/ledger";
import { markAbandonedSends } from "../messages/claim";
import type { DispatchDeps } from "../messages/dispatch";
import { sendBatcher } from "../messages/send-batch";
import { runJob, type JobDeps, type JobHandler } from "../queue/jobs";
import { addQueueJob, TASKS } from "../queue/queue";
import { enqueueReconciliation } from "../reconcile";
import { applyJobKey, applyWebhooks, lanesWithDueWebhooks } from "../webhooks/inbox";
import { recoverDeadWorkers } from "./liveness";

type Log = JobDeps["log"];

export interface WorkerContext {
  db: PrismaClient;
  /** The clock for one task (the sandbox's shared offset is re-read each time). */
  clock: () => Promise<Clock>;
  log: Log;
  workerId: string;
  handlers: Record<string, JobHandler>;
  dispatch: (clock: Clock) => DispatchDeps;
  /** At most this many send jobs are handled together (the worker's concurrency). */
  sendBatch: number;
  /** Data retention: purges what is past its keeping time; returns rows removed. */
  retention: (clock: Clock) => Promise<number>;
}

/** The dashboard's rollups are rebuilt this soon after a change. */
export const ROLLUPS_EVERY_MS = 2_000;

/**
 * The queue's cron: each line runs once per minute (or hour) across all workers. The rollups job
 * re-adds itself every few seconds; its line only recreates it should the chain ever break.
 */
export const CRONTAB = [
  `* * * * * ${TASKS.sweepDelays} ?jobKey=${TASKS.sweepDelays}`,
  `* * * * * ${TASKS.sweepReconcile} ?jobKey=${TASKS.sweepReconcile}`,
  `* * * * * ${TASKS.sweepPoints} ?jobKey=${TASKS.sweepPoints}`,
  `* * * * * ${TASKS.sweepSends} ?jobKey=${TASKS.sweepSends}`,
  `17 * * * * ${TASKS.sweepRetention} ?jobKey=${TASKS.sweepRetention}`,
  `* * * * * ${TASKS.sweepWebhooks} ?jobKey=${TASKS.sweepWebhooks}`,
  `41 * * * * ${TASKS.sweepJourneys} ?jobKey=${TASKS.sweepJourneys}`,
  `* * * * * ${TASKS.rollups} ?jobKey=${TASKS.rollups}&jobKeyMode=preserve_run_at`,
].join("\n");

/** Sweeps to run at once when the sandbox's clock jumps (as if the time had passed). */
export const CLOCK_JUMP_SWEEPS = [
  TASKS.sweepDelays,
  TASKS.sweepReconcile,
  TASKS.sweepPoints,
  TASKS.sweepSends,
  TASKS.sweepRetention,
  TASKS.sweepWebhooks,
  TASKS.sweepJourneys,
] as const;

const jobPayload = z.object({ jobId: z.string() });
const sendPayload = z.object({ messageId: z.string() });
// Jobs added before lanes existed have no lane: they apply every lane of the shop.
const applyPayload = z.object({ shopDomain: z.string(), lane: z.number().int().optional() });

const APPLY_LOOK_AGAIN_MS = 1_000;
const wakeApplier = (db: PrismaClient, shopDomain: string, lane: number, runAt?: Date) =>
  addQueueJob(db, {
    task: TASKS.applyWebhooks,
    payload: { shopDomain, lane },
    key: applyJobKey(shopDomain, lane),
    queue: applyJobKey(shopDomain, lane),
    mode: "preserve_run_at",
    runAt,
  });

/** Runs `pass` until it does less than a full batch (a backlog is cleared in one sweep). */
async function drain(pass: () => Promise<number>, batch: number, maxPasses = 100) {
  let total = 0;
  for (let i = 0; i < maxPasses; i++) {
    const n = await pass();
    total += n;
    if (n < batch) break;
  }
  return total;
}

export function taskList(ctx: WorkerContext): TaskList {
  const { db, log, workerId } = ctx;
  const send = sendBatcher({ deps: ctx.dispatch, clock: ctx.clock, maxBatch: ctx.sendBatch });
  return {
    [TASKS.runJob]: async (payload, helpers) => {
      const { jobId } = jobPayload.parse(payload);
      const clock = await ctx.clock();
      await runJob({ db, clock, log, workerId, signal: helpers.abortSignal }, ctx.handlers, jobId, {
        attempts: helpers.job.attempts,
        maxAttempts: helpers.job.max_attempts,
      });
    },
    [TASKS.sendMessage]: async (payload) => {
      const { messageId } = sendPayload.parse(payload);
      await send(messageId);
    },
    [TASKS.applyWebhooks]: async (payload, helpers) => {
      const { shopDomain, lane } = applyPayload.parse(payload);
      const clock = await ctx.clock();
      const { settled, more } = await applyWebhooks({ db, clock, log }, shopDomain, { signal: helpers.abortSignal, lane });
      if (lane === undefined) return;
      // More waiting: go on. Some applied: look once more a second later, for a delivery whose
      // route saw this job waiting and committed after its last look (inbox.ts).
      if (more) await wakeApplier(db, shopDomain, lane);
      else if (settled > 0) await wakeApplier(db, shopDomain, lane, new Date(clock.now().getTime() + APPLY_LOOK_AGAIN_MS));
    },
    [TASKS.rollups]: async () => {
      const clock = await ctx.clock();
      await drain(() => rebuildDirtyDays(db), 50);
      await addQueueJob(db, { task: TASKS.rollups, key: TASKS.rollups, runAt: new Date(clock.now().getTime() + ROLLUPS_EVERY_MS) });
    },
    [TASKS.sweepDelays]: async () => void (await detectDelays(db, await ctx.clock())),
    [TASKS.sweepReconcile]: async () => void (await enqueueReconciliation(db, await ctx.clock())),
    [TASKS.sweepPoints]: async () => {
      const clock = await ctx.clock();
      await drain(() => approveDuePoints(db, clock, 100), 100);
    },
    [TASKS.sweepSends]: async () => {
      const clock = await ctx.clock();
      await recoverDeadWorkers(db, clock, log);
      const unknown = await markAbandonedSends(db, clock);
      if (unknown) log({ msg: "sends abandoned by a stopped worker marked unknown", count: unknown });
    },
    [TASKS.sweepRetention]: async () => void (await ctx.retention(await ctx.clock())),
    [TASKS.sweepJourneys]: async () => {
      const planned = await sweepAnniversaries(db, await ctx.clock());
      if (planned) log({ msg: "anniversary journey steps planned", count: planned });
    },
    // Deliveries whose retry time came (or whose apply job was lost with a worker) get a job again.
    [TASKS.sweepWebhooks]: async () => {
      for (const { shopDomain, lane } of await lanesWithDueWebhooks(db, (await ctx.clock()).now())) await wakeApplier(db, shopDomain, lane);
    },
  };
}
