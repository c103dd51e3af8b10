// Rate limits and body caps of the public endpoints, through the real web server (decision 018).
// Clients are told apart by X-Forwarded-For, which the server trusts from loopback (the default
// TRUSTLOOP_TRUST_PROXY), as it would behind a local reverse proxy.
import crypto from "node:crypto";
import http from "node:http";
import { describe, expect, it } from "vitest";
import { clickUrl, preferencesUrl, unsubscribeUrl } from "../../app/engine/links/urls";
import { checkoutToken, EXTENSION_ORIGIN } from "../support/checkout-token";
import { API_SECRET, API_VERSION, BROWSER_UA, postWebhook, testLinkKeys, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
const secret = testLinkKeys();

useStack({ install: true }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});

const from = (client: string, init: RequestInit = {}) => ({
  ...init,
  redirect: "manual" as const,
  headers: { "X-Forwarded-For": client, ...(init.headers as Record<string, string> | undefined) },
});

describe("rate limits", () => {
  it("a person clicking through their own emails, with a mail scanner pre-fetching every link, never meets the limits", async () => {
    const client = "198.51.100.10";
    const placed = await stack.place({ email: "reader@example.com", country: "US" });
    const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    await expect.poll(() => stack.db.message.count({ where: { recipient: "reader@example.com" } }), { timeout: 10_000 }).toBeGreaterThan(0);
    const messages = await stack.db.message.findMany({ where: { recipient: "reader@example.com" }, select: { id: true } });
    // Six emails of five links each, in one minute: the scanner fetches each link twice (HEAD, then
    // GET), then the reader opens every one, their preferences, and unsubscribes.
    const links = Array.from({ length: 30 }, (_, i) =>
      clickUrl(stack.appUrl, secret, messages[i % messages.length].id, `https://${shopRow.primaryDomain ?? shop}/products/p${i}`),
    );
    const statuses: number[] = [];
    for (const link of links) {
      statuses.push((await fetch(link, from(client, { method: "HEAD" }))).status);
      statuses.push((await fetch(link, from(client))).status);
    }
    for (const link of links) statuses.push((await fetch(link, from(client))).status);
    expect(statuses).toEqual(Array(90).fill(302));
    expect((await fetch(preferencesUrl(stack.appUrl, secret, messages[0].id), from(client))).status).toBe(200);
    const oneClick = await fetch(
      unsubscribeUrl(stack.appUrl, secret, messages[0].id),
      from(client, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    );
    expect(oneClick.status).toBe(200);

    // The thank-you page loaded three times, each retrying five times while the order is pending, and a click.
    const orderId = `gid://shopify/Order/${placed.orderId}99`;
    for (let load = 0; load < 3; load++) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const preflight = await fetch(
          `${stack.appUrl}/api/checkout/order`,
          from(client, { method: "OPTIONS", headers: { Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER_UA, "Access-Control-Request-Method": "POST" } }),
        );
        expect(preflight.status).toBe(204);
        const res = await fetch(
          `${stack.appUrl}/api/checkout/order`,
          from(client, {
            method: "POST",
            headers: { Authorization: `Bearer ${checkoutToken(shop)}`, Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER_UA, "Content-Type": "application/json" },
            body: JSON.stringify({ orderId, confirmation: "ANY", event: "view" }),
          }),
        );
        expect(res.status).toBe(200);
      }
    }
  });

  it("answers 429 with Retry-After once a client passes the limit; other clients go on", async () => {
    const client = "203.0.113.7";
    const codes: number[] = [];
    for (let i = 0; i < 120; i++) codes.push((await fetch(`${stack.appUrl}/c/not-a-token-${i}`, from(client))).status);
    expect(codes).toEqual(Array(120).fill(404));
    const limited = await fetch(`${stack.appUrl}/r/not-a-token`, from(client));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.text()).toMatch(/Too many requests/);
    // A POST over the limit is refused before its body is read.
    expect((await fetch(`${stack.appUrl}/u/not-a-token`, from(client, { method: "POST", body: "List-Unsubscribe=One-Click" }))).status).toBe(429);
    expect((await fetch(`${stack.appUrl}/c/not-a-token`, from("203.0.113.8"))).status).toBe(404);

    // The checkout endpoint has its own limit (60 a minute), preflights included.
    const preflight = (client: string) =>
      fetch(
        `${stack.appUrl}/api/checkout/order`,
        from(client, { method: "OPTIONS", headers: { Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER_UA, "Access-Control-Request-Method": "POST" } }),
      );
    const checkout: number[] = [];
    for (let i = 0; i < 60; i++) checkout.push((await preflight("203.0.113.20")).status);
    expect(checkout).toEqual(Array(60).fill(204));
    const over = await preflight("203.0.113.20");
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Readable by the extension's code on Shopify's origin.
    expect(over.headers.get("access-control-allow-origin")).toBe(EXTENSION_ORIGIN);
    expect(over.headers.get("access-control-expose-headers")).toBe("Retry-After");
    expect((await fetch(`${stack.appUrl}/c/not-a-token`, from("203.0.113.20"))).status).toBe(404); // the link limit is separate
  });

  it("counts a client's requests across every web process (the counts are in the database)", async () => {
    const otherUrl = (await stack.startWebServer()).url;
    const client = "203.0.113.9";
    const codes: number[] = [];
    for (let i = 0; i < 60; i++) {
      codes.push((await fetch(`${stack.appUrl}/n/not-a-token`, from(client))).status);
      codes.push((await fetch(`${otherUrl}/n/not-a-token`, from(client))).status);
    }
    expect(codes.filter((c) => c === 429)).toEqual([]);
    expect((await fetch(`${otherUrl}/n/not-a-token`, from(client))).status).toBe(429);
    expect((await fetch(`${stack.appUrl}/n/not-a-token`, from(client))).status).toBe(429);
    // The stored keys identify no one: a keyed hash of the address, never the address.
    const keys = (await stack.db.rateLimit.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toMatch(/203\.0\.113|198\.51\.100|127\.0\.0\.1/);
  });
});

