// The thank-you extension's endpoint against the real server: checkout session tokens minted the way
// Shopify signs them (HS256 with the API secret), orders placed in the emulator and mirrored through
// the webhooks, offer codes created through the emulator's Admin API.
import type { Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutToken } from "../support/checkout-token";
import { BROWSER_UA, startStack, type Stack } from "../support/stack";

const OTHER_SHOP = "second-shop.myshopify.com";
let stack: Stack;
let shopDomain: string;
let shop: Shop;
let orderGid: string;
let customerGid: string;
let otherOrderGid: string;
let variantGid: string;

interface Placed {
  orderId: string;
  customerId: string;
}


const ORIGIN = "https://extensions.shopifycdn.com";
function get(orderId: string, token: string, query = "") {
  return fetch(`${stack.appUrl}/api/checkout/order?orderId=${encodeURIComponent(orderId)}${query}`, { headers: { Authorization: `Bearer ${token}`, Origin: ORIGIN, "User-Agent": BROWSER_UA } });
}
const createCalls = (code: string) =>
  stack.services.emulator.adminCalls(shopDomain).filter((c) => c.query.includes("discountCodeBasicCreate") && (c.variables?.input as { code?: string } | undefined)?.code === code);

beforeAll(async () => {
  stack = await startStack();
  shopDomain = stack.services.demoShop;
  expect((await stack.install()).status).toBe(200);
  expect((await stack.install(OTHER_SHOP)).status).toBe(200);
  shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const products = stack.services.emulator.shop(shopDomain).products;
  const trigger = products[0];
  const offered = products[1];
  variantGid = `gid://shopify/ProductVariant/${offered.variants[0].id}`;
  await stack.db.loyaltySettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, pointsPerUnit: 2 }, update: { pointsPerUnit: 2 } });
  await stack.db.offerRule.create({
    data: { shopId: shop.id, name: "Lower priority, any order", anyOrder: true, offerVariantId: variantGid, offerTitle: "Anything", discountPercent: 5, priority: 0 },
  });
  await stack.db.offerRule.create({
    data: {
      shopId: shop.id,
      name: "Bought the trigger",
      triggerProducts: JSON.stringify([`gid://shopify/Product/${trigger.id}`]),
      offerVariantId: variantGid,
      offerTitle: "Matching item",
      discountPercent: 15,
      expiryDays: 10,
      priority: 5,
    },
  });
  const placed = await stack.control<Placed>("/sandbox/api/orders", { email: `offers-${process.pid}@example.com`, country: "US", lineItems: [{ productId: trigger.id, price: "40.00" }] });
  orderGid = `gid://shopify/Order/${placed.orderId}`;
  customerGid = `gid://shopify/Customer/${placed.customerId}`;
  const other = await stack.control<Placed>(`/sandbox/api/orders?shop=${OTHER_SHOP}`, { email: `offers-other-${process.pid}@example.com`, country: "US" });
  otherOrderGid = `gid://shopify/Order/${other.orderId}`;
  const mirrored = await stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: orderGid } });
  expect(mirrored.subtotalCents).toBe(4000);
});
afterAll(async () => {
  await stack?.stop();
});

