import { describe, expect, it } from "vitest";
import { linkSecret, sign, verify } from "./tokens";

const secret = linkSecret("app-secret");
const now = new Date("2026-11-22T10:00:00Z");

describe("link tokens", () => {
  it("round-trips a payload and stays short", () => {
    const token = sign(secret, { t: "u", m: "cmf0abcdefghijklmnopqrstu" });
    expect(verify(secret, token, now)).toEqual({ t: "u", m: "cmf0abcdefghijklmnopqrstu" });
    expect(token.length).toBeLessThan(80);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("derives the key from the app secret instead of using it directly", () => {
    expect(linkSecret("app-secret").equals(Buffer.from("app-secret"))).toBe(false);
    expect(linkSecret("app-secret").equals(linkSecret("app-secret"))).toBe(true);
  });

  it("rejects a tampered token", () => {
    const token = sign(secret, { t: "c", m: "m1", u: "https://shop.example/a" });
    const [body, mac] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ t: "c", m: "m1", u: "https://evil.example/a" })).toString("base64url");
    expect(verify(secret, `${forged}.${mac}`, now)).toBeNull();
    // every other last character, including the ones that decode to the same 128 bits
    for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".replace(mac.slice(-1), "")) {
      expect(verify(secret, `${body}.${mac.slice(0, -1)}${c}`, now)).toBeNull();
    }
    expect(verify(secret, `${body}.${mac.slice(0, -2)}`, now)).toBeNull();
    expect(verify(secret, `${body}x.${mac}`, now)).toBeNull();
    expect(verify(secret, body, now)).toBeNull();
    expect(verify(secret, `${body}.${mac}.x`, now)).toBeNull();
    expect(verify(secret, "", now)).toBeNull();
  });

  it("rejects a token signed with another secret", () => {
    expect(verify(linkSecret("other-secret"), sign(secret, { t: "u", m: "m1" }), now)).toBeNull();
  });

  it("rejects an expired token and accepts it before expiry", () => {
    const token = sign(secret, { t: "u", m: "m1" }, new Date(now.getTime() + 60_000));
    expect(verify(secret, token, now)).toEqual({ t: "u", m: "m1" });
    expect(verify(secret, token, new Date(now.getTime() + 60_000))).toBeNull();
  });

  it("rejects payloads that are not JSON objects even when correctly signed", () => {
    expect(verify(secret, sign(secret, [1, 2]), now)).toBeNull();
  });
});
