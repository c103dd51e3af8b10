// The webhook inbox (decision 030). For the mirror topics, which arrive by the thousand in a flash
// sale or a redelivered backlog, the route only records the delivery (deduped on shop + webhook
// id) and answers: one statement, which also wakes the shop's apply job. The worker then applies
// the shop's deliveries oldest first, each in its own transaction, through the same validation
// and handlers as the topics applied at once (intake.ts). A shop's deliveries are split into
// APPLY_LANES lanes by the order they are about; each lane has one apply job at a time (a named
// queue), so a shop's appliers never fight over one order's rows and never take every job slot
// (decision 034).
import crypto from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import pg from "pg";
import { SANDBOX_CLOCK_KEY, type Clock } from "../clock";
import { addJobUnlessWaitingSql, TASKS } from "../queue/queue";
import { retryingTransaction } from "../util/locks";
import { loggableError } from "../util/loggable";
import { HANDLERS } from "./handlers";
import { applyPayload, deliveryOutcome, parseTriggeredAt, type IncomingWebhook, type IntakeResult } from "./intake";
import { WEBHOOK_TOPICS, type WebhookTopic } from "./topics";

/**
 * Applied in the request: rare, and they must take effect at once (sessions go on uninstall; an
 * erasure must also reach payloads still waiting). Every other topic — the mirror's orders,
 * fulfillments, carrier events and refunds — is recorded by the route and applied by the worker.
 */
const APPLIED_AT_ONCE: readonly WebhookTopic[] = ["app/uninstalled", "app/scopes_update", "customers/data_request", "customers/redact", "shop/redact"];
export const QUEUED_TOPICS: ReadonlySet<WebhookTopic> = new Set(WEBHOOK_TOPICS.filter((topic) => !APPLIED_AT_ONCE.includes(topic)));

/** After this many failed applications a delivery is rejected (reconciliation then repairs the mirror from the Admin API). */
export const APPLY_MAX_ATTEMPTS = 5;
const retryDelayMs = (attempts: number) => Math.min(10_000 * 2 ** (attempts - 1), 600_000);

/**
 * A shop's deliveries are applied in this many lanes side by side, by the order they are about
 * (all deliveries of one order in one lane, applied one after the other).
 */
export const APPLY_LANES = 4;

/** A delivery's lane, in SQL, from its order id (`resourceId`; deliveries without one go to lane 0). */
const laneSql = (resourceId: string) => `(abs(hashtext(coalesce(${resourceId}, ''))::bigint) % ${APPLY_LANES})::int`;

/**
 * The apply job of a shop's lane: one waiting at a time (a delivery recorded while one runs adds
 * the next), and one running at a time (the key is also the name of the lane's queue).
 */
export const applyJobKey = (shopDomain: string, lane: number) => `webhooks:${shopDomain}:${lane}`;

/** What runs the route's statement: the `pg` pool under the app's Prisma client (decision 032), or a `pg` client. */
export type SqlRunner = Pick<pg.Pool, "query">;

export interface RecordOptions {
  /**
   * Sandbox mode: the sandbox's clock offset, as stored, is added to `clock.now()` by the statement
   * itself, so a clock moved a moment ago by any process counts, at no extra query.
   */
  sandboxClock?: boolean;
}

/**
 * The delivery, and the shop's apply job unless one is already waiting (queue.ts): one statement,
 * prepared once per connection. The look for a waiting job can race with that job being picked up
 * and finishing before this commit: the applier looks again a second later (the worker's task),
 * and the per-minute sweep catches anything else.
 */
const RECORD_STATEMENT = {
  name: "trustloop_record_webhook",
  text: `WITH recorded AS (
      INSERT INTO "WebhookDelivery" (id, "shopDomain", "webhookId", "eventId", topic, "apiVersion", status, "triggeredAt", "receivedAt", payload, "resourceId", "payloadDigest")
      SELECT $1, $2, $3, $4, $5, $6, 'received', $7::timestamptz,
             $8::timestamptz + CASE WHEN $9::boolean
               THEN make_interval(secs => coalesce((SELECT value::double precision FROM "AppState" WHERE key = $10::text), 0) / 1000)
               ELSE interval '0' END,
             body,
             -- the order it is about, so the order's page lists it while it waits
             'gid://shopify/Order/' || CASE WHEN $5::text LIKE 'orders/%' THEN body->>'id' ELSE body->>'order_id' END,
             md5(body::text)
      FROM (SELECT $11::jsonb AS body) delivery
      ON CONFLICT ("shopDomain", "webhookId") DO NOTHING
      RETURNING ${laneSql('"resourceId"')} AS lane
    )
    SELECT EXISTS (SELECT 1 FROM recorded) AS recorded,
      (SELECT ${addJobUnlessWaitingSql({ task: "$12", payload: "json_build_object('shopDomain', $2::text, 'lane', lane)", key: "'webhooks:' || $2::text || ':' || lane", queue: "'webhooks:' || $2::text || ':' || lane" })} FROM recorded) AS job`,
};

