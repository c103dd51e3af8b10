import type { LoaderFunctionArgs } from "@remix-run/node";
import { mintIdToken } from "~/sandbox/id-token.server";
import { requireSandbox, sandboxShop } from "~/sandbox.server";

// The App Bridge stand-in asks here for session tokens (Shopify admin mints them in production).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { config } = requireSandbox(request);
  const shop = await sandboxShop(request);
  return Response.json(
    { token: mintIdToken({ shop, apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET }) },
    { headers: { "Cache-Control": "no-store" } },
  );
};
