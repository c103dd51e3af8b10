import type { ActionFunctionArgs } from "@remix-run/node";
import { applyWaitingWebhooks, sandboxShop } from "~/sandbox.server";

// Applies the shop's recorded deliveries now (as the worker would): for tests and scripts that
// post signed webhooks themselves and then look at their effect.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return Response.json({ error: "POST only" }, { status: 405 });
  return Response.json({ settled: await applyWaitingWebhooks(await sandboxShop(request)) });
};
