// The body of every /webhooks/<topic> route: verify, record, apply, answer 200.
import { CUSTOMER_DATA_TABLES, db, PERSONAL_DATA_TABLES, scheduleErasureRewrite } from "./db.server";
import { currentClock } from "./clock.server";
import type { WebhookTopic } from "./engine/webhooks/topics";
import { receiveWebhook } from "./engine/webhooks/intake";
import { env } from "./env.server";
import { log } from "./log.server";
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
  const rawBody = await request.clone().text();
  try {
    await authenticate.webhook(request); // 401 on a bad signature, 400 on missing headers
  } catch (error) {
    if (error instanceof Response) return error;
    // The library parses the body only after the signature checked out: a SyntaxError here
    // is a correctly signed, malformed payload. It is recorded as rejected below.
    if (!(error instanceof SyntaxError)) throw error;
  }
  const headers = request.headers;
  const topic = headers.get("x-shopify-topic") ?? "";
  const result = await receiveWebhook(
    { db, clock: await currentClock(db, env().TRUSTLOOP_SANDBOX), log: (event) => log({ ...event, msg: "webhook" }) },
    {
      shopDomain: headers.get("x-shopify-shop-domain") ?? "",
      topic: topic === routeTopic ? topic : `${topic} (sent to /webhooks/${routeTopic})`,
      webhookId: headers.get("x-shopify-webhook-id") ?? "",
      apiVersion: headers.get("x-shopify-api-version"),
      triggeredAt: headers.get("x-shopify-triggered-at"),
      rawBody,
    },
  );
  const erased = ERASED_TABLES[routeTopic];
  if (result.outcome === "applied" && erased) {
    try {
      const now = (await currentClock(db, env().TRUSTLOOP_SANDBOX)).now();
      await scheduleErasureRewrite(db, { key: `${routeTopic}:${headers.get("x-shopify-webhook-id") ?? now.toISOString()}`, tables: erased, runAt: now });
    } catch (error) {
      // The erasure itself is done: a retry would be a duplicate delivery and schedule nothing either.
      log({ msg: "erased rows not yet rewritten on disk: scheduling failed", level: "error", topic: routeTopic, error: error instanceof Error ? error.message : String(error) });
    }
  }
  // Rejected payloads are answered 200 too: a retry would carry the same bad payload.
  return new Response(null, { status: 200, headers: { "X-Trustloop-Outcome": result.outcome } });
}
