// The one seam between Shopify API calls and a local Admin API emulator (sandbox and tests).
// Calls go to https://{shop}/admin/...; when SHOPIFY_ADMIN_API_URL is set, requests to
// *.myshopify.com are rewritten to that base URL, keeping path and query. Token exchange goes
// through the same path. See docs/decisions/002-sandbox-seam.md.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/** A fetch that sends *.myshopify.com requests to `baseUrl` instead (the shop travels in a header). */
export function shopRequestsTo(baseUrl: string, realFetch: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (!url.hostname.endsWith(".myshopify.com")) return realFetch(input, init);
    const target = new URL(url.pathname + url.search, baseUrl);
    const headers = new Headers(init?.headers);
    headers.set("X-Shopify-Shop-Domain", url.hostname);
    return realFetch(target, { ...init, headers });
  };
}

/** Installs the rewrite for the Shopify library (must run before shopifyApp()). */
export function routeShopRequestsTo(baseUrl: string) {
  setAbstractFetchFunc(shopRequestsTo(baseUrl));
}
