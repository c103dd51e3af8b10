// The order page against a real database: an order of another shop is not found, the page shows only
// this shop's reviews of the order, and "Send again" accepts only this order's message whose outcome
// is unknown.
import { describe, expect, it } from "vitest";
import type { Flow, Order, Shop } from "@prisma/client";
import { makeFlow, makeMessage, makeOrder, makeShop } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { isShopOrder, orderPage, resendOrderMessage } from "./order-page";

let temp: TempDb;
const clock = new ManualClock(new Date("2026-12-04T12:00:00Z"));
let mine: { shop: Shop; order: Order; other: Order; flow: Flow };
let theirs: { shop: Shop; order: Order; flow: Flow };

async function shopWithOrders(domain: string, orders: number) {
  const shop = await makeShop(temp.db, { domain, currency: "EUR", installedAt: clock.now() });
  const flow = await makeFlow(temp.db, shop, { key: "thank_you", name: "Thanks", delayMinutes: 15 });
  const made: Order[] = [];
  for (let i = 0; i < orders; i++) made.push(await makeOrder(temp.db, shop, { customer: null, placedAt: clock.now() }));
  return { shop, orders: made, flow };
}

const message = (flow: Flow, order: Order, status: "unknown" | "sent") => makeMessage(temp.db, flow, { orderId: order.id, status, at: clock.now() });

function review(shopId: string, orderId: string, productTitle: string) {
  return temp.db.review.create({
    data: {
      shopId,
      orderId,
      productId: `gid://shopify/Product/${productTitle.length}`,
      productTitle,
      authorName: "Ann B.",
      rating: 4,
      status: "published",
      submittedAt: clock.now(),
    },
  });
}

useTempDb("order_page", async (created) => {
  temp = created;
  const a = await shopWithOrders("mine.myshopify.com", 2);
  const b = await shopWithOrders("theirs.myshopify.com", 1);
  mine = { shop: a.shop, order: a.orders[0], other: a.orders[1], flow: a.flow };
  theirs = { shop: b.shop, order: b.orders[0], flow: b.flow };
});

describe("the order page", () => {
  it("shows the shop's order with its reviews, and never another shop's order", async () => {
    await review(mine.shop.id, mine.order.id, "Mug");
    await review(theirs.shop.id, theirs.order.id, "Teapot");
    const page = await orderPage(temp.db, clock, mine.shop, mine.order.id);
    expect(page?.order.id).toBe(mine.order.id);
    expect(page?.timeZone).toBe("UTC");
    expect(page?.reviews.map((r) => r.productTitle)).toEqual(["Mug"]);
    expect(await orderPage(temp.db, clock, mine.shop, theirs.order.id)).toBeNull();
    expect(await isShopOrder(temp.db, mine.shop.id, mine.order.id)).toBe(true);
    expect(await isShopOrder(temp.db, mine.shop.id, theirs.order.id)).toBe(false);
  });

  it("sends again only this order's message of unknown outcome", async () => {
    const unknown = await message(mine.flow, mine.order, "unknown");
    const sent = await message(mine.flow, mine.order, "sent");
    const otherOrders = await message(mine.flow, mine.other, "unknown");
    const otherShops = await message(theirs.flow, theirs.order, "unknown");

    expect(await resendOrderMessage(temp.db, clock, mine.shop.id, mine.order.id, otherShops.id)).toBe("no-such-message");
    expect(await resendOrderMessage(temp.db, clock, mine.shop.id, mine.order.id, otherOrders.id)).toBe("no-such-message");
    expect(await resendOrderMessage(temp.db, clock, mine.shop.id, mine.order.id, sent.id)).toBe("not-waiting");
    expect(await resendOrderMessage(temp.db, clock, mine.shop.id, mine.order.id, unknown.id)).toBe("resent");
    expect(await resendOrderMessage(temp.db, clock, mine.shop.id, mine.order.id, unknown.id)).toBe("not-waiting");

    const statuses = await temp.db.message.findMany({ where: { id: { in: [unknown.id, otherOrders.id, otherShops.id] } }, select: { id: true, status: true } });
    expect(Object.fromEntries(statuses.map((m) => [m.id, m.status]))).toEqual({
      [unknown.id]: "scheduled",
      [otherOrders.id]: "unknown",
      [otherShops.id]: "unknown",
    });
  });
});
