// The body of every /webhooks/<topic> route: verify, record, apply, answer 200.
import { db, finishErasure } from "./db.server";
import { currentClock } from "./clock.server";
import type { WebhookTopic } from "./engine/webhooks/topics";
import { receiveWebhook } from "./engine/webhooks/intake";
import { env } from "./env.server";
import { log } from "./log.server";
import { authenticate } from "./shopify.server";

/** Topics that erase data: once applied, nothing of it may remain in the database files. */
const ERASING_TOPICS = new Set<WebhookTopic>(["customers/redact", "shop/redact"]);

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
  if (result.outcome === "applied" && ERASING_TOPICS.has(routeTopic) && !(await finishErasure(db))) {
    log({ msg: "erasure not yet final on disk: the WAL is still in use", level: "warn", topic: routeTopic });
  }
  // Rejected payloads are answered 200 too: a retry would carry the same bad payload.
  return new Response(null, { status: 200, headers: { "X-Trustloop-Outcome": result.outcome } });
}
