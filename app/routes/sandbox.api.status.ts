import type { LoaderFunctionArgs } from "@remix-run/node";
import { appClock } from "~/route-context.server";
import { requireSandbox, sandboxShop } from "~/sandbox.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { adminApiUrl, config } = requireSandbox(request);
  const clock = await appClock();
  return Response.json({ shop: await sandboxShop(request), now: clock.now().toISOString(), adminApiUrl, smtpUrl: config.SMTP_URL ?? null });
};
