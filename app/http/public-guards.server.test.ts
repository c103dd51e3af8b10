import { describe, expect, it } from "vitest";
import { clientKey, guardFor, KB } from "./public-guards.server";

describe("guardFor", () => {
  it("guards the email links, the checkout endpoint and the webhooks, and nothing else", () => {
    expect(guardFor("/c/abc")).toMatchObject({ limit: "links", bodyBytes: 256 * KB });
    expect(guardFor("/u/abc")?.limit).toBe("links");
    expect(guardFor("/r/abc")?.limit).toBe("links");
    expect(guardFor("/n/abc")?.limit).toBe("links");
    expect(guardFor("/api/checkout/order")).toMatchObject({ limit: "checkout", bodyBytes: 64 * KB });
    expect(guardFor("/webhooks/orders/create")).toMatchObject({ limit: null, bodyBytes: 1024 * KB });
    for (const path of ["/app", "/app/offers", "/healthz", "/sandbox/api/orders", "/auth/login", "/cart", "/uploads", "/"]) expect(guardFor(path)).toBeNull();
  });
});

describe("clientKey", () => {
  it("is stable per address and secret, and does not contain the address", () => {
    expect(clientKey("203.0.113.7", "s")).toBe(clientKey("203.0.113.7", "s"));
    expect(clientKey("203.0.113.7", "s")).not.toBe(clientKey("203.0.113.8", "s"));
    expect(clientKey("203.0.113.7", "s")).not.toBe(clientKey("203.0.113.7", "t"));
    expect(clientKey("203.0.113.7", "s")).not.toContain("203");
  });
});
