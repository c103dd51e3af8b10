// The checkout extension's order lookup against a real database: only the token's installed shop,
// never an order mirrored for another shop, only for a caller who proves it is looking at the
// order, pending (with an estimate) before the order is mirrored; and the offer click.
import { describe, expect, it } from "vitest";
import type { Order, Shop } from "@prisma/client";
import { makeOrder, makeShop, makeShopPair } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { checkoutOrderGid, checkoutView, lookUpCheckoutOrder, recordCheckoutClick, type CheckoutCall, type FoundOrder } from "./checkout-order";

const DAY = 86_400_000;
const clock = new ManualClock(new Date("2026-12-04T10:00:00Z"));
let temp: TempDb;
let mine: Shop;
let theirs: Shop;
let order: Order;
let theirOrder: Order;

const call = (c: Partial<CheckoutCall>): CheckoutCall => ({
  shopDomain: mine.domain,
  orderGid: order.shopifyId,
  tokenSub: undefined,
  confirmation: "ABC123",
  maxAgeMs: 30 * DAY,
  ...c,
});
const lookUp = (c: Partial<CheckoutCall>) => lookUpCheckoutOrder(temp.db, clock, call(c));

useTempDb("checkout_order", async (created) => {
  temp = created;
  [mine, theirs] = await makeShopPair(temp.db, { currency: "EUR", installedAt: clock.now() });
  await makeShop(temp.db, { domain: "gone.myshopify.com", status: "uninstalled" });
  const placed = (shop: Shop) =>
    makeOrder(temp.db, shop, { customer: null, confirmationNumber: "ABC123", subtotalCents: 5000, placedAt: new Date(clock.now().getTime() - DAY) });
  order = await placed(mine);
  theirOrder = await placed(theirs);
});

describe("checkoutOrderGid", () => {
  it("accepts an order or order-identity gid and names the order", () => {
    expect(checkoutOrderGid(" gid://shopify/OrderIdentity/42 ")).toBe("gid://shopify/Order/42");
    expect(checkoutOrderGid("gid://shopify/Order/42")).toBe("gid://shopify/Order/42");
    expect(checkoutOrderGid("gid://shopify/Customer/42")).toBeNull();
    expect(checkoutOrderGid(42)).toBeNull();
  });
});

describe("lookUpCheckoutOrder", () => {
  it("finds the shop's order for a caller with its confirmation number", async () => {
    expect(await lookUp({})).toMatchObject({ kind: "order", order: { id: order.id } });
  });

  it("refuses another shop's order, a shop not installed, a wrong number and an old order", async () => {
    expect(await lookUp({ orderGid: theirOrder.shopifyId })).toMatchObject({ kind: "refused", status: 404 });
    expect(await lookUp({ shopDomain: "gone.myshopify.com" })).toMatchObject({ kind: "refused", status: 404, shop: null });
    expect(await lookUp({ shopDomain: "unknown.myshopify.com" })).toMatchObject({ kind: "refused", status: 404 });
    expect(await lookUp({ confirmation: "XYZ999" })).toMatchObject({ kind: "refused", status: 404 });
    expect(await lookUp({ maxAgeMs: DAY / 2 })).toMatchObject({ kind: "refused", status: 410, error: "order too old" });
  });

  it("is pending for an order not mirrored yet, with points estimated from the subtotal", async () => {
    const found = await lookUp({ orderGid: "gid://shopify/Order/999" });
    expect(found).toMatchObject({ kind: "pending", shop: { id: mine.id } });
    expect(
      await checkoutView(
        temp.db,
        found,
        "12.34",
        async () => null,
        () => {},
      ),
    ).toEqual({ kind: "pending", estimatedPoints: 12 });
  });
});

describe("checkoutView and the click", () => {
  it("shows the points without the offer when the offer fails", async () => {
    const found = await lookUp({});
    const failures: unknown[] = [];
    const view = await checkoutView(
      temp.db,
      found,
      null,
      async () => {
        throw new Error("Admin API down");
      },
      (error) => failures.push(error),
    );
    expect(view).toEqual({ kind: "ready", points: { earned: 50, status: "pending" }, offer: null });
    expect(failures).toHaveLength(1);
  });

  it("counts a click on the order's grant of this shop only", async () => {
    const found = (await lookUp({})) as FoundOrder;
    expect(await recordCheckoutClick(temp.db, found)).toBe(false); // no offer shown yet
    const rule = await temp.db.offerRule.create({
      data: { shopId: mine.id, name: "Socks", offerVariantId: "gid://shopify/ProductVariant/1", offerTitle: "Socks", discountPercent: 15 },
    });
    const theirRule = await temp.db.offerRule.create({
      data: { shopId: theirs.id, name: "Socks", offerVariantId: "gid://shopify/ProductVariant/1", offerTitle: "Socks", discountPercent: 15 },
    });
    await temp.db.offerGrant.create({ data: { shopId: mine.id, ruleId: rule.id, orderGid: order.shopifyId, code: "MINE1" } });
    await temp.db.offerGrant.create({ data: { shopId: theirs.id, ruleId: theirRule.id, orderGid: order.shopifyId, code: "THEIRS1" } });
    expect(await recordCheckoutClick(temp.db, found)).toBe(true);
    const clicks = await temp.db.offerGrant.findMany({ select: { code: true, clicks: true }, orderBy: { code: "asc" } });
    expect(clicks).toEqual([
      { code: "MINE1", clicks: 1 },
      { code: "THEIRS1", clicks: 0 },
    ]);
  });
});
