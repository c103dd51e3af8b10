// The background process: `npm run worker`. A graphile-worker pool over the shared database
// (decision 027): tasks in app/engine/worker/tasks.ts, the sweeps on the queue's cron.
import { EventEmitter } from "node:events";
import os from "node:os";
import { randomUUID } from "node:crypto";
import { Logger, run, type WorkerEvents } from "graphile-worker";
import { loadEnvOrExit } from "./env.server";
import { createDb, erasureJobHandlers, scheduleErasureRewrite } from "./db.server";
import { currentClock } from "./clock.server";
import { log } from "./log.server";
import { JOB_HANDLERS } from "./engine/worker/job-kinds";
import { CRONTAB, ROLLUPS_EVERY_MS, taskList } from "./engine/worker/tasks";
import { beat, BEAT_EVERY_MS, recoverDeadWorkers, type WorkerIdentity } from "./engine/worker/liveness";
import { watchIdle } from "./engine/worker/idle";
import { addQueueJob, TASKS } from "./engine/queue/queue";
import { purgeFinishedJobs } from "./engine/queue/jobs";
import type { DispatchDeps } from "./engine/messages/dispatch";
import type { Clock } from "./engine/clock";
import { mailerFromEnv } from "./mail.server";
import { renderEmail } from "./engine/email/render";
import { clickUrl, preferencesUrl, unsubscribeUrl } from "./engine/links/urls";
import { linkKeysOf } from "./links.server";
import { shopGraphql } from "./shopify/admin-client.server";
import { delayNotice } from "./engine/delays/notice";
import { npsSurvey } from "./engine/nps/survey";
import { npsJobHandlers } from "./engine/nps/notify-job";
import { loyaltyJobHandlers, pointsEarned } from "./engine/loyalty/rewards";
import { flowActionJobHandlers } from "./engine/flow/action-handlers";
import { reviewRequest } from "./engine/reviews/request";
import { reviewJobHandlers } from "./engine/reviews/ratings";
import { flowTriggerJobHandlers } from "./engine/flow/send-trigger";
import { reconcileJobHandler, RECONCILE_JOB_KIND } from "./engine/reconcile";
import { shopGraphqlRaw } from "./shopify/admin-client-raw.server";
import { budgetFromEnv, chunkFromEnv, historyJobHandlers } from "./engine/history";
import { purgedRows, purgeExpired } from "./engine/privacy/retention";
import { loggableError } from "./engine/util/loggable";

const config = loadEnvOrExit("worker");
const db = createDb(config.DATABASE_URL);
const clockFor = () => currentClock(db, config.TRUSTLOOP_SANDBOX);
const startClock = await clockFor();
const identity: WorkerIdentity = {
  id: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  hostname: os.hostname(),
  pid: process.pid,
  startedAt: startClock.now(),
  queueWorkerId: null,
};

// One SMTP connection per job slot by default: five sends at once need five connections.
const { mailer, from, messageIdDomain } = mailerFromEnv(config);
const secret = linkKeysOf(config);
const appOrigin = new URL(config.SHOPIFY_APP_URL).origin;
const graphql = shopGraphql(db);

const dispatch = (clock: Clock): DispatchDeps => ({
  db,
  clock,
  workerId: identity.id,
  mailer,
  render: (input) => renderEmail(input),
  graphql,
  links: {
    unsubscribe: (messageId) => unsubscribeUrl(config.SHOPIFY_APP_URL, secret, messageId),
    preferences: (messageId) => preferencesUrl(config.SHOPIFY_APP_URL, secret, messageId),
    // Our own hosted pages (review, NPS) are not wrapped: they are signed links of their own.
    click: (messageId, url) => (new URL(url).origin === appOrigin ? url : clickUrl(config.SHOPIFY_APP_URL, secret, messageId, url)),
  },
  from,
  messageIdDomain,
  log,
  extensions: {
    shipping_delay: delayNotice,
    review_request: reviewRequest({ appUrl: config.SHOPIFY_APP_URL, secret }),
    nps: npsSurvey({ appUrl: config.SHOPIFY_APP_URL, secret }),
    points_earned: pointsEarned,
  },
});

