import { describe, expect, it } from "vitest";
import { linkKeys, parseLinkKeys, sign, verify } from "./tokens";

const K1 = { kid: "k1", secret: "first-link-secret-0123456789abcdef" };
const K2 = { kid: "k2", secret: "second-link-secret-0123456789abcdef" };
const keys = linkKeys([K1]);
const now = new Date("2026-11-22T10:00:00Z");

// Tokens issued by the previous format (key derived from SHOPIFY_API_SECRET "app-secret"), as
// they sit in customers' inboxes.
const LEGACY_UNSUBSCRIBE = "eyJ0IjoidSIsIm0iOiJjbWYwYWJjZGVmZ2hpamtsbW5vcHFyc3R1In0.Ge33-QOBzZoLwNw6rWriXA";
const LEGACY_REVIEW_UNTIL_2027_05 = "eyJ0IjoiciIsIm0iOiJtMSIsImV4cCI6MTgwOTEyOTYwMH0.Ars2D-aFen26-KGdRRboqg";

describe("link tokens", () => {
  it("round-trips a payload, carries the key id, and stays short", () => {
    const token = sign(keys, { t: "u", m: "cmf0abcdefghijklmnopqrstu" });
    expect(verify(keys, token, now)).toEqual({ t: "u", m: "cmf0abcdefghijklmnopqrstu" });
    expect(token.length).toBeLessThan(90);
    expect(token).toMatch(/^k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("rejects a tampered token", () => {
    const token = sign(keys, { t: "c", m: "m1", u: "https://shop.example/a" });
    const [kid, body, mac] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ t: "c", m: "m1", u: "https://evil.example/a" })).toString("base64url");
    expect(verify(keys, `${kid}.${forged}.${mac}`, now)).toBeNull();
    // every other last character, including the ones that decode to the same 128 bits
    for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".replace(mac.slice(-1), "")) {
      expect(verify(keys, `${kid}.${body}.${mac.slice(0, -1)}${c}`, now)).toBeNull();
    }
    expect(verify(keys, `${kid}.${body}.${mac.slice(0, -2)}`, now)).toBeNull();
    expect(verify(keys, `${kid}.${body}x.${mac}`, now)).toBeNull();
    expect(verify(keys, `${kid}.${body}`, now)).toBeNull();
    expect(verify(keys, `${body}.${mac}`, now)).toBeNull();
    expect(verify(keys, `${kid}.${body}.${mac}.x`, now)).toBeNull();
    expect(verify(keys, "", now)).toBeNull();
  });

  it("rejects a token signed with another key, or whose key id was swapped", () => {
    const other = linkKeys([{ kid: "k1", secret: "another-secret-0123456789abcdefgh" }]);
    expect(verify(keys, sign(other, { t: "u", m: "m1" }), now)).toBeNull();
    const both = linkKeys([K1, K2]);
    const token = sign(both, { t: "u", m: "m1" });
    expect(verify(both, token.replace(/^k1\./, "k2."), now)).toBeNull();
  });

  it("rejects an expired token and accepts it before expiry", () => {
    const token = sign(keys, { t: "u", m: "m1" }, new Date(now.getTime() + 60_000));
    expect(verify(keys, token, now)).toEqual({ t: "u", m: "m1" });
    expect(verify(keys, token, new Date(now.getTime() + 60_000))).toBeNull();
  });

  it("rejects payloads that are not JSON objects even when correctly signed", () => {
    expect(verify(keys, sign(keys, [1, 2]), now)).toBeNull();
  });
});

describe("key rotation", () => {
  it("signs with the first key and verifies with every listed key", () => {
    const before = sign(linkKeys([K1]), { t: "u", m: "m1" });
    const rotated = linkKeys([K2, K1]);
    const after = sign(rotated, { t: "u", m: "m2" });
    expect(after.startsWith("k2.")).toBe(true);
    expect(verify(rotated, before, now)).toEqual({ t: "u", m: "m1" });
    expect(verify(rotated, after, now)).toEqual({ t: "u", m: "m2" });
  });

  it("stops accepting a key's links once the key is removed", () => {
    const before = sign(linkKeys([K1]), { t: "u", m: "m1" });
    expect(verify(linkKeys([K2]), before, now)).toBeNull();
  });

  it("never uses a configured secret directly as the HMAC key", () => {
    expect(linkKeys([K1]).signing.key.equals(Buffer.from(K1.secret))).toBe(false);
  });
});

describe("tokens issued before key ids", () => {
  const upgraded = linkKeys([K1], { legacyApiSecret: "app-secret" });

  it("still verify with the key derived from the app secret", () => {
    expect(verify(upgraded, LEGACY_UNSUBSCRIBE, now)).toEqual({ t: "u", m: "cmf0abcdefghijklmnopqrstu" });
    expect(verify(upgraded, LEGACY_REVIEW_UNTIL_2027_05, now)).toEqual({ t: "r", m: "m1" });
    expect(verify(upgraded, LEGACY_REVIEW_UNTIL_2027_05, new Date("2027-05-01T00:00:00Z"))).toBeNull();
  });

  it("are refused without the legacy secret, with another app secret, or when tampered", () => {
    expect(verify(linkKeys([K1]), LEGACY_UNSUBSCRIBE, now)).toBeNull();
    expect(verify(linkKeys([K1], { legacyApiSecret: "rotated-app-secret" }), LEGACY_UNSUBSCRIBE, now)).toBeNull();
    expect(verify(upgraded, `${LEGACY_UNSUBSCRIBE.slice(0, -1)}B`, now)).toBeNull();
  });

  it("new tokens are never signed with the legacy key", () => {
    const token = sign(upgraded, { t: "u", m: "m1" });
    expect(verify(linkKeys([{ kid: "x", secret: "unrelated-secret-0123456789abcdefg" }], { legacyApiSecret: "app-secret" }), token, now)).toBeNull();
  });
});

describe("parseLinkKeys", () => {
  it("reads kid:secret pairs in order, the first one signing", () => {
    expect(parseLinkKeys(` k2:${K2.secret} , k1:${K1.secret}`)).toEqual({ ok: true, keys: [K2, K1] });
    expect(parseLinkKeys("k1:abc:def-with-colon-0123456789abcdefgh")).toEqual({
      ok: true,
      keys: [{ kid: "k1", secret: "abc:def-with-colon-0123456789abcdefgh" }],
    });
  });

  it.each([
    ["", /at least one/],
    ["nokid", /key id/],
    [`bad-kid:${K1.secret}`, /key id/],
    ["k1:short", /at least 32 characters/],
    [`k1:${K1.secret},k1:${K2.secret}`, /appears twice/],
  ])("refuses %j", (raw, problem) => {
    const parsed = parseLinkKeys(raw);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });
});
