// A checkout UI extension session token, signed the way Shopify signs them (HS256, app secret).
import { createHmac, randomUUID } from "node:crypto";
import { API_KEY, API_SECRET, BROWSER_UA } from "./stack";

export function checkoutToken(shopHost: string, extra: Record<string, unknown> = {}, secret = API_SECRET): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${shopHost}/checkouts`,
    dest: `https://${shopHost}`,
    aud: API_KEY,
    exp: iat + 60,
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: randomUUID(),
    ...extra,
  };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64(claims);
  return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
}

export const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

/** The extension's POST to /api/checkout/order ("view" when the block shows, "click" on the offer). */
export function postCheckout(
  appUrl: string,
  token: string,
  body: { orderId: string; confirmation?: string | null; subtotal?: string; event: "view" | "click" },
) {
  return fetch(`${appUrl}/api/checkout/order`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER_UA, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The extension's read-only GET of /api/checkout/order. */
export function getCheckout(appUrl: string, token: string, query: Record<string, string>) {
  return fetch(`${appUrl}/api/checkout/order?${new URLSearchParams(query)}`, {
    headers: { Authorization: `Bearer ${token}`, Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER_UA },
  });
}
