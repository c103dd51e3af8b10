// /flow/lifecycle — Flow's trigger lifecycle callbacks (FLOW_LIFECYCLE_PATH): a workflow using one
// of Trustloop's triggers was enabled or disabled in a shop. authenticate.flow verifies the HMAC
// and finds the shop's offline session (a forged request is a 400, a GET a 405); Flow waits on the
// answer before the merchant's workflow turns on, so the route records and answers at once.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { recordTriggerLifecycle } from "~/engine/flow/lifecycle";
import { log } from "~/log.server";
import { publicContext } from "~/route-context.server";
import { authenticate } from "~/shopify.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, payload } = await authenticate.flow(request);
  const { db, clock } = await publicContext();
  const result = await recordTriggerLifecycle(db, clock, session.shop, payload);
  if (!result.ok) return text(result.error, 400);
  log({ msg: "flow trigger lifecycle", shop: session.shop, handle: result.handle, enabled: result.enabled, changed: result.changed });
  return text("ok", 200);
};

// Only POSTs are callbacks: authenticate.flow answers anything else with a 405.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.flow(request);
  return text("Method not allowed", 405);
};