describe("GET /api/checkout/order", () => {
  it("answers the preflight with 204 and CORS headers", async () => {
    const res = await fetch(`${stack.appUrl}/api/checkout/order?orderId=${encodeURIComponent(orderGid)}`, {
      method: "OPTIONS",
      headers: { Origin: ORIGIN, "User-Agent": BROWSER_UA, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });

  it("returns points and the highest-priority matching offer with a customer-limited single-use code", async () => {
    const res = await get(orderGid, checkoutToken(shopDomain, { sub: customerGid }));
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = await res.json();
    expect(body).toMatchObject({ status: "ready", points: { earned: 80, status: "pending" }, offer: { title: "Matching item", percent: 15 } });
    expect(body.offer.code).toMatch(/^THANKS-[0-9A-Z]{10}$/);
    expect(body.offer.cartUrl).toBe(`https://${shop.primaryDomain ?? shopDomain}/cart/${variantGid.split("/").pop()}:1?discount=${body.offer.code}`);
    const calls = createCalls(body.offer.code);
    expect(calls).toHaveLength(1);
    expect(calls[0].variables?.input).toMatchObject({ usageLimit: 1, customerSelection: { customers: { add: [customerGid] } } });
    const row = await stack.db.discountCode.findUniqueOrThrow({ where: { shopId_code: { shopId: shop.id, code: body.offer.code } } });
    expect(row).toMatchObject({ purpose: "offer", status: "created", customerShopifyId: customerGid, value: 15 });
    expect(body.offer.expiresAt).toBe(row.endsAt.toISOString());
  });

  it("returns the same code on a second call, creates it once, and counts the impressions", async () => {
    const token = checkoutToken(shopDomain, { sub: customerGid });
    const first = await (await get(orderGid, token)).json();
    const second = await (await get(orderGid, token)).json();
    expect(second.offer.code).toBe(first.offer.code);
    expect(createCalls(first.offer.code)).toHaveLength(1);
    const grants = await stack.db.offerGrant.findMany({ where: { shopId: shop.id, orderGid } });
    expect(grants).toHaveLength(1);
    expect(grants[0].impressions).toBeGreaterThanOrEqual(3);
  });

  it("rejects a token signed with another secret (401) and has no open path without a token", async () => {
    expect((await get(orderGid, checkoutToken(shopDomain, {}, "wrong-secret"))).status).toBe(401);
    const res = await fetch(`${stack.appUrl}/api/checkout/order?orderId=${encodeURIComponent(orderGid)}`, { headers: { Origin: ORIGIN, "User-Agent": BROWSER_UA } });
    expect(res.status).toBe(401);
  });

  it("does not hand this shop's order to another shop's token (404), nor another shop's order to this token", async () => {
    const foreign = await get(orderGid, checkoutToken(OTHER_SHOP));
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("access-control-allow-origin")).toBe("*");
    expect((await get(otherOrderGid, checkoutToken(shopDomain))).status).toBe(404);
    expect((await get(orderGid, checkoutToken(shopDomain, { sub: "gid://shopify/Customer/999999" }))).status).toBe(404);
  });

  it("answers pending with estimated points before orders/create arrived", async () => {
    const res = await get("gid://shopify/Order/987654321", checkoutToken(shopDomain), "&subtotal=12.50");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "pending", estimatedPoints: 25 });
  });

  it("records a click and a later order using the code as a conversion with its revenue", async () => {
    const { offer } = await (await get(orderGid, checkoutToken(shopDomain, { sub: customerGid }))).json();
    const click = await fetch(`${stack.appUrl}/api/checkout/order`, {
      method: "POST",
      headers: { Authorization: `Bearer ${checkoutToken(shopDomain, { sub: customerGid })}`, Origin: ORIGIN, "User-Agent": BROWSER_UA, "Content-Type": "application/json" },
      body: JSON.stringify({ orderId: orderGid, event: "click" }),
    });
    expect(await click.json()).toEqual({ recorded: true });
    const { recordOfferConversions, offerPerformance } = await import("../../app/engine/offers/grants");
    expect(await recordOfferConversions(stack.db, shop.id, { shopifyId: "gid://shopify/Order/555", totalCents: 2500 }, [offer.code.toLowerCase()])).toBe(1);
    expect(await recordOfferConversions(stack.db, shop.id, { shopifyId: "gid://shopify/Order/556", totalCents: 9900 }, [offer.code])).toBe(0);
    const grant = await stack.db.offerGrant.findFirstOrThrow({ where: { shopId: shop.id, orderGid } });
    const perf = (await offerPerformance(stack.db, shop.id)).get(grant.ruleId);
    expect(perf).toMatchObject({ grants: 1, clicks: 1, conversions: 1, revenueCents: 2500 });
  });
});

describe("admin › Offers", () => {
  it("renders the rules and their performance", async () => {
    const res = await stack.adminGet("/app/offers");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Matching item");
    expect(html).toContain("Impressions");
  });
});
