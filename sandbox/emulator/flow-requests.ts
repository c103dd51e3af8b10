// Shopify Flow's side of the conversation with the app, for the sandbox and the tests: the
// lifecycle callback (a workflow using a trigger was enabled or disabled) and an action run, each
// signed as Flow signs them (HMAC-SHA256 of the body with the app's secret, base64, in
// X-Shopify-Hmac-Sha256: what `authenticate.flow` verifies).
import { randomUUID } from "node:crypto";
import { FLOW_LIFECYCLE_PATH } from "../../app/engine/flow/definitions";
import { signWebhook } from "./webhooks";

export interface FlowShop {
  domain: string;
  /** Shopify's numeric shop id. */
  id: number | string;
}

/** POSTs `body` to the app as Flow does; `secret` signs it (a test signs with a wrong one too). */
export function postFlowRequest(appUrl: string, path: string, body: string | object, secret: string): Promise<Response> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return fetch(new URL(path, appUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": signWebhook(raw, secret) },
    body: raw,
  });
}

/** The lifecycle callback Flow sends when the shop's workflows start or stop using a trigger. */
export function lifecycleBody(shop: FlowShop, handle: string, enabled: boolean, at = new Date()) {
  return { flow_trigger_definition_id: handle, has_enabled_flow: enabled, shop_id: Number(shop.id), shopify_domain: shop.domain, timestamp: at.toISOString() };
}

/** One action run as Flow sends it to the action's runtime URL; `properties` as the workflow filled them in. */
export function actionRunBody(shop: FlowShop, handle: string, properties: Record<string, unknown>, actionRunId: string = randomUUID()) {
  return { shop_id: Number(shop.id), shopify_domain: shop.domain, action_run_id: actionRunId, action_definition_id: handle, handle, properties };
}

export const postLifecycle = (appUrl: string, secret: string, shop: FlowShop, handle: string, enabled: boolean, at?: Date) =>
  postFlowRequest(appUrl, FLOW_LIFECYCLE_PATH, lifecycleBody(shop, handle, enabled, at), secret);
