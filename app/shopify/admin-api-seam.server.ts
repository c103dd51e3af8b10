// The one seam between the Shopify library and a local Admin API emulator (sandbox and tests).
// The library always calls https://{shop}/admin/...; when SHOPIFY_ADMIN_API_URL is set, requests
// to *.myshopify.com are rewritten to that base URL, keeping path and query. Token exchange goes
// through the same path. See docs/decisions/002-sandbox-seam.md.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

export function routeShopRequestsTo(baseUrl: string) {
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (!url.hostname.endsWith(".myshopify.com")) return realFetch(input, init);
    const target = new URL(url.pathname + url.search, baseUrl);
    const headers = new Headers(init?.headers);
    headers.set("X-Shopify-Shop-Domain", url.hostname);
    return realFetch(target, { ...init, headers });
  });
}
