import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WEBHOOK_TOPICS } from "../../app/engine/webhooks/topics";
import { readAppToml } from "../../sandbox/app-toml";
import { orderPayload } from "../support/order-payload";
import { postWebhook, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

const ROOT = path.resolve(import.meta.dirname, "../..");
let stack: Stack;
let shop: string;

useStack({ install: true }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});

describe("shopify.app.toml subscriptions", () => {
  const toml = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");
  const { subscriptions } = readAppToml(path.join(ROOT, "shopify.app.toml"));

  it("subscribes every topic, each at /webhooks/<topic>, annotated with an existing route file", () => {
    const subscribed = subscriptions.flatMap((s) => s.topics.map((topic) => ({ topic, uri: s.uri })));
    expect(subscribed.map((s) => s.topic).sort()).toEqual([...WEBHOOK_TOPICS].sort());
    for (const { topic, uri } of subscribed) {
      expect(uri).toBe(`/webhooks/${topic}`);
      const file = `app/routes/webhooks.${topic.replace("/", ".")}.tsx`;
      expect(toml).toContain(`# Handled by: ${file}`);
      expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
    }
  });
});

describe("webhook intake", () => {
  it("a correctly signed delivery of every subscribed topic reaches its route and is applied", async () => {
    // The emulator sends Shopify's example payload of each topic, signed, to the toml's URI.
    const compliance = ["customers/data_request", "customers/redact", "app/scopes_update"];
    const mirror = WEBHOOK_TOPICS.filter((t) => !compliance.includes(t) && t !== "app/uninstalled" && t !== "shop/redact");
    for (const topic of [...mirror, ...compliance]) {
      await stack.emulator(`/shops/${shop}/webhooks`, { topic });
    }
    await stack.applyWebhooks();
    const rows = await stack.db.webhookDelivery.findMany({ where: { shopDomain: shop } });
    for (const topic of [...mirror, ...compliance]) {
      const row = rows.find((r) => r.topic === topic);
      expect(row, topic).toBeDefined();
      // Shopify's example bodies of the order topics are one order: after the first, the others are
      // settled as already applied (decision 035).
      const sameAsEarlier = row!.reason?.match(/^same payload as webhook (\S+), already applied$/)?.[1];
      if (sameAsEarlier)
        expect(
          rows.find((r) => r.webhookId === sameAsEarlier),
          topic,
        ).toMatchObject({ status: "applied", reason: null });
      expect({ topic, status: row!.status, reason: sameAsEarlier ? null : row!.reason, payload: row!.payload }).toEqual({
        topic,
        status: "applied",
        reason: null,
        payload: null,
      });
    }
    expect(rows.filter((r) => r.reason?.startsWith("same payload")).length).toBeGreaterThan(0);
  });

  it("records a mirror delivery with its ids and payload, and applies it later (the worker's job, here the sandbox's)", async () => {
    const triggeredAt = "2026-11-20T10:00:01.123456789Z";
    const response = await postWebhook(stack.appUrl, "orders/create", orderPayload(9050, "2026-11-20T10:00:00Z"), {
      shop,
      webhookId: "inbox-9050",
      eventId: "event-9050",
      triggeredAt,
    });
    expect(response.headers.get("x-trustloop-outcome")).toBe("received");
    const waiting = await stack.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: "inbox-9050" } });
    expect(waiting).toMatchObject({ status: "received", eventId: "event-9050", topic: "orders/create", appliedAt: null });
    expect(waiting.triggeredAt?.toISOString()).toBe("2026-11-20T10:00:01.123Z");
    expect((waiting.payload as { name: string }).name).toBe("#T9050");
    expect(await stack.db.order.count({ where: { shopifyId: "gid://shopify/Order/9050" } })).toBe(0);

    expect(await stack.applyWebhooks()).toBeGreaterThanOrEqual(1);
    const applied = await stack.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: "inbox-9050" } });
    expect(applied).toMatchObject({ status: "applied", payload: null, resourceId: "gid://shopify/Order/9050" });
    expect(applied.appliedAt).not.toBeNull();
    expect(await stack.db.order.count({ where: { shopifyId: "gid://shopify/Order/9050" } })).toBe(1);
  });

  it("answers 401 to a bad signature and records nothing", async () => {
    const response = await postWebhook(stack.appUrl, "orders/create", orderPayload(9001, "2026-11-20T10:00:00Z"), {
      shop,
      secret: "wrong",
      webhookId: "bad-sig-1",
    });
    expect(response.status).toBe(401);
    expect(await stack.db.webhookDelivery.count({ where: { webhookId: "bad-sig-1" } })).toBe(0);
    expect(await stack.db.order.count({ where: { shopifyId: "gid://shopify/Order/9001" } })).toBe(0);
  });

  it("records the same delivery sent three times once, and applies it once", async () => {
    const body = orderPayload(9100, "2026-11-20T10:00:00Z");
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const response = await postWebhook(stack.appUrl, "orders/create", body, { shop, webhookId: "dup-9100" });
      expect(response.status).toBe(200);
      outcomes.push(response.headers.get("x-trustloop-outcome"));
    }
    expect(outcomes).toEqual(["received", "duplicate", "duplicate"]);
    await stack.applyWebhooks();
    expect(await stack.db.webhookDelivery.count({ where: { webhookId: "dup-9100" } })).toBe(1);
    const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: "gid://shopify/Order/9100" }, include: { lineItems: true } });
    expect(order.lineItems).toHaveLength(1);
    expect(order).toMatchObject({ name: "#T9100", totalCents: 2500, subtotalCents: 2000, shipCountry: "FR", placeholder: false });
  });

  it("keeps a fulfillment that arrives before its order, and converges when the order comes", async () => {
    const fulfillment = {
      id: 9201,
      order_id: 9200,
      status: "success",
      tracking_company: "UPS",
      tracking_number: "1Z999",
      shipment_status: "in_transit",
      created_at: "2026-11-21T09:00:00Z",
      updated_at: "2026-11-21T09:00:00Z",
      line_items: [{ id: 9202, quantity: 2 }],
    };
    await postWebhook(stack.appUrl, "fulfillments/create", fulfillment, { shop });
    await stack.applyWebhooks();
    const placeholder = await stack.db.order.findFirstOrThrow({ where: { shopifyId: "gid://shopify/Order/9200" }, include: { fulfillments: true } });
    expect(placeholder.placeholder).toBe(true);
    expect(placeholder.fulfillments).toHaveLength(1);

    await postWebhook(stack.appUrl, "orders/create", orderPayload(9200, "2026-11-20T10:00:00Z"), { shop });
    await stack.applyWebhooks();
    const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: "gid://shopify/Order/9200" }, include: { fulfillments: true } });
    expect(order).toMatchObject({ placeholder: false, name: "#T9200", email: "buyer@example.com" });
    expect(order.fulfillments).toHaveLength(1);
    expect(order.fulfillments[0]).toMatchObject({ trackingCompany: "UPS", shipmentStatus: "in_transit", trackingNumbers: ["1Z999"] });
  });

  it("ignores an older version of an order that arrives after a newer one", async () => {
    await postWebhook(
      stack.appUrl,
      "orders/cancelled",
      orderPayload(9300, "2026-11-21T12:00:00Z", { cancelled_at: "2026-11-21T12:00:00Z", cancel_reason: "customer" }),
      { shop },
    );
    await postWebhook(stack.appUrl, "orders/paid", orderPayload(9300, "2026-11-21T11:00:00Z"), { shop });
    await stack.applyWebhooks();
    const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: "gid://shopify/Order/9300" } });
    expect(order.cancelReason).toBe("customer");
    expect(order.cancelledAt?.toISOString()).toBe("2026-11-21T12:00:00.000Z");
  });

  it("keeps ids above 2^53 exact", async () => {
    const raw = JSON.stringify(orderPayload(1, "2026-11-20T10:00:00Z"))
      .replace('"id":1,', '"id":820982911946154508,')
      .replace('"admin_graphql_api_id":"gid://shopify/Order/1",', "");
    await postWebhook(stack.appUrl, "orders/create", raw, { shop });
    await stack.applyWebhooks();
    expect(await stack.db.order.count({ where: { shopifyId: "gid://shopify/Order/820982911946154508" } })).toBe(1);
  });

  it("records a correctly signed but malformed payload as rejected, answers 200 and keeps running", async () => {
    const notJson = await postWebhook(stack.appUrl, "orders/create", "{not json", { shop, webhookId: "bad-json-1" });
    expect(notJson.status).toBe(200);
    const missingId = await postWebhook(stack.appUrl, "orders/updated", { name: "#X", updated_at: "2026-11-20T10:00:00Z" }, { shop, webhookId: "bad-shape-1" });
    expect(missingId.status).toBe(200);
    // Not JSON: rejected by the route. JSON of the wrong shape: recorded, rejected by the applier.
    expect([notJson.headers.get("x-trustloop-outcome"), missingId.headers.get("x-trustloop-outcome")]).toEqual(["rejected", "received"]);
    await stack.applyWebhooks();
    const rows = await stack.db.webhookDelivery.findMany({ where: { webhookId: { in: ["bad-json-1", "bad-shape-1"] } }, orderBy: { webhookId: "asc" } });
    expect(rows.map((r) => [r.webhookId, r.status, r.reason])).toEqual([
      ["bad-json-1", "rejected", "body is not valid JSON"],
      ["bad-shape-1", "rejected", "invalid payload: id: Required"],
    ]);
    expect((await fetch(`${stack.appUrl}/healthz`)).status).toBe(200);
  });

  it("answers 400 when Shopify's headers are missing", async () => {
    const response = await fetch(`${stack.appUrl}/webhooks/orders/create`, { method: "POST", body: "{}" });
    expect(response.status).toBe(400);
  });

  it("applies the emulator's order lifecycle to the mirror: create, fulfil, carrier events, refund, cancel", async () => {
    const placed = await stack.place({ email: "life@example.com", country: "CA", province: "ON" });
    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, {
      trackingNumber: "TRK-1",
      company: "Canada Post",
      estimatedDeliveryAt: "2026-12-01T12:00:00Z",
    });
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "in_transit" });
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
    await stack.control(`/sandbox/api/orders/${placed.orderId}/refund`, { amount: "5.00" });

    const order = await stack.db.order.findFirstOrThrow({
      where: { shopifyId: `gid://shopify/Order/${placed.orderId}` },
      include: { fulfillments: { include: { events: true } }, refunds: true, lineItems: true },
    });
    expect(order).toMatchObject({ name: placed.orderName, shipCountry: "CA", shipProvince: "ON", financialStatus: "partially_refunded" });
    expect(order.lineItems.length).toBeGreaterThan(0);
    expect(order.fulfillments).toHaveLength(1);
    expect(order.fulfillments[0].events.map((e) => e.status).sort()).toEqual(["delivered", "in_transit"]);
    expect(order.fulfillments[0].shipmentStatus).toBe("delivered");
    expect(order.fulfillments[0].deliveredAt).not.toBeNull();
    expect(order.refunds.map((r) => r.amountCents)).toEqual([500]);

    await stack.control(`/sandbox/api/orders/${placed.orderId}/cancel`, {});
    const cancelled = await stack.db.order.findFirstOrThrow({ where: { shopifyId: `gid://shopify/Order/${placed.orderId}` } });
    expect(cancelled.cancelledAt).not.toBeNull();
  });

  it("never logs payloads or email addresses", () => {
    expect(stack.output()).not.toMatch(/@example\.com/);
  });
});
