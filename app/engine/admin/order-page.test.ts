// The order page against a real database: an order of another shop is not found, the page shows only
// this shop's reviews of the order, and "Send again" accepts only this order's message whose outcome
// is unknown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Order, Shop } from "@prisma/client";
import { createTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { isShopOrder, orderPage, resendOrderMessage } from "./order-page";

let temp: TempDb;
const clock = new ManualClock(new Date("2026-12-04T12:00:00Z"));
let mine: { shop: Shop; order: Order; other: Order; flowId: string };
let theirs: { shop: Shop; order: Order; flowId: string };

async function shopWithOrders(domain: string, orders: number) {
  const db = temp.db;
  const shop = await db.shop.create({ data: { domain, name: domain, timezone: "UTC", currency: "EUR", installedAt: clock.now() } });
  const flow = await db.flow.create({
    data: {
      shopId: shop.id,
      key: "thank_you",
      name: "Thanks",
      trigger: "order_created",
      category: "service",
      subject: "s",
      body: "b",
      delayMinutes: 15,
      enabled: true,
    } as never,
  });
  const made: Order[] = [];
  for (let i = 1; i <= orders; i++) {
    made.push(
      await db.order.create({
        data: {
          shopId: shop.id,
          shopifyId: `gid://shopify/Order/${domain.length}${i}`,
          placeholder: false,
          name: `#${i}`,
          currency: "EUR",
          placedAt: clock.now(),
        },
      }),
    );
  }
  return { shop, orders: made, flowId: flow.id };
}

let n = 0;
function message(shopId: string, flowId: string, orderId: string, status: "unknown" | "sent") {
  n++;
  return temp.db.message.create({
    data: {
      shopId,
      flowId,
      orderId,
      dedupeKey: `m${n}`,
      category: "service",
      status,
      anchor: "order_created",
      anchorAt: clock.now(),
      dueAt: clock.now(),
      sendAt: clock.now(),
      rfcMessageId: `m${n}`,
    },
  });
}

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

beforeAll(async () => {
  temp = await createTempDb("order_page");
  const a = await shopWithOrders("mine.myshopify.com", 2);
  const b = await shopWithOrders("theirs.myshopify.com", 1);
  mine = { shop: a.shop, order: a.orders[0], other: a.orders[1], flowId: a.flowId };
  theirs = { shop: b.shop, order: b.orders[0], flowId: b.flowId };
});
afterAll(() => temp.close());

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
    const unknown = await message(mine.shop.id, mine.flowId, mine.order.id, "unknown");
    const sent = await message(mine.shop.id, mine.flowId, mine.order.id, "sent");
    const otherOrders = await message(mine.shop.id, mine.flowId, mine.other.id, "unknown");
    const otherShops = await message(theirs.shop.id, theirs.flowId, theirs.order.id, "unknown");

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
