import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { mintIdToken } from "~/sandbox/id-token.server";
import { requireSandbox, sandboxShop } from "~/sandbox.server";

// Plays Shopify admin's part: opens the embedded app for the demo shop with a fresh session
// token, exactly as admin.shopify.com would load it in its iframe.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { config } = requireSandbox(request);
  const shop = await sandboxShop(request);
  const idToken = mintIdToken({ shop, apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET });
  const host = Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
  const params = new URLSearchParams({ embedded: "1", shop, host, id_token: idToken });
  throw redirect(`/app?${params.toString()}`);
};
