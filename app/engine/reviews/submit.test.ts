// Submitting the hosted review page, against PostgreSQL: the reviews recorded once, and the reminder
// of that order's review request cancelled (no other order's).
import { describe, expect, it } from "vitest";
import type { Flow, Order, Shop } from "@prisma/client";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeOrder, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { createMessage } from "../flows/planner";
import { submitReviews } from "./submit";

let t: TempDb;
let shop: Shop;
let flow: Flow;
const clock = new ManualClock(new Date("2026-11-30T12:00:00Z"));

useTempDb("reviews-submit", async (created) => {
  t = created;
  shop = await makeShop(t.db, { status: "installed", autoPublishReviews: true });
  flow = await makeFlow(t.db, shop, { key: "review_request", trigger: "delivered", category: "survey" });
});

/** The review request of `order` as the planner makes it (sent, asking about its product) and its scheduled reminder. */
async function reviewRequest(order: Order) {
  const planned = await t.db.order.findUniqueOrThrow({ where: { id: order.id }, include: { lineItems: true, fulfillments: true, refunds: true } });
  const plan = (step: string) =>
    createMessage(t.db, clock, { shop, order: planned, flow, step, anchor: { kind: "delivered", at: clock.now() }, dueAt: clock.now(), timezone: "UTC" });
  const main = await t.db.message.update({ where: { id: (await plan("main")).id }, data: { status: "sent", sentAt: clock.now() } });
  const reminder = await plan("reminder");
  await t.db.reviewAsk.create({ data: { shopId: shop.id, messageId: main.id, productId: "gid://shopify/Product/7", askedAt: clock.now() } });
  return { main, reminder };
}

describe("submitReviews", () => {
  it("records the rated item once and cancels that order's reminder only", async () => {
    const order = await makeOrder(t.db, shop);
    const other = await reviewRequest(await makeOrder(t.db, shop));
    const { main, reminder } = await reviewRequest(order);
    expect(reminder.status).toBe("scheduled");

    const input = [{ rating: "5", title: "Warm", body: "Good socks." }];
    expect(await submitReviews(t.db, clock, main.id, input)).toEqual({ kind: "recorded", count: 1 });
    expect(await submitReviews(t.db, clock, main.id, input)).toEqual({ kind: "already" });

    expect(await t.db.review.findMany({ where: { messageId: main.id } })).toMatchObject([
      { rating: 5, title: "Warm", status: "published", verifiedBuyer: true },
    ]);
    expect(await t.db.message.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: "cancelled", reason: "review received" });
    expect(await t.db.message.findUniqueOrThrow({ where: { id: other.reminder.id } })).toMatchObject({ status: "scheduled" });
  });
});