/**
 * Records a delivery whose body is JSON and, unless the shop's apply job is already waiting, adds
 * it, in one statement. "duplicate" when the shop already has this webhook id (Shopify retried, or
 * two web servers received the same retry). The route's hot path: a plain `pg` query, not Prisma
 * (decision 032).
 */
export async function recordWebhook(
  sql: SqlRunner,
  clock: Clock,
  webhook: IncomingWebhook,
  options: RecordOptions = {},
): Promise<"received" | "duplicate" | "unstorable"> {
  const values = [
    crypto.randomUUID(),
    webhook.shopDomain,
    webhook.webhookId,
    webhook.eventId ?? null,
    webhook.topic,
    webhook.apiVersion,
    parseTriggeredAt(webhook.triggeredAt),
    clock.now(),
    options.sandboxClock ?? false,
    SANDBOX_CLOCK_KEY,
    webhook.rawBody,
    TASKS.applyWebhooks,
  ];
  try {
    const { rows } = await sql.query<{ recorded: boolean }>({ ...RECORD_STATEMENT, values });
    return rows[0]?.recorded ? "received" : "duplicate";
  } catch (error) {
    if (isUnstorableJson(error)) return "unstorable";
    throw error;
  }
}

/**
 * JSON that JavaScript reads but `jsonb` refuses (a \u0000 escape): the caller applies it at once
 * instead, which rejects or applies it with its reason, rather than answering 500 forever.
 */
function isUnstorableJson(error: unknown): boolean {
  return error instanceof pg.DatabaseError && (error.code === "22P05" || error.code === "22P02");
}

export interface ApplyDeps {
  db: PrismaClient;
  clock: Clock;
  log: (event: { msg: string } & Record<string, unknown>) => void;
}

export type Applied = { webhookId: string; topic: string } & (Exclude<IntakeResult, { outcome: "duplicate" }> | { outcome: "retry"; reason: string });

interface Claimed {
  id: string;
  webhookId: string;
  topic: string;
  payload: string;
  payloadDigest: string | null;
  triggeredAt: Date | null;
  receivedAt: Date;
  attempts: number;
}

/**
 * Applies the oldest due delivery of the shop (of one lane, or of all), in one transaction with
 * its outcome; null when none is waiting (or the ones waiting are being applied by someone else).
 */
