// Webhook intake: record each delivery once (by X-Shopify-Webhook-Id), validate the payload,
// and apply it — all in one transaction, with no network calls, so the route answers fast.
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
}

export type IntakeResult =
  | { outcome: "applied"; resourceId: string | null; note?: string }
  | { outcome: "rejected"; reason: string }
  | { outcome: "duplicate" };

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
  const record = (tx: Prisma.TransactionClient, status: "applied" | "rejected", extra: { reason?: string; resourceId?: string | null }) =>
    tx.webhookDelivery.create({
      data: {
        shopDomain: webhook.shopDomain,
        webhookId: webhook.webhookId,
        topic: webhook.topic,
        apiVersion: webhook.apiVersion,
        status,
        reason: extra.reason ?? null,
        resourceId: extra.resourceId ?? null,
        receivedAt,
      },
    });
  const reject = async (reason: string): Promise<IntakeResult> => {
    await record(db, "rejected", { reason });
    return { outcome: "rejected", reason };
  };

  try {
    if (!isWebhookTopic(webhook.topic)) return await reject(`unsupported topic ${webhook.topic}`);
    const handler = HANDLERS[webhook.topic];

    let json: unknown;
    try {
      json = parseJsonLossless(webhook.rawBody);
    } catch {
      return await reject("body is not valid JSON");
    }
    const parsed = handler.schema.safeParse(json);
    if (!parsed.success) return await reject(`invalid payload: ${describeIssues(parsed.error)}`);

    const shop = await db.shop.findUnique({ where: { domain: webhook.shopDomain }, select: { id: true, status: true } });
    const installedShopId = shop?.status === "installed" ? shop.id : null;
    if (handler.needsInstalledShop && !installedShopId) return await reject("shop is not installed");

    // Retried when PostgreSQL picks it as a deadlock victim (the work is all in the database).
    return await retryingTransaction(db, async (tx) => {
      const applied = await handler.apply(
        { tx, clock, shopDomain: webhook.shopDomain, shopId: installedShopId, receivedAt, triggeredAt: parseTriggeredAt(webhook.triggeredAt) },
        parsed.data,
      );
      await record(tx, "applied", { resourceId: applied.resourceId, reason: applied.note });
      return { outcome: "applied" as const, resourceId: applied.resourceId ?? null, ...(applied.note ? { note: applied.note } : {}) };
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

/** Shopify sends nanoseconds ("…:27.877041743Z"); Date keeps milliseconds. */
export function parseTriggeredAt(value: string | null | undefined): Date | null {
  if (!value) return null;
  const ms = Date.parse(value.trim().replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(ms) ? null : new Date(ms);
}
