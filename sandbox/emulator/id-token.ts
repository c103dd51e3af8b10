// Session ("id") tokens as Shopify admin hands them to an embedded app: HS256 JWTs signed with the
// app's secret. mintIdToken is used by the app's sandbox routes; verifyIdToken by the token exchange.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

export interface MintIdTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: number | string;
  ttlSeconds?: number;
  /** Issue time in ms since epoch; defaults to the real clock (Shopify signs with real time). */
  nowMs?: number;
}

export interface IdTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  [claim: string]: unknown;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

export function mintIdToken(opts: MintIdTokenOptions): string {
  const iat = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const claims: IdTokenClaims = {
    iss: `https://${opts.shop}/admin`,
    dest: `https://${opts.shop}`,
    aud: opts.apiKey,
    sub: String(opts.userId ?? 1),
    exp: iat + (opts.ttlSeconds ?? 60),
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: randomBytes(16).toString("hex"),
  };
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac("sha256", opts.apiSecret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export class IdTokenError extends Error {}

/** Verifies signature, alg, audience and time claims (10 s tolerance); returns the claims and shop. */
export function verifyIdToken(
  token: string,
  opts: { apiKey: string; apiSecret: string; nowMs?: number; toleranceSeconds?: number },
): IdTokenClaims & { shop: string } {
  const parts = token.split(".");
  if (parts.length !== 3) throw new IdTokenError("malformed token");
  const [head, body, sig] = parts;
  let header: { alg?: string };
  let claims: IdTokenClaims;
  try {
    header = JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as { alg?: string };
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as IdTokenClaims;
  } catch {
    throw new IdTokenError("malformed token");
  }
  if (header.alg !== "HS256") throw new IdTokenError("unsupported alg");
  const expected = createHmac("sha256", opts.apiSecret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new IdTokenError("bad signature");
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(opts.apiKey)) throw new IdTokenError("wrong audience");
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const tol = opts.toleranceSeconds ?? 10;
  if (typeof claims.exp !== "number" || claims.exp + tol < now) throw new IdTokenError("expired");
  if (typeof claims.nbf === "number" && claims.nbf - tol > now) throw new IdTokenError("not yet valid");
  const shop = typeof claims.dest === "string" ? claims.dest.replace(/^https:\/\//, "").replace(/\/.*$/, "") : "";
  if (!shop) throw new IdTokenError("missing dest");
  if (typeof claims.iss === "string" && !claims.iss.startsWith(`https://${shop}`)) throw new IdTokenError("iss/dest mismatch");
  return { ...claims, shop };
}