export async function applyNextWebhook(deps: ApplyDeps, shopDomain: string, lane?: number): Promise<Applied | null> {
  const { db, clock } = deps;
  let claimed: Claimed | undefined;
  const inLane = lane === undefined ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(laneSql('"resourceId"'))} = ${lane}`;
  try {
    return await retryingTransaction(db, async (tx) => {
      [claimed] = await tx.$queryRaw<Claimed[]>`
        SELECT id, "webhookId", topic, payload::text AS payload, "payloadDigest", "triggeredAt", "receivedAt", attempts FROM "WebhookDelivery"
        WHERE status = 'received' AND "shopDomain" = ${shopDomain} AND ("retryAt" IS NULL OR "retryAt" <= ${clock.now()}) ${inLane}
        ORDER BY "receivedAt", id LIMIT 1 FOR UPDATE SKIP LOCKED`;
      if (!claimed) return null;
      const outcome =
        (await alreadyApplied(tx, shopDomain, claimed)) ??
        (await applyPayload(tx, clock, {
          shopDomain,
          topic: claimed.topic,
          rawBody: claimed.payload,
          triggeredAt: claimed.triggeredAt,
          receivedAt: claimed.receivedAt,
        }));
      await tx.webhookDelivery.update({ where: { id: claimed.id }, data: deliveryOutcome(outcome, clock.now()) });
      return { webhookId: claimed.webhookId, topic: claimed.topic, ...outcome };
    });
  } catch (error) {
    if (!claimed) throw error;
    return failed(deps, claimed, error);
  }
}

/** Topics applied by the same handler: the same payload under any of them has the same effect. */
const SAME_EFFECT: ReadonlyMap<string, string[]> = new Map(
  WEBHOOK_TOPICS.map((topic) => [topic, WEBHOOK_TOPICS.filter((other) => HANDLERS[other] === HANDLERS[topic])]),
);

/**
 * The outcome of a delivery whose payload an earlier delivery of the shop, under a topic with the
 * same handler, already applied: applied again, it would change nothing (the mirror keeps the
 * newest version; the plan follows the mirror). Shopify sends such payloads under new webhook ids
 * (orders/create then orders/paid for an order paid at once; a re-sent event); each would cost a
 * full application (decision 035).
 */
async function alreadyApplied(
  tx: Prisma.TransactionClient,
  shopDomain: string,
  delivery: Claimed,
): Promise<Exclude<IntakeResult, { outcome: "duplicate" }> | null> {
  if (!delivery.payloadDigest) return null;
  const [earlier] = await tx.$queryRaw<{ webhookId: string; resourceId: string | null }[]>`
    SELECT "webhookId", "resourceId" FROM "WebhookDelivery"
    WHERE "shopDomain" = ${shopDomain} AND "payloadDigest" = ${delivery.payloadDigest} AND status = 'applied'
      AND topic = ANY(${SAME_EFFECT.get(delivery.topic) ?? [delivery.topic]}::text[]) AND id <> ${delivery.id}
    LIMIT 1`;
  return earlier ? { outcome: "applied", resourceId: earlier.resourceId, note: `same payload as webhook ${earlier.webhookId}, already applied` } : null;
}

/** An application that threw (not a rejection): tried again later, then given up with the reason. */
async function failed(deps: ApplyDeps, delivery: Claimed, error: unknown): Promise<Applied> {
  const attempts = delivery.attempts + 1;
  const why = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  const giveUp = attempts >= APPLY_MAX_ATTEMPTS;
  const reason = giveUp ? `could not be applied after ${attempts} attempts: ${why}` : `will retry: ${why}`;
  await deps.db.webhookDelivery.updateMany({
    where: { id: delivery.id, status: "received" },
    data: giveUp
      ? { status: "rejected", reason, attempts, payload: Prisma.DbNull, retryAt: null }
      : { reason, attempts, retryAt: new Date(deps.clock.now().getTime() + retryDelayMs(attempts)) },
  });
  // Not `why`: a PostgreSQL error's text can quote the payload's values.
  deps.log({
    msg: "webhook not applied",
    level: giveUp ? "error" : "warn",
    topic: delivery.topic,
    webhookId: delivery.webhookId,
    attempt: attempts,
    ...loggableError(error),
  });
  return giveUp
    ? { webhookId: delivery.webhookId, topic: delivery.topic, outcome: "rejected", reason }
    : { webhookId: delivery.webhookId, topic: delivery.topic, outcome: "retry", reason };
}

/**
 * Applies the shop's waiting deliveries (of one lane, or of all), up to `limit`; returns how many
 * it settled and whether some are left for another run. Each outcome is logged as the route
 * logged it before.
 */
export async function applyWebhooks(
  deps: ApplyDeps,
  shopDomain: string,
  { limit = 500, signal, lane }: { limit?: number; signal?: AbortSignal; lane?: number } = {},
) {
  let settled = 0;
  while (settled < limit && !signal?.aborted) {
    const applied = await applyNextWebhook(deps, shopDomain, lane);
    if (!applied) return { settled, more: false };
    settled++;
    if (applied.outcome === "retry") continue;
    deps.log({
      msg: "webhook",
      topic: applied.topic,
      shop: shopDomain,
      webhookId: applied.webhookId,
      outcome: applied.outcome,
      ...(applied.outcome === "rejected" ? { reason: applied.reason } : applied.note ? { reason: applied.note } : {}),
    });
  }
  return { settled, more: true };
}

/** The lanes with deliveries due (new, or whose retry time came): the sweep wakes their apply jobs. */
export async function lanesWithDueWebhooks(db: PrismaClient, now: Date): Promise<{ shopDomain: string; lane: number }[]> {
  return db.$queryRaw<{ shopDomain: string; lane: number }[]>`
    SELECT DISTINCT "shopDomain", ${Prisma.raw(laneSql('"resourceId"'))} AS lane FROM "WebhookDelivery"
    WHERE status = 'received' AND ("retryAt" IS NULL OR "retryAt" <= ${now})
    ORDER BY 1, 2`;
}
