// Orders the shop took before the install, whichever path sees them first: a webhook about an old
// order (a refund today), reconciliation finding an old order updated today, or the history import.
// One rule on every path: imported, never messaged, no points.
import { describe, expect, it } from "vitest";
import { OffsetClock } from "../../app/engine/clock";
import { readClockOffset } from "../../app/clock.server";
import { type Stack, orderGid } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
let shopId: string;
let installedAt: Date;

/** Paid, real, uncancelled orders of the demo history placed before the install (newest first). */
function oldOrders() {
  return stack.services.emulator
    .shop(shop)
    .orders.filter((o) => Date.parse(o.processedAt) < installedAt.getTime() && !o.test && !o.cancelledAt && o.financialStatus === "paid")
    .reverse();
}

const mirrored = (orderId: number) => stack.db.order.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: orderGid(orderId) } } });

/** What an old order must never have: a message, a points entry, a loyalty enrolment of its buyer from it. */
async function traces(orderId: number) {
  const order = await mirrored(orderId);
  return {
    imported: order?.imported,
    messages: order ? await stack.db.message.count({ where: { orderId: order.id } }) : 0,
    points: await stack.db.pointsEntry.count({ where: { shopId, orderGid: orderGid(orderId) } }),
  };
}

useStack({}, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  // A Plus-sized cost bucket: the history import of a year of orders takes seconds, not minutes.
  await stack.emulator(`/shops/${shop}/throttle`, { maximumAvailable: 20_000, restoreRate: 1000, currentlyAvailable: 20_000 });
  expect((await stack.install()).status).toBe(200);
  const row = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  shopId = row.id;
  installedAt = row.installedAt;
  expect(oldOrders().length).toBeGreaterThan(10);
});

describe("an order placed before the install", { timeout: 120_000 }, () => {
  it("seen first by a webhook (a refund today) › imported, no message, no points", async () => {
    const [order] = oldOrders();
    await stack.emulator(`/shops/${shop}/orders/${order.id}/refund`, { amount: "1.00" });
    await stack.applyWebhooks(); // no worker yet: applied as the worker would
    await expect.poll(async () => (await mirrored(order.id))?.placeholder, { timeout: 10_000 }).toBe(false);
    expect(await traces(order.id)).toEqual({ imported: true, messages: 0, points: 0 });
    expect(await stack.db.loyaltyMember.count({ where: { shopId } })).toBe(0);
  });

  it("seen first by reconciliation (updated today, its webhooks missed) › imported, no message, no points", async () => {
    const order = oldOrders()[1];
    await stack.emulator(`/shops/${shop}/orders/${order.id}/refund`, { amount: "1.00", webhooks: false });
    Object.assign(process.env, stack.env); // the app's modules read their configuration on first use
    const { reconcileShop } = await import("../../app/engine/reconcile");
    const { shopGraphqlRaw } = await import("../../app/shopify/admin-client-raw.server");
    const clock = new OffsetClock(await readClockOffset(stack.db));
    const row = await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const result = await reconcileShop({ db: stack.db, clock, graphql: shopGraphqlRaw(stack.db), log: () => {} }, row);
    expect(result.orders).toBeGreaterThanOrEqual(1);
    expect(await traces(order.id)).toEqual({ imported: true, messages: 0, points: 0 });
  });

  it("seen first by the history import, then by a webhook › imported, no message, no points", async () => {
    const order = oldOrders()[2];
    expect(await mirrored(order.id)).toBeNull();
    await stack.startWorker();
    await expect.poll(async () => (await stack.db.historyImport.findUnique({ where: { shopId } }))?.status, { timeout: 90_000, interval: 250 }).toBe("done");
    expect(await traces(order.id)).toEqual({ imported: true, messages: 0, points: 0 });

    await stack.emulator(`/shops/${shop}/orders/${order.id}/refund`, { amount: "1.00" });
    await expect
      .poll(async () => stack.db.refund.count({ where: { order: { shopId, shopifyId: orderGid(order.id) } } }), { timeout: 10_000 })
      .toBeGreaterThan(0);
    for (const old of oldOrders().slice(0, 3)) expect(await traces(old.id), `order ${old.id}`).toEqual({ imported: true, messages: 0, points: 0 });
    expect(await stack.db.pointsEntry.count({ where: { shopId } })).toBe(0);
    expect(await stack.db.message.count({ where: { shopId } })).toBe(0);
  });
});
