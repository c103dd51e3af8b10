// Sandbox only: the bare webhook route that bench/intake.ts measures the real intake against.
// It does what the library does for every webhook (authenticate.webhook: HMAC over the raw body,
// required headers, the shop's offline-session lookup, JSON.parse) and answers 200 — no
// recording, no mirror, no planning. 404 outside sandbox mode, like every /sandbox route.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireSandbox } from "~/sandbox.server";
import { authenticate } from "~/shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  requireSandbox(request);
  try {
    await authenticate.webhook(request); // 401 on a bad signature, 400 on missing headers
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  return new Response(null, { status: 200 });
};
