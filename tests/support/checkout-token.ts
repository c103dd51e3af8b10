// A checkout UI extension session token, signed the way Shopify signs them (HS256, app secret).
import { createHmac, randomUUID } from "node:crypto";
import { API_KEY, API_SECRET } from "./stack";

export function checkoutToken(shopHost: string, extra: Record<string, unknown> = {}, secret = API_SECRET): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { iss: `https://${shopHost}/checkouts`, dest: `https://${shopHost}`, aud: API_KEY, exp: iat + 60, nbf: iat, iat, jti: randomUUID(), sid: randomUUID(), ...extra };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64(claims);
  return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
}