async function retention(clock: Clock) {
  const jobs = await purgeFinishedJobs(db, clock); // ids and kinds only: no rewrite needed
  if (jobs) log({ msg: "finished job records purged", count: jobs });
  const purged = await purgeExpired(db, clock);
  if (purgedRows(purged) > 0) {
    // The purged rows' bytes go with a rewrite of the tables touched (docs/decisions/015).
    const touched = { WebhookDelivery: purged.deliveries, LinkClick: purged.clicks, Message: purged.recipients, DataRequest: purged.reports };
    const now = clock.now();
    await scheduleErasureRewrite(db, {
      key: `retention:${now.toISOString()}`,
      tables: Object.keys(touched).filter((t) => touched[t as keyof typeof touched] > 0),
      runAt: now,
    });
    log({ msg: "retention purge", ...purged });
  }
  return purgedRows(purged);
}

const rawGraphql = shopGraphqlRaw(db);
const tasks = taskList({
  db,
  clock: clockFor,
  log,
  workerId: identity.id,
  handlers: {
    ...JOB_HANDLERS,
    [RECONCILE_JOB_KIND]: reconcileJobHandler(rawGraphql),
    ...historyJobHandlers(rawGraphql, {
      budgetMs: budgetFromEnv(process.env.TRUSTLOOP_HISTORY_BUDGET_MS),
      chunkSize: chunkFromEnv(process.env.TRUSTLOOP_HISTORY_CHUNK),
    }),
    ...reviewJobHandlers(graphql),
    ...loyaltyJobHandlers(graphql),
    ...flowActionJobHandlers(),
    ...flowTriggerJobHandlers(graphql),
    ...npsJobHandlers({ mailer, from }, config.SHOPIFY_API_KEY),
    ...erasureJobHandlers(config.DATABASE_URL),
  },
  dispatch,
  sendBatch: config.TRUSTLOOP_WORKER_CONCURRENCY,
  retention,
});

const events: WorkerEvents = new EventEmitter();
events.on("pool:create", ({ workerPool }) => (identity.queueWorkerId = workerPool.id));
// Started with an IPC channel (the tests' stack): the parent hears each idle tick and waits on
// it instead of sleeping. The channel never keeps this process alive.
if (process.send) {
  process.channel?.unref();
  watchIdle(events, (lookedAt) => {
    if (process.connected) process.send?.({ idle: lookedAt });
  });
}
const runner = await run({
  // The queue's own connections (claims, completions, LISTEN): the app's pool stays for the app.
  connectionString: config.DATABASE_URL,
  maxPoolSize: config.TRUSTLOOP_WORKER_CONCURRENCY + 2,
  concurrency: config.TRUSTLOOP_WORKER_CONCURRENCY,
  pollInterval: config.TRUSTLOOP_WORKER_POLL_MS,
  // Finished jobs are completed together (one statement for the jobs of a send batch, decision 033);
  // a batch that cannot be recorded stops the worker (pool:fatalError below).
  preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  taskList: tasks,
  crontab: CRONTAB,
  noHandleSignals: true,
  events,
  // The queue's own warnings and errors; its per-job info lines would only repeat ours.
  logger: new Logger((scope) => (level, message) => {
    if (level === "debug" || level === "info") return;
    log({ msg: message, level: level === "warning" ? "warn" : level, source: "queue", task: scope.taskIdentifier, queueJobId: scope.jobId });
  }),
});
log({ msg: "worker started", workerId: identity.id, queueWorkerId: identity.queueWorkerId, concurrency: config.TRUSTLOOP_WORKER_CONCURRENCY });

