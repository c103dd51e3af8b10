import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSandbox } from "~/sandbox.server";
import { APP_BRIDGE_STAND_IN } from "~/sandbox/app-bridge-stand-in";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireSandbox(request);
  return new Response(APP_BRIDGE_STAND_IN, { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" } });
};
