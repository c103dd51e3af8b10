import type { ActionFunctionArgs } from "@remix-run/node";
import { actionByHandle } from "~/engine/flow/definitions";
import { requireSandbox, sandboxShop } from "~/sandbox.server";
import { actionInput, runAction } from "~/sandbox/flow.server";

// `{properties, actionRunId?}`: one run of the action as Flow sends it (signed, to the action's
// runtime path); answers with the app's `{ status, body }` and the run id (to send the same run again).
export const action = async ({ request, params }: ActionFunctionArgs) => {
  requireSandbox(request);
  const definition = actionByHandle(params.handle ?? "");
  if (!definition) return Response.json({ error: `no action ${params.handle}` }, { status: 404 });
  const input = actionInput.safeParse(await request.json().catch(() => null));
  if (!input.success) return Response.json({ error: "properties must be an object; actionRunId a string" }, { status: 400 });
  return Response.json(await runAction(await sandboxShop(request), definition, input.data.properties, input.data.actionRunId));
};
