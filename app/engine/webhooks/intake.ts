// Webhook intake applied at once: record each delivery once (by X-Shopify-Webhook-Id), validate
// the payload and apply it, all in one transaction with no network calls. The app and compliance
// topics take this path; the mirror topics are recorded by the route and applied by the worker
// (inbox.ts, decision 030), through the same applyPayload.
import { Prisma, type PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { describeIssues } from "../orders/payloads";
import { parseJsonLossless } from "../util/lossless-json";
import { retryingTransaction } from "../util/locks";
import { HANDLERS } from "./handlers";
import { isWebhookTopic } from "./topics";

export interface IncomingWebhook {
  shopDomain: string;
  topic: string; // e.g. "orders/create"
  webhookId: string;
  apiVersion: string | null;
  rawBody: string;
  /** X-Shopify-Triggered-At as sent (ISO 8601, often with nanoseconds). */
  triggeredAt?: string | null;
  /** X-Shopify-Event-Id: one event delivered to several subscriptions shares it. */
  eventId?: string | null;
}

export type IntakeResult =
  { outcome: "applied"; resourceId: string | null; note?: string } | { outcome: "rejected"; reason: string } | { outcome: "duplicate" };

export interface IntakeDeps {
  db: PrismaClient;
  clock: Clock;
  log: (event: Record<string, unknown>) => void;
}

export async function receiveWebhook(deps: IntakeDeps, webhook: IncomingWebhook): Promise<IntakeResult> {
  const result = await intake(deps, webhook);
  // Never the payload or an address: topic, shop, delivery id, outcome, reason.
  deps.log({
    msg: "webhook",
    topic: webhook.topic,
    shop: webhook.shopDomain,
    webhookId: webhook.webhookId,
    outcome: result.outcome,
    ...(result.outcome === "rejected" ? { reason: result.reason } : {}),
    ...(result.outcome === "applied" && result.note ? { reason: result.note } : {}),
  });
  return result;
}

async function intake({ db, clock }: IntakeDeps, webhook: IncomingWebhook): Promise<IntakeResult> {
  const key = { shopDomain_webhookId: { shopDomain: webhook.shopDomain, webhookId: webhook.webhookId } };
  if (await db.webhookDelivery.findUnique({ where: key })) return { outcome: "duplicate" };
  const receivedAt = clock.now();
  try {
    // Retried when PostgreSQL picks it as a deadlock victim (the work is all in the database).
    return await retryingTransaction(db, async (tx) => {
      const outcome = await applyPayload(tx, clock, { ...webhook, receivedAt });
      await tx.webhookDelivery.create({
        data: {
          shopDomain: webhook.shopDomain,
          webhookId: webhook.webhookId,
          eventId: webhook.eventId ?? null,
          topic: webhook.topic,
          apiVersion: webhook.apiVersion,
          triggeredAt: parseTriggeredAt(webhook.triggeredAt),
          receivedAt,
          ...deliveryOutcome(outcome, receivedAt),
        },
      });
      return outcome;
    });
  } catch (error) {
    // A concurrent retry of the same delivery won the unique key: acknowledge, do nothing.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const target = String(error.meta?.target ?? "");
      if (target.includes("webhookId") || (await db.webhookDelivery.findUnique({ where: key }))) return { outcome: "duplicate" };
    }
    throw error;
  }
}

/** A delivery to validate and apply: what the route received, or what the route recorded. */
export interface DeliveryInput {
  shopDomain: string;
  topic: string;
  rawBody: string;
  triggeredAt?: string | Date | null;
  receivedAt: Date;
}

/**
 * Validates one delivery's payload and applies it in `tx`. A payload that can never be applied
 * (unsupported topic, not JSON, not the topic's shape, a shop that is not installed) is a
 * rejection with its reason; anything else that goes wrong throws, and the transaction rolls back.
 */
export async function applyPayload(
  tx: Prisma.TransactionClient,
  clock: Clock,
  delivery: DeliveryInput,
): Promise<Exclude<IntakeResult, { outcome: "duplicate" }>> {
  const reject = (reason: string) => ({ outcome: "rejected" as const, reason });
  if (!isWebhookTopic(delivery.topic)) return reject(`unsupported topic ${delivery.topic}`);
  const handler = HANDLERS[delivery.topic];
  let json: unknown;
  try {
    json = parseJsonLossless(delivery.rawBody);
  } catch {
    return reject("body is not valid JSON");
  }
  const parsed = handler.schema.safeParse(json);
  if (!parsed.success) return reject(`invalid payload: ${describeIssues(parsed.error)}`);

  const shop = await tx.shop.findUnique({ where: { domain: delivery.shopDomain }, select: { id: true, status: true } });
  const installedShopId = shop?.status === "installed" ? shop.id : null;
  if (handler.needsInstalledShop && !installedShopId) return reject("shop is not installed");
  const triggeredAt = delivery.triggeredAt instanceof Date ? delivery.triggeredAt : parseTriggeredAt(delivery.triggeredAt);
  const applied = await handler.apply(
    { tx, clock, shopDomain: delivery.shopDomain, shopId: installedShopId, receivedAt: delivery.receivedAt, triggeredAt },
    parsed.data,
  );
  return { outcome: "applied", resourceId: applied.resourceId ?? null, ...(applied.note ? { note: applied.note } : {}) };
}

/** The delivery row's fields for an outcome (its stored payload goes once it is settled). */
export function deliveryOutcome(outcome: Exclude<IntakeResult, { outcome: "duplicate" }>, at: Date) {
  return outcome.outcome === "applied"
    ? { status: "applied" as const, reason: outcome.note ?? null, resourceId: outcome.resourceId, appliedAt: at, payload: Prisma.DbNull, retryAt: null }
    : { status: "rejected" as const, reason: outcome.reason, payload: Prisma.DbNull, retryAt: null };
}

/** Shopify sends nanoseconds ("…:27.877041743Z"); Date keeps milliseconds. */
export function parseTriggeredAt(value: string | null | undefined): Date | null {
  if (!value) return null;
  const ms = Date.parse(value.trim().replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(ms) ? null : new Date(ms);
}
