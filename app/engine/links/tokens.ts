// Signed, unguessable link tokens for email links (no email address in any URL).
//   token = kid + "." + base64url(JSON payload) + "." + base64url(HMAC-SHA256(key, kid "." payload)[0..16])
// Links are signed with a key of their own (TRUSTLOOP_LINK_KEYS), never the app secret, and carry
// the key id, so a key can be rotated while links signed with older keys keep verifying. Tokens
// issued before key ids existed ("payload.mac", keyed from the app secret) still verify through
// the legacy key (docs/decisions/012-link-keys.md).
// The MAC is truncated to 128 bits (unforgeable in practice, keeps links short) and computed
// over the encoded text, so any change to the token's characters invalidates it. Payloads are
// schema-less here: callers parse what verify() returns with zod.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/** One configured link key: its id (goes into every token) and its secret. */
export interface LinkKeySpec {
  kid: string;
  secret: string;
}

declare const linkKeysBrand: unique symbol;
/** The keys for link tokens: the first signs, all verify. Only linkKeys() makes one. */
export type LinkKeys = {
  readonly signing: { kid: string; key: Buffer };
  readonly byKid: ReadonlyMap<string, Buffer>;
  readonly legacy: Buffer | null;
  readonly [linkKeysBrand]: true;
};

const LABEL = "trustloop-links-v1";
const KEYED_LABEL = "trustloop-links-v2";
const MAC_BYTES = 16;
const MAX_TOKEN_LENGTH = 4096;
const EXPIRY_KEY = "exp";
const PART = /^[A-Za-z0-9_-]+$/;
export const KID = /^[A-Za-z0-9]{1,16}$/;
export const MIN_LINK_SECRET_LENGTH = 32;

/**
 * Parses "kid:secret,kid:secret" (the first entry signs). Returns the keys, or the problem in
 * words for the configuration error.
 */
export function parseLinkKeys(raw: string): { ok: true; keys: LinkKeySpec[] } | { ok: false; problem: string } {
  const entries = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return { ok: false, problem: "must list at least one kid:secret" };
  const keys: LinkKeySpec[] = [];
  for (const [i, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const kid = colon < 0 ? "" : entry.slice(0, colon);
    const secret = colon < 0 ? "" : entry.slice(colon + 1);
    if (!KID.test(kid)) return { ok: false, problem: `entry ${i + 1}: the key id must be 1–16 letters or digits, then ":" and the secret` };
    if (secret.length < MIN_LINK_SECRET_LENGTH)
      return { ok: false, problem: `key "${kid}": the secret must be at least ${MIN_LINK_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)` };
    if (keys.some((k) => k.kid === kid)) return { ok: false, problem: `key id "${kid}" appears twice` };
    keys.push({ kid, secret });
  }
  return { ok: true, keys };
}

const derive = (secret: string, label: string) => Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), label, 32));

/**
 * The key ring: each secret goes through HKDF-SHA256 with a fixed label (never used directly).
 * `legacyApiSecret` (SHOPIFY_API_SECRET) verifies tokens issued before key ids; it never signs.
 */
export function linkKeys(keys: readonly LinkKeySpec[], options: { legacyApiSecret?: string | null } = {}): LinkKeys {
  if (keys.length === 0) throw new Error("linkKeys needs at least one key");
  const byKid = new Map<string, Buffer>();
  for (const { kid, secret } of keys) {
    if (!KID.test(kid) || !secret) throw new Error(`invalid link key "${kid}"`);
    if (byKid.has(kid)) throw new Error(`duplicate link key id "${kid}"`);
    byKid.set(kid, derive(secret, KEYED_LABEL));
  }
  const first = keys[0].kid;
  return {
    signing: { kid: first, key: byKid.get(first)! },
    byKid,
    legacy: options.legacyApiSecret ? derive(options.legacyApiSecret, LABEL) : null,
  } as unknown as LinkKeys;
}

function mac(key: Buffer, signed: string): string {
  return createHmac("sha256", key).update(signed).digest().subarray(0, MAC_BYTES).toString("base64url");
}

/** Signs a payload with the first key; with `expiresAt` the token stops verifying at that time (seconds precision). */
export function sign(keys: LinkKeys, payload: object, expiresAt?: Date): string {
  if (EXPIRY_KEY in payload) throw new Error(`"${EXPIRY_KEY}" is reserved in link token payloads`);
  const data = expiresAt ? { ...payload, [EXPIRY_KEY]: Math.floor(expiresAt.getTime() / 1000) } : payload;
  const body = Buffer.from(JSON.stringify(data), "utf8").toString("base64url");
  const signed = `${keys.signing.kid}.${body}`;
  return `${signed}.${mac(keys.signing.key, signed)}`;
}

/** The key and signed text of a token's shape, or null (unknown key id, malformed). */
function keyFor(keys: LinkKeys, parts: string[]): { key: Buffer; signed: string; body: string; signature: string } | null {
  if (parts.length === 3 && KID.test(parts[0])) {
    const key = keys.byKid.get(parts[0]);
    return key ? { key, signed: `${parts[0]}.${parts[1]}`, body: parts[1], signature: parts[2] } : null;
  }
  if (parts.length === 2 && keys.legacy) return { key: keys.legacy, signed: parts[0], body: parts[0], signature: parts[1] };
  return null;
}

/** The payload of a valid, unexpired token, or null (tampered, unknown or removed key, expired, malformed). */
export function verify(keys: LinkKeys, token: string, now: Date): Record<string, unknown> | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (!parts.every((p) => PART.test(p))) return null;
  const found = keyFor(keys, parts);
  if (!found) return null;
  // Compared as text: base64url has several spellings of the same bytes (unused low bits of the
  // last character); only the canonical one is accepted.
  const given = Buffer.from(found.signature, "ascii");
  const expected = Buffer.from(mac(found.key, found.signed), "ascii");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(found.body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
  const { [EXPIRY_KEY]: exp, ...rest } = payload as Record<string, unknown>;
  if (exp !== undefined && (typeof exp !== "number" || now.getTime() >= exp * 1000)) return null;
  return rest;
}
