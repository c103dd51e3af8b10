// Signed, unguessable link tokens for email links (no email address in any URL).
//   token = base64url(JSON payload) + "." + base64url(HMAC-SHA256(key, first part)[0..16])
// The MAC is truncated to 128 bits (unforgeable in practice, keeps links short) and computed
// over the encoded text, so any change to the token's characters invalidates it. Payloads are
// schema-less here: callers parse what verify() returns with zod.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

declare const linkSecretBrand: unique symbol;
/** The key for link tokens. Only linkSecret() makes one, so the raw app secret cannot be passed by mistake. */
export type LinkSecret = Buffer & { readonly [linkSecretBrand]: true };

const LABEL = "trustloop-links-v1";
const MAC_BYTES = 16;
const MAX_TOKEN_LENGTH = 4096;
const EXPIRY_KEY = "exp";
const PART = /^[A-Za-z0-9_-]+$/;

/** Derives the link key from SHOPIFY_API_SECRET (HKDF-SHA256, fixed label), never using the secret directly. */
export function linkSecret(apiSecret: string): LinkSecret {
  if (!apiSecret) throw new Error("linkSecret needs the app secret");
  return Buffer.from(hkdfSync("sha256", apiSecret, Buffer.alloc(0), LABEL, 32)) as LinkSecret;
}

function mac(secret: LinkSecret, body: string): Buffer {
  return createHmac("sha256", secret).update(body).digest().subarray(0, MAC_BYTES);
}

/** Signs a payload; with `expiresAt` the token stops verifying at that time (seconds precision). */
export function sign(secret: LinkSecret, payload: object, expiresAt?: Date): string {
  if (EXPIRY_KEY in payload) throw new Error(`"${EXPIRY_KEY}" is reserved in link token payloads`);
  const data = expiresAt ? { ...payload, [EXPIRY_KEY]: Math.floor(expiresAt.getTime() / 1000) } : payload;
  const body = Buffer.from(JSON.stringify(data), "utf8").toString("base64url");
  return `${body}.${mac(secret, body).toString("base64url")}`;
}

/** The payload of a valid, unexpired token, or null (tampered, wrong key, expired, malformed). */
export function verify(secret: LinkSecret, token: string, now: Date): Record<string, unknown> | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2 || !PART.test(parts[0]) || !PART.test(parts[1])) return null;
  const [body, signature] = parts;
  // Compared as text: base64url has several spellings of the same bytes (unused low bits of the
  // last character); only the canonical one is accepted.
  const given = Buffer.from(signature, "ascii");
  const expected = Buffer.from(mac(secret, body).toString("base64url"), "ascii");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
  const { [EXPIRY_KEY]: exp, ...rest } = payload as Record<string, unknown>;
  if (exp !== undefined && (typeof exp !== "number" || now.getTime() >= exp * 1000)) return null;
  return rest;
}