/** Signed webhook headers for `body` (the way postWebhook signs, for requests sent byte by byte). */
function webhookHeaders(topic: string, body: Buffer | null): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Hmac-Sha256": body ? crypto.createHmac("sha256", API_SECRET).update(body).digest("base64") : "unsigned",
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": API_VERSION,
    "X-Shopify-Webhook-Id": crypto.randomUUID(),
  };
}

/**
 * POSTs `body` (or `total` bytes of filler) in 64 KB chunks — chunked unless a Content-Length header
 * is given — and stops writing as soon as the server answers. With `hold`, writes only the first chunk
 * and then waits. Resolves with the status (null: no answer within 20 s) and the bytes written by then.
 */
function streamPost(
  path: string,
  options: { headers: Record<string, string>; body?: Buffer; total?: number; hold?: boolean },
): Promise<{ status: number | null; written: number }> {
  const CHUNK = 64 * 1024;
  const body = options.body ?? null;
  const total = body ? body.length : options.total!;
  return new Promise((resolve) => {
    const req = http.request(new URL(path, stack.appUrl), { method: "POST", headers: options.headers });
    let written = 0;
    let status: number | null = null;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ status, written });
      req.destroy();
    };
    const deadline = setTimeout(settle, 20_000);
    req.on("response", (res) => {
      status = res.statusCode ?? null;
      res.resume();
      res.on("end", settle);
      res.on("error", settle);
    });
    req.on("error", () => setTimeout(settle, 200)); // the server closed the connection: the answer may still be in flight
    // One chunk a millisecond at most (≤ 64 MB/s): on loopback, an unpaced sender fills ~10 MB of
    // kernel buffers before it could see any answer, which would hide what the server read.
    const pump = () => {
      if (status !== null || settled) return;
      if (written >= total) return void req.end();
      const size = Math.min(CHUNK, total - written);
      const chunk = body ? body.subarray(written, written + size) : Buffer.alloc(size, 0x61);
      written += size;
      if (options.hold) return void req.write(chunk);
      if (req.write(chunk)) setTimeout(pump, 1);
      else req.once("drain", pump);
    };
    pump();
  });
}

describe("body caps", () => {
  it("answers 413 on the Content-Length alone, before the body is sent", async () => {
    const webhook = await streamPost("/webhooks/orders/updated", {
      headers: { ...webhookHeaders("orders/updated", null), "Content-Length": String(5 * 1024 * 1024) },
      total: 5 * 1024 * 1024,
      hold: true,
    });
    expect(webhook).toEqual({ status: 413, written: 64 * 1024 });
    const review = await streamPost("/r/not-a-token", {
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(300 * 1024) },
      total: 300 * 1024,
      hold: true,
    });
    expect(review).toEqual({ status: 413, written: 64 * 1024 });
    const flowRun = await streamPost("/flow/actions/award-loyalty-points", {
      headers: { "Content-Type": "application/json", "Content-Length": String(200 * 1024) },
      total: 200 * 1024,
      hold: true,
    });
    expect(flowRun).toEqual({ status: 413, written: 64 * 1024 });
  });

  it("stops reading a chunked body at the cap: 413 while the sender is far from done", async () => {
    const total = 64 * 1024 * 1024;
    const result = await streamPost("/webhooks/orders/updated", { headers: webhookHeaders("orders/updated", null), total });
    expect(result).toEqual({ status: 413, written: expect.any(Number) });
    // The cap is 1 MB; what the sender got out beyond it sits in loopback's kernel buffers (~10 MB).
    expect(result.written).toBeLessThan(24 * 1024 * 1024);
  });

  it("hands a body within the cap to the route intact, chunked or not (the webhook's signature verifies)", async () => {
    const payload = (id: number) =>
      Buffer.from(
        JSON.stringify({
          id,
          admin_graphql_api_id: `gid://shopify/Order/${id}`,
          name: "#9001",
          updated_at: new Date().toISOString(),
          note: "n".repeat(900 * 1024),
          line_items: [],
        }),
      );
    const chunked = payload(880001);
    expect(await streamPost("/webhooks/orders/updated", { headers: webhookHeaders("orders/updated", chunked), body: chunked })).toMatchObject({ status: 200 });
    const plain = payload(880002);
    expect((await postWebhook(stack.appUrl, "orders/updated", plain.toString(), { shop })).status).toBe(200);
    expect((await postWebhook(stack.appUrl, "orders/updated", plain.toString(), { shop, secret: "wrong" })).status).toBe(401);
  });
});
