// The background process: `npm run worker`. Shares the database with the web server.
import os from "node:os";
import { randomUUID } from "node:crypto";
import { loadEnvOrExit } from "./env.server";
import { createDb, erasureJobHandlers, scheduleErasureRewrite } from "./db.server";
import { currentClock } from "./clock.server";
import { log } from "./log.server";
import { runWorker } from "./engine/worker/loop";
import { JOB_HANDLERS } from "./engine/worker/job-kinds";
import { dispatchDueMessages } from "./engine/messages/dispatch";
import { createMailer, dkimFromEnv, parseMailFrom } from "./engine/email/transport";
import { renderEmail } from "./engine/email/render";
import { clickUrl, preferencesUrl, unsubscribeUrl } from "./engine/links/urls";
import { linkKeysOf } from "./links.server";
import { shopGraphql } from "./shopify/admin-client.server";
import { periodic } from "./engine/worker/periodic";
import { rebuildDirtyDays } from "./engine/dashboard/rollups";
import { detectDelays } from "./engine/delays/detect";
import { delayNotice } from "./engine/delays/notice";
import { npsSurvey } from "./engine/nps/survey";
import { npsJobHandlers } from "./engine/nps/notify-job";
import { approveDuePoints } from "./engine/loyalty/ledger";
import { loyaltyJobHandlers, pointsEarned } from "./engine/loyalty/rewards";
import { reviewRequest } from "./engine/reviews/request";
import { reviewJobHandlers } from "./engine/reviews/ratings";
import { enqueueReconciliation, reconcileJobHandler, RECONCILE_JOB_KIND } from "./engine/reconcile";
import { shopGraphqlRaw } from "./shopify/admin-client-raw.server";
import { budgetFromEnv, historyJobHandlers } from "./engine/history";
import { purgedRows, purgeExpired } from "./engine/privacy/retention";

const config = loadEnvOrExit("worker");
const db = createDb(config.DATABASE_URL);
const clock = await currentClock(db, config.TRUSTLOOP_SANDBOX);
const controller = new AbortController();
const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

// The sandbox has a catcher and a default sender; production requires both (env.server.ts).
const mailer = createMailer({ smtpUrl: config.SMTP_URL ?? "smtp://127.0.0.1:2525", dkim: dkimFromEnv(config) });
const from = parseMailFrom(config.MAIL_FROM ?? "Trustloop <no-reply@localhost>");
const secret = linkKeysOf(config);
const appOrigin = new URL(config.SHOPIFY_APP_URL).origin;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log({ msg: "worker stopping", signal });
    controller.abort();
  });
}

await runWorker(
  {
    db,
    clock,
    handlers: { ...JOB_HANDLERS, [RECONCILE_JOB_KIND]: reconcileJobHandler(shopGraphqlRaw(db)), ...historyJobHandlers(shopGraphqlRaw(db), { budgetMs: budgetFromEnv(process.env.TRUSTLOOP_HISTORY_BUDGET_MS) }), ...reviewJobHandlers(shopGraphql(db)), ...loyaltyJobHandlers(shopGraphql(db)), ...npsJobHandlers({ mailer, from }, config.SHOPIFY_API_KEY), ...erasureJobHandlers(config.DATABASE_URL) },
    log,
    workerId,
    hostname: os.hostname(),
    pid: process.pid,
    tasks: [
      () =>
        dispatchDueMessages({
          db,
          clock,
          workerId,
          mailer,
          render: (input) => renderEmail(input),
          graphql: shopGraphql(db),
          links: {
            unsubscribe: (messageId) => unsubscribeUrl(config.SHOPIFY_APP_URL, secret, messageId),
            preferences: (messageId) => preferencesUrl(config.SHOPIFY_APP_URL, secret, messageId),
            // Our own hosted pages (review, NPS) are not wrapped: they are signed links of their own.
            click: (messageId, url) => (new URL(url).origin === appOrigin ? url : clickUrl(config.SHOPIFY_APP_URL, secret, messageId, url)),
          },
          from,
          messageIdDomain: from.address.split("@")[1] ?? new URL(config.SHOPIFY_APP_URL).hostname,
          log,
          extensions: {
            shipping_delay: delayNotice,
            review_request: reviewRequest({ appUrl: config.SHOPIFY_APP_URL, secret }),
            nps: npsSurvey({ appUrl: config.SHOPIFY_APP_URL, secret }),
            points_earned: pointsEarned,
          },
        }),
      periodic(clock, { everyMs: 60_000, clockJumpMs: 5 * 60_000 }, () => detectDelays(db, clock)),
      periodic(clock, { everyMs: 60_000, clockJumpMs: 5 * 60_000 }, () => enqueueReconciliation(db, clock)),
      periodic(clock, { everyMs: 60_000, clockJumpMs: 5 * 60_000 }, () => approveDuePoints(db, clock)),
      periodic(clock, { everyMs: 60 * 60_000, clockJumpMs: 86_400_000 }, async () => {
        const purged = await purgeExpired(db, clock);
        if (purgedRows(purged) > 0) {
          // The purged rows' bytes go with a rewrite of the tables touched (docs/decisions/015).
          const touched = { WebhookDelivery: purged.deliveries, LinkClick: purged.clicks, Message: purged.recipients, DataRequest: purged.reports };
          const now = clock.now();
          await scheduleErasureRewrite(db, { key: `retention:${now.toISOString()}`, tables: Object.keys(touched).filter((t) => touched[t as keyof typeof touched] > 0), runAt: now });
          log({ msg: "retention purge", ...purged });
        }
        return purgedRows(purged);
      }),
      () => rebuildDirtyDays(db),
    ],
    beforeTick: config.TRUSTLOOP_SANDBOX ? async () => void (await currentClock(db, true)) : undefined,
    pollMs: Number(process.env.TRUSTLOOP_WORKER_POLL_MS ?? 1000),
  },
  controller.signal,
);
mailer.close();
await db.$disconnect();
process.exit(0);
