// The thank-you extension's endpoint against the real server: checkout session tokens minted the way
// Shopify signs them (HS256 with the API secret), orders placed in the emulator and mirrored through
// the webhooks, offer codes created through the emulator's Admin API.
import type { Shop } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { checkoutToken, EXTENSION_ORIGIN, getCheckout, postCheckout } from "../support/checkout-token";
import { BROWSER_UA, type Stack, discountCodeCreateCalls } from "../support/stack";
import { useStack } from "../support/use-stack";

const OTHER_SHOP = "second-shop.myshopify.com";
let stack: Stack;
let shopDomain: string;
let shop: Shop;
let orderGid: string;
let customerGid: string;
let otherOrderGid: string;
let variantGid: string;

const ORIGIN = EXTENSION_ORIGIN;
let confirmation: string;
let guestOrderGid: string;
let guestConfirmation: string;
const get = (orderId: string, token: string, query: Record<string, string> = {}) => getCheckout(stack.appUrl, token, { orderId, ...query });
const view = (orderId: string, token: string, extra: { confirmation?: string | null; subtotal?: string } = {}) =>
  postCheckout(stack.appUrl, token, { orderId, event: "view", ...extra });
const createCalls = (code: string) => discountCodeCreateCalls(stack, shopDomain, code);

useStack({ install: true }, async (started) => {
  stack = started;
  shopDomain = stack.services.demoShop;
  expect((await stack.install(OTHER_SHOP)).status).toBe(200);
  shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const products = stack.services.emulator.shop(shopDomain).products;
  const trigger = products[0];
  const offered = products[1];
  variantGid = `gid://shopify/ProductVariant/${offered.variants[0].id}`;
  await stack.db.loyaltySettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, pointsPerUnit: 2 }, update: { pointsPerUnit: 2 } });
  await stack.db.offerRule.create({
    data: {
      shopId: shop.id,
      name: "Lower priority, any order",
      anyOrder: true,
      offerVariantId: variantGid,
      offerTitle: "Anything",
      discountPercent: 5,
      priority: 0,
    },
  });
  await stack.db.offerRule.create({
    data: {
      shopId: shop.id,
      name: "Bought the trigger",
      triggerProducts: [`gid://shopify/Product/${trigger.id}`],
      offerVariantId: variantGid,
      offerTitle: "Matching item",
      discountPercent: 15,
      expiryDays: 10,
      priority: 5,
    },
  });
  const placed = await stack.place({ email: `offers-${process.pid}@example.com`, country: "US", lineItems: [{ productId: trigger.id, price: "40.00" }] });
  orderGid = `gid://shopify/Order/${placed.orderId}`;
  customerGid = `gid://shopify/Customer/${placed.customerId}`;
  const other = await stack.place({ email: `offers-other-${process.pid}@example.com`, country: "US" }, OTHER_SHOP);
  otherOrderGid = `gid://shopify/Order/${other.orderId}`;
  const mirrored = await stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: orderGid } });
  expect(mirrored.subtotalCents).toBe(4000);
  confirmation = mirrored.confirmationNumber!;
  expect(confirmation).toMatch(/^[A-Z0-9]{9}$/);
  // A second order of the shop, whose thank-you page a guest shopper is looking at.
  const guest = await stack.place({ email: `offers-guest-${process.pid}@example.com`, country: "US" });
  guestOrderGid = `gid://shopify/Order/${guest.orderId}`;
  guestConfirmation = (await stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: guestOrderGid } })).confirmationNumber!;
});

