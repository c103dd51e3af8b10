// The sandbox playing Shopify Flow against this app: lifecycle callbacks and action runs, signed
// with the app's own secret and posted to the app's own URL, as Flow would send them.
import { z } from "zod";
import { env } from "../env.server";
import { actionRunBody, postFlowRequest, postLifecycle, type FlowShop } from "../../sandbox/emulator/flow-requests";
import type { FlowActionDefinition } from "../engine/flow/definitions";

// The app knows shops by domain; Flow's numeric shop id has no counterpart in the sandbox.
const SANDBOX_SHOP_ID = 1;

/** What the app answered, for the console: the status and the JSON body (or its text). */
export interface AppAnswer {
  status: number;
  body: unknown;
}

async function answerOf(response: Response): Promise<AppAnswer> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

const flowShop = (domain: string): FlowShop => ({ domain, id: SANDBOX_SHOP_ID });

export const lifecycleInput = z.object({ handle: z.string().min(1), enabled: z.boolean() });
export const actionInput = z.object({
  properties: z.record(z.unknown()).default({}),
  actionRunId: z.string().trim().min(1).max(200).optional(),
});

export async function sendLifecycle(shop: string, handle: string, enabled: boolean, at: Date): Promise<AppAnswer> {
  const config = env();
  return answerOf(await postLifecycle(config.SHOPIFY_APP_URL, config.SHOPIFY_API_SECRET, flowShop(shop), handle, enabled, at));
}

export async function runAction(shop: string, action: FlowActionDefinition, properties: Record<string, unknown>, actionRunId?: string) {
  const config = env();
  const body = actionRunBody(flowShop(shop), action.handle, properties, actionRunId);
  const answer = await answerOf(await postFlowRequest(config.SHOPIFY_APP_URL, action.path, body, config.SHOPIFY_API_SECRET));
  return { ...answer, actionRunId: body.action_run_id };
}
