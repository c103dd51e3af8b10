import { beforeEach, describe, expect, it } from "vitest";
import { sandboxRequest, useTestSandbox, type TestSandbox } from "../testing/fake-app";
import { examplePayload } from "./examples";

let t: TestSandbox;
useTestSandbox((started) => void (t = started));
beforeEach(() => {
  t.app.received.length = 0;
  t.app.respondWith.length = 0;
});

const SHOP = "trustloop-demo.myshopify.com";
const control = (path: string, body?: unknown, method = "POST") => sandboxRequest(t, path, { body, method });
const topics = () => t.app.received.map((w) => w.topic);
const last = (topic: string) => [...t.app.received].reverse().find((w) => w.topic === topic)!;

/** No number in the payload may exceed 2^53 (JSON.parse would round it). */
function assertSafeNumbers(raw: string) {
  for (const m of raw.matchAll(/(?<![\w."-])\d{16,}(?![\w."-])/g)) expect(Number.isSafeInteger(Number(m[0])), m[0]).toBe(true);
}

describe("order webhooks", () => {
  it("delivers orders/create then orders/paid, signed, example-shaped, with real values", async () => {
    const r = await control(`/_control/shops/${SHOP}/orders`, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      country: "GB",
      marketingConsent: true,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      orderId: expect.stringMatching(/^\d+$/),
      orderName: expect.stringMatching(/^#\d{4}$/),
      customerId: expect.stringMatching(/^\d+$/),
      email: "ada@example.com",
    });
    expect(topics()).toEqual(["orders/create", "orders/paid"]);
    for (const w of t.app.received) {
      expect(w.hmacValid).toBe(true);
      expect(w.path).toBe("/webhooks/commerce");
      expect(w.headers["x-shopify-shop-domain"]).toBe(SHOP);
      expect(w.headers["x-shopify-api-version"]).toBe("2026-07");
      expect(w.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(w.headers["x-shopify-event-id"]).toBeTruthy();
      // Nanoseconds as Shopify writes them: whole seconds would date an event before the install it follows.
      expect(w.headers["x-shopify-triggered-at"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(w.headers["user-agent"]).toBe("Shopify-Captain-Hook");
      expect(w.headers["content-type"]).toBe("application/json");
      assertSafeNumbers(w.rawBody);
    }
    const body = t.app.received[0].body;
    for (const key of Object.keys(examplePayload("orders/create", "2026-07"))) expect(body).toHaveProperty(key);
    expect(body).toMatchObject({
      id: Number(r.json.orderId),
      admin_graphql_api_id: `gid://shopify/Order/${r.json.orderId}`,
      name: r.json.orderName,
      email: "ada@example.com",
      financial_status: "paid",
      fulfillment_status: null,
      cancelled_at: null,
      buyer_accepts_marketing: true,
      currency: "USD",
      shipping_address: { country_code: "GB", first_name: "Ada" },
      customer: { id: Number(r.json.customerId), email: "ada@example.com", first_name: "Ada" },
    });
    expect((body.line_items as any[]).length).toBe(1);
    expect(body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/);
    expect(
      t.sandbox.emulator
        .webhookLog()
        .slice(-2)
        .map((d) => [d.topic, d.status]),
    ).toEqual([
      ["orders/create", 200],
      ["orders/paid", 200],
    ]);
  });

  it("delivers an order placed in another currency as Shopify's multi-currency order (shop amounts at the demo rate)", async () => {
    const r = await control(`/_control/shops/${SHOP}/orders`, { email: "euro@example.com", currency: "eur", lineItems: [{ price: "1234.50" }] });
    expect(r.status).toBe(200);
    const both = { shop_money: { amount: "1333.26", currency_code: "USD" }, presentment_money: { amount: "1234.50", currency_code: "EUR" } };
    const body = last("orders/create").body as any;
    expect(body).toMatchObject({ currency: "USD", presentment_currency: "EUR", total_price: "1333.26", total_price_set: both, subtotal_price_set: both });
    expect(body.line_items[0]).toMatchObject({ price: "1333.26", price_set: both });
    expect(body.total_tax_set.presentment_money.currency_code).toBe("EUR");
    expect(body.total_tax_set.shop_money.currency_code).toBe("USD");
  });

  it("places an order in the shop's currency as a single-currency order, and refuses a currency the sandbox does not convert", async () => {
    await control(`/_control/shops/${SHOP}/orders`, { email: "dollar@example.com", currency: "USD", lineItems: [{ price: "20.00" }] });
    const body = last("orders/create").body as any;
    expect(body).toMatchObject({ currency: "USD", presentment_currency: "USD", total_price: "20.00" });
    expect(body.total_price_set.presentment_money).toEqual({ amount: "20.00", currency_code: "USD" });
    expect((await control(`/_control/shops/${SHOP}/orders`, { email: "franc@example.com", currency: "CHF" })).status).toBe(422);
  });

  it("fulfill -> events -> delivered, with tracking and shipment status", async () => {
    const { orderId } = await t.sandbox.emulator.placeOrder(SHOP, { lineItems: [{ quantity: 2 }] });
    t.app.received.length = 0;
    const f = await control(`/_control/shops/${SHOP}/orders/${orderId}/fulfill`, {
      trackingNumber: "1ZTEST123",
      company: "UPS",
      estimatedDeliveryAt: "2030-01-05T12:00:00Z",
    });
    expect(f.status).toBe(200);
    expect(topics()).toEqual(["fulfillments/create", "orders/fulfilled", "orders/updated"]);
    const created = last("fulfillments/create").body;
    for (const key of Object.keys(examplePayload("fulfillments/create", "2026-07"))) expect(created).toHaveProperty(key);
    expect(created).toMatchObject({
      id: Number(f.json.fulfillmentId),
      order_id: Number(orderId),
      status: "success",
      tracking_company: "UPS",
      tracking_number: "1ZTEST123",
      tracking_numbers: ["1ZTEST123"],
      shipment_status: null,
    });
    expect((created.line_items as any[])[0].quantity).toBe(2);
    expect(last("orders/fulfilled").body).toMatchObject({ fulfillment_status: "fulfilled", fulfillments: [{ id: Number(f.json.fulfillmentId) }] });

    t.app.received.length = 0;
    const bad = await control(`/_control/shops/${SHOP}/fulfillments/${f.json.fulfillmentId}/events`, { status: "lost_in_space" });
    expect(bad.status).toBe(400);
    const ev = await control(`/_control/shops/${SHOP}/fulfillments/${f.json.fulfillmentId}/events`, { status: "in_transit", message: "Departed facility" });
    expect(topics()).toEqual(["fulfillment_events/create", "fulfillments/update"]);
    expect(last("fulfillment_events/create").body).toMatchObject({
      id: Number(ev.json.eventId),
      fulfillment_id: Number(f.json.fulfillmentId),
      order_id: Number(orderId),
      status: "in_transit",
      message: "Departed facility",
    });
    expect(last("fulfillments/update").body).toMatchObject({ shipment_status: "in_transit" });
    const firstUpdate = Date.parse(last("fulfillments/update").body.updated_at as string);

    await control(`/_control/shops/${SHOP}/fulfillments/${f.json.fulfillmentId}/events`, { status: "delivered" });
    const upd = last("fulfillments/update").body;
    expect(upd.shipment_status).toBe("delivered");
    expect(Date.parse(upd.updated_at as string)).toBeGreaterThan(firstUpdate);
  });

  it("partial fulfillment does not send orders/fulfilled", async () => {
    const { orderId } = await t.sandbox.emulator.placeOrder(SHOP, { lineItems: [{ quantity: 1 }, { quantity: 1 }] });
    const order = t.sandbox.emulator.state.shop(SHOP)!.orders.find((o) => String(o.id) === orderId)!;
    t.app.received.length = 0;
    await t.sandbox.emulator.fulfillOrder(SHOP, orderId, { lineItems: [{ lineItemId: order.lineItems[0].id, quantity: 1 }] });
    expect(topics()).toEqual(["fulfillments/create", "orders/updated"]);
    expect(last("orders/updated").body.fulfillment_status).toBe("partial");
  });

  it("cancel and refund", async () => {
    const { orderId } = await t.sandbox.emulator.placeOrder(SHOP, { lineItems: [{ price: "50.00", quantity: 2 }] });
    t.app.received.length = 0;
    const partial = await control(`/_control/shops/${SHOP}/orders/${orderId}/refund`, { amount: "30.00" });
    expect(topics()).toEqual(["refunds/create", "orders/updated"]);
    expect(last("refunds/create").body).toMatchObject({
      id: Number(partial.json.refundId),
      order_id: Number(orderId),
      refund_line_items: [],
      transactions: [{ kind: "refund", amount: "30.00", status: "success" }],
    });
    expect(last("orders/updated").body).toMatchObject({ financial_status: "partially_refunded", refunds: [{ id: Number(partial.json.refundId) }] });

    t.app.received.length = 0;
    await control(`/_control/shops/${SHOP}/orders/${orderId}/cancel`);
    expect(topics()).toEqual(["orders/cancelled", "orders/updated"]);
    expect(last("orders/cancelled").body).toMatchObject({ cancel_reason: "customer", cancelled_at: expect.any(String) });
    expect((await control(`/_control/shops/${SHOP}/orders/${orderId}/cancel`)).status).toBe(422);

    const { orderId: other } = await t.sandbox.emulator.placeOrder(SHOP, { lineItems: [{ price: "20.00", quantity: 1 }] });
    t.app.received.length = 0;
    await control(`/_control/shops/${SHOP}/orders/${other}/refund`);
    const refund = last("refunds/create").body;
    for (const key of Object.keys(examplePayload("refunds/create", "2026-07"))) expect(refund).toHaveProperty(key);
    expect(refund.refund_line_items).toHaveLength(1);
    expect(last("orders/updated").body.financial_status).toBe("refunded");
  });
});

describe("delivery mechanics", () => {
  it("retries failures with the same webhook id and redelivers duplicates", async () => {
    t.app.respondWith.push(500);
    await t.sandbox.emulator.placeOrder(SHOP);
    const [failed, retried] = t.app.received;
    expect(failed.headers["x-shopify-webhook-id"]).toBe(retried.headers["x-shopify-webhook-id"]);
    expect(failed.topic).toBe("orders/create");
    const id = String(retried.headers["x-shopify-webhook-id"]);
    const log = (await control("/_control/webhooks", undefined, "GET")).json as any[];
    expect(log.filter((d) => d.id === id).map((d) => d.status)).toEqual([500, 200]);

    t.app.received.length = 0;
    const again = await control("/_control/webhooks/redeliver", { id });
    expect(again.json).toMatchObject({ id, ok: true, status: 200 });
    expect(t.app.received[0].headers["x-shopify-webhook-id"]).toBe(id);
    expect(t.app.received[0].rawBody).toBe(retried.rawBody);
  });

  it("delivers compliance topics and app/uninstalled; skips unsubscribed topics", async () => {
    const r = await control(`/_control/shops/${SHOP}/webhooks`, { topic: "customers/redact" });
    expect(r.json.webhooks[0]).toMatchObject({ topic: "customers/redact", ok: true });
    expect(last("customers/redact")).toMatchObject({
      path: "/webhooks/compliance",
      body: { shop_domain: SHOP, customer: { email: expect.stringContaining("@example.com") } },
    });
    await control(`/_control/shops/${SHOP}/webhooks`, { topic: "shop/redact", payload: { shop_id: 1 } });
    expect(last("shop/redact").body).toEqual({ shop_id: 1, shop_domain: SHOP });
    const skipped = await control(`/_control/shops/${SHOP}/webhooks`, { topic: "products/update" });
    expect(skipped.json.webhooks).toEqual([{ topic: "products/update", status: "not-subscribed" }]);

    await control("/_control/shops/other-shop.myshopify.com/uninstall");
    expect(last("app/uninstalled")).toMatchObject({ path: "/webhooks/app/uninstalled", body: { myshopify_domain: "other-shop.myshopify.com" } });
  });
});

describe("control API", () => {
  it("moves the clock and stamps new orders with it", async () => {
    const s = await control("/_control/clock", { offsetMs: 3 * 86_400_000 });
    expect(Date.parse(s.json.now) - Date.now()).toBeGreaterThan(3 * 86_400_000 - 5000);
    const { orderId } = await t.sandbox.emulator.placeOrder(SHOP);
    const orders = (await control(`/_control/shops/${SHOP}/orders`, undefined, "GET")).json as any[];
    const o = orders.find((x) => x.id === orderId);
    expect(Date.parse(o.createdAt) - Date.now()).toBeGreaterThan(3 * 86_400_000 - 5000);
    expect(o).toMatchObject({ financialStatus: "paid", fulfillmentStatus: null, cancelled: false });
    await control("/_control/clock", { offsetMs: 0 });
    const status = (await control("/_control/status", undefined, "GET")).json;
    expect(status).toMatchObject({ demoShop: SHOP, shops: expect.arrayContaining([SHOP]) });
    expect(orders.filter((x) => x.createdAt < new Date(Date.now() - 86_400_000).toISOString()).length).toBeGreaterThanOrEqual(2);
  });
});
