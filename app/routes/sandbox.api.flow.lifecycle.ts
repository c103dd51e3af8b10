import type { ActionFunctionArgs } from "@remix-run/node";
import { triggerByHandle } from "~/engine/flow/definitions";
import { appClock } from "~/route-context.server";
import { requireSandbox, sandboxShop } from "~/sandbox.server";
import { lifecycleInput, sendLifecycle } from "~/sandbox/flow.server";

// `{handle, enabled}`: Flow's lifecycle callback (a workflow using the trigger was turned on or off),
// signed and sent to the app; answers with the app's `{ status, body }`.
export const action = async ({ request }: ActionFunctionArgs) => {
  requireSandbox(request);
  const input = lifecycleInput.safeParse(await request.json().catch(() => null));
  if (!input.success || !triggerByHandle(input.data.handle)) return Response.json({ error: "handle must name a trigger; enabled a boolean" }, { status: 400 });
  const clock = await appClock();
  return Response.json(await sendLifecycle(await sandboxShop(request), input.data.handle, input.data.enabled, clock.now()));
};
