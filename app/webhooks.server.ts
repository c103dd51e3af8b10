// The body of every /webhooks/<topic> route: verify, record, answer 200. The mirror topics are
// applied by the worker (decision 030); the app and compliance topics are applied here and now.
import { CUSTOMER_DATA_TABLES, db, PERSONAL_DATA_TABLES, scheduleErasureRewrite, sqlPool } from "./db.server";
import { systemClock } from "./engine/clock";
import { loggableError } from "./engine/util/loggable";
import type { WebhookTopic } from "./engine/webhooks/topics";
import { receiveWebhook, type IncomingWebhook } from "./engine/webhooks/intake";
import { QUEUED_TOPICS, recordWebhook } from "./engine/webhooks/inbox";
import { env } from "./env.server";
import { log } from "./log.server";
import { appClock } from "./route-context.server";
import { authenticate } from "./shopify.server";

/**
 * Topics that erase data, and the tables they touch: once applied, the worker rewrites those tables
 * so nothing of it remains in the database files (docs/decisions/015).
 */
const ERASED_TABLES: Partial<Record<WebhookTopic, string[]>> = {
  "customers/redact": CUSTOMER_DATA_TABLES,
  "shop/redact": PERSONAL_DATA_TABLES,
};

export async function handleWebhook(request: Request, routeTopic: WebhookTopic): Promise<Response> {
  // Read once: the library reads the body through text() too, and gets this text.
  const rawBody = await request.text();
  Object.defineProperty(request, "text", { value: () => Promise.resolve(rawBody) });
  let isJson = true;
  try {
    await authenticate.webhook(request); // 401 on a bad signature, 400 on missing headers
  } catch (error) {
    if (error instanceof Response) return error;
    // The library parses the body only after the signature checked out: a SyntaxError here
    // is a correctly signed, malformed payload. It is recorded as rejected below.
    if (!(error instanceof SyntaxError)) throw error;
    isJson = false;
  }
  const headers = request.headers;
  const topic = headers.get("x-shopify-topic") ?? "";
  const sandbox = env().TRUSTLOOP_SANDBOX;
  const webhook: IncomingWebhook = {
    shopDomain: headers.get("x-shopify-shop-domain") ?? "",
    topic: topic === routeTopic ? topic : `${topic} (sent to /webhooks/${routeTopic})`,
    webhookId: headers.get("x-shopify-webhook-id") ?? "",
    eventId: headers.get("x-shopify-event-id"),
    apiVersion: headers.get("x-shopify-api-version"),
    triggeredAt: headers.get("x-shopify-triggered-at"),
    rawBody,
  };
  if (isJson && topic === routeTopic && QUEUED_TOPICS.has(routeTopic)) {
    // The statement adds the sandbox's clock offset itself: no clock read first.
    const outcome = await recordWebhook(sqlPool(db), systemClock, webhook, { sandboxClock: sandbox });
    if (outcome === "duplicate") log({ msg: "webhook", topic, shop: webhook.shopDomain, webhookId: webhook.webhookId, outcome });
    if (outcome !== "unstorable") return new Response(null, { status: 200, headers: { "X-Trustloop-Outcome": outcome } });
  }
  const clock = await appClock();
  const result = await receiveWebhook({ db, clock, log: (event) => log({ ...event, msg: "webhook" }) }, webhook);
  const erased = ERASED_TABLES[routeTopic];
  if (result.outcome === "applied" && erased) {
    try {
      const now = clock.now();
      await scheduleErasureRewrite(db, { key: `${routeTopic}:${headers.get("x-shopify-webhook-id") ?? now.toISOString()}`, tables: erased, runAt: now });
    } catch (error) {
      // The erasure itself is done: a retry would be a duplicate delivery and schedule nothing either.
      log({ msg: "erased rows not yet rewritten on disk: scheduling failed", level: "error", topic: routeTopic, ...loggableError(error) });
    }
  }
  // Rejected payloads are answered 200 too: a retry would carry the same bad payload.
  return new Response(null, { status: 200, headers: { "X-Trustloop-Outcome": result.outcome } });
}