// Liveness: beat, and release the jobs of workers that stopped beating.
const liveness = async () => {
  try {
    const clock = await clockFor();
    await beat(db, clock, identity);
    await recoverDeadWorkers(db, clock, log);
  } catch (error) {
    log({ msg: "heartbeat failed", level: "error", error: (error as Error).message.slice(0, 200) });
  }
};
await liveness();
const beating = setInterval(liveness, BEAT_EVERY_MS);
// The rollups job re-adds itself; make sure the chain exists (kept if it does).
await addQueueJob(db, { task: TASKS.rollups, key: TASKS.rollups, mode: "preserve_run_at", runAt: new Date(startClock.now().getTime() + ROLLUPS_EVERY_MS) });

// SIGTERM: take no new work, let the jobs in flight finish within the deadline, then exit. A send
// still in flight after it stays "sending" under its lease: never sent twice, marked unknown if it
// never completes.
let stopping = false;
/** Waits for `work` (its failure ignored), but no longer than `ms`: a pool wedged by a database restart can leave it pending for ever. */
const atMost = (ms: number, work: Promise<unknown>) => Promise.race([work.catch(() => {}), new Promise((resolve) => setTimeout(resolve, ms))]);
/** Takes no new work, lets the jobs in flight finish within the deadline, then exits (`failed`: non-zero whatever happens). */
async function stop(reason: Record<string, unknown>, failed: boolean) {
  if (stopping) return;
  stopping = true;
  log({ msg: "worker stopping", ...reason, deadlineMs: config.TRUSTLOOP_WORKER_SHUTDOWN_MS });
  // Jobs see their abort signal 5 s into the stop (graphile-worker's default): waits for the Admin
  // API's cost bucket end then, and long jobs stop at their next page.
  const deadline = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), config.TRUSTLOOP_WORKER_SHUTDOWN_MS));
  const outcome = await Promise.race([runner.stop().then(() => "done" as const), deadline]).catch((error: Error) => {
    log({ msg: "worker stop failed", level: "error", error: error.message.slice(0, 200) });
    return "late" as const;
  });
  clearInterval(beating);
  // If the database is gone (or the pool wedged by a restart), the others find this one silent.
  await atMost(
    5_000,
    clockFor().then((clock) => beat(db, clock, identity, true)),
  );
  log({ msg: outcome === "done" ? "worker stopped" : "worker stopped with jobs still in flight", workerId: identity.id });
  mailer.close();
  await atMost(2_000, db.$disconnect());
  process.exit(outcome === "done" && !failed ? 0 : 1);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void stop({ signal }, false));
// graphile-worker records a job's outcome without awaiting it: when the database is lost at that
// moment (a restart, a failover) the rejection is unhandled and the queue's view of that job is
// unknown. The worker stops as on SIGTERM (its sends in flight record their answers once the
// database is back) and exits non-zero, so the process manager starts a fresh one; that job is
// released with the others this worker held (worker/liveness.ts). The ledger loses nothing.
process.on("unhandledRejection", (error) => {
  const e = error as { message?: string; code?: string } | undefined;
  log({
    msg: "unhandled failure (typically the database lost while the queue recorded a job's outcome); stopping to be restarted",
    level: "error",
    code: e?.code ?? null,
    error: String(e?.message ?? error).slice(0, 300),
  });
  void stop({ reason: "unhandled failure" }, true);
});
// Completions are batched: when the queue cannot record a batch's outcomes (the database lost),
// it begins a shutdown that waits on that batch for ever, leaving this process alive, beating and
// idle with its jobs locked. It stops instead, and exits non-zero: its final beat releases its jobs
// to the other workers (decision 034).
events.on("pool:fatalError", ({ action, error }) => {
  log({ msg: "the queue could not record job outcomes; stopping to be restarted", level: "error", action, ...loggableError(error) });
  void stop({ reason: "queue fatal error" }, true);
});
// The pool ends only when told to stop; ending by itself (its database lost for good) is a crash:
// exit non-zero so the process manager starts a fresh worker.
try {
  await runner.promise;
} catch (error) {
  log({ msg: "queue stopped", level: "error", error: (error as Error).message.slice(0, 300) });
}
if (!stopping) process.exit(1);