describe("/api/checkout/order", () => {
  it("answers the preflight with 204 and CORS headers", async () => {
    const res = await fetch(`${stack.appUrl}/api/checkout/order`, {
      method: "OPTIONS",
      headers: {
        Origin: ORIGIN,
        "User-Agent": BROWSER_UA,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });

  it("GET changes nothing: no grant, no code, no impression, no setup mark — and shows no offer before one was presented", async () => {
    const res = await get(orderGid, checkoutToken(shopDomain, { sub: customerGid }), { confirmation });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", points: { earned: 80, status: "pending" }, offer: null });
    expect(await stack.db.offerGrant.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await stack.db.discountCode.count({ where: { shopId: shop.id, purpose: "offer" } })).toBe(0);
    expect(stack.services.emulator.adminCalls(shopDomain).filter((c) => c.query.includes("discountCodeBasicCreate"))).toHaveLength(0);
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).extensionSeenAt).toBeNull();
  });

  it("a view (POST) presents the highest-priority matching offer with a customer-limited single-use code", async () => {
    const res = await view(orderGid, checkoutToken(shopDomain, { sub: customerGid }), { confirmation });
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
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).extensionSeenAt).not.toBeNull();
  });

  it("returns the same code on later views, creates it once, counts each view — and GET shows it without counting", async () => {
    const token = checkoutToken(shopDomain, { sub: customerGid });
    const first = await (await view(orderGid, token)).json();
    const second = await (await view(orderGid, token, { confirmation })).json();
    expect(second.offer.code).toBe(first.offer.code);
    expect(createCalls(first.offer.code)).toHaveLength(1);
    const grants = await stack.db.offerGrant.findMany({ where: { shopId: shop.id, orderGid } });
    expect(grants).toHaveLength(1);
    expect(grants[0].impressions).toBe(3);
    const read = await (await get(orderGid, token)).json();
    expect(read.offer.code).toBe(first.offer.code);
    expect((await stack.db.offerGrant.findUniqueOrThrow({ where: { id: grants[0].id } })).impressions).toBe(3);
  });

  it("rejects a token signed with another secret (401) and has no open path without a token", async () => {
    expect((await get(orderGid, checkoutToken(shopDomain, {}, "wrong-secret"))).status).toBe(401);
    const res = await fetch(`${stack.appUrl}/api/checkout/order?orderId=${encodeURIComponent(orderGid)}`, {
      headers: { Origin: ORIGIN, "User-Agent": BROWSER_UA },
    });
    expect(res.status).toBe(401);
  });

  it("does not hand this shop's order to another shop's token (404), nor another shop's order to this token", async () => {
    const foreign = await view(orderGid, checkoutToken(OTHER_SHOP), { confirmation });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("access-control-allow-origin")).toBe("*");
    expect((await view(otherOrderGid, checkoutToken(shopDomain))).status).toBe(404);
    expect((await view(orderGid, checkoutToken(shopDomain, { sub: "gid://shopify/Customer/999999" }))).status).toBe(404);
  });

  it("a guest token gets the order only with its confirmation number: the order id alone or a wrong number is a 404, and nothing is created", async () => {
    const guest = checkoutToken(shopDomain);
    for (const res of [
      await view(guestOrderGid, guest),
      await view(guestOrderGid, guest, { confirmation: "WRONG1234" }),
      await get(guestOrderGid, guest),
      await view(orderGid, guest),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "not found" });
    }
    expect(await stack.db.offerGrant.count({ where: { shopId: shop.id, orderGid: guestOrderGid } })).toBe(0);
    const click = await postCheckout(stack.appUrl, guest, { orderId: orderGid, event: "click" });
    expect(click.status).toBe(404);

    const res = await view(guestOrderGid, guest, { confirmation: guestConfirmation.toLowerCase() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ready", offer: { code: expect.stringMatching(/^THANKS-/) } });
    expect(await stack.db.offerGrant.count({ where: { shopId: shop.id, orderGid: guestOrderGid } })).toBe(1);
  });

  it("answers pending with estimated points before orders/create arrived, on GET and on a view", async () => {
    const res = await get("gid://shopify/Order/987654321", checkoutToken(shopDomain), { subtotal: "12.50" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "pending", estimatedPoints: 25 });
    const viewed = await view("gid://shopify/Order/987654321", checkoutToken(shopDomain), { confirmation: "ANY", subtotal: "12.50" });
    expect(await viewed.json()).toEqual({ status: "pending", estimatedPoints: 25 });
    expect(await stack.db.offerGrant.count({ where: { orderGid: "gid://shopify/Order/987654321" } })).toBe(0);
  });

  it("records a click and a later order using the code as a conversion with its revenue", async () => {
    const { offer } = await (await view(orderGid, checkoutToken(shopDomain, { sub: customerGid }))).json();
    const click = await postCheckout(stack.appUrl, checkoutToken(shopDomain, { sub: customerGid }), { orderId: orderGid, confirmation, event: "click" });
    expect(await click.json()).toEqual({ recorded: true });
    const { recordOfferConversions, offerPerformance } = await import("../../app/engine/offers/performance");
    expect(await recordOfferConversions(stack.db, shop.id, { shopifyId: "gid://shopify/Order/555", totalCents: 2500 }, [offer.code.toLowerCase()])).toBe(1);
    expect(await recordOfferConversions(stack.db, shop.id, { shopifyId: "gid://shopify/Order/556", totalCents: 9900 }, [offer.code])).toBe(0);
    const grant = await stack.db.offerGrant.findFirstOrThrow({ where: { shopId: shop.id, orderGid } });
    const perf = (await offerPerformance(stack.db, shop.id)).get(grant.ruleId);
    expect(perf).toMatchObject({ grants: 1, clicks: 1, conversions: 1, revenueCents: 2500 });
  });

  it("refuses an order older than TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS (410), creating nothing", async () => {
    const placedAt = (await stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: guestOrderGid } })).placedAt!;
    await stack.advanceTo(new Date(placedAt.getTime() + 29 * 86_400_000));
    expect((await get(guestOrderGid, checkoutToken(shopDomain), { confirmation: guestConfirmation })).status).toBe(200);
    await stack.advanceTo(new Date(placedAt.getTime() + 31 * 86_400_000));
    const impressions = await stack.db.offerGrant.aggregate({ where: { shopId: shop.id }, _sum: { impressions: true } });
    for (const res of [
      await get(guestOrderGid, checkoutToken(shopDomain), { confirmation: guestConfirmation }),
      await view(orderGid, checkoutToken(shopDomain, { sub: customerGid })),
    ]) {
      expect(res.status).toBe(410);
      expect(await res.json()).toEqual({ error: "order too old" });
    }
    expect(await stack.db.offerGrant.aggregate({ where: { shopId: shop.id }, _sum: { impressions: true } })).toEqual(impressions);
  });
});

describe("admin › Offers", () => {
  it("renders the rules and their performance", async () => {
    const html = await stack.adminPage("/app/offers");
    expect(html).toContain("Matching item");
    expect(html).toContain("Impressions");
  });
});
