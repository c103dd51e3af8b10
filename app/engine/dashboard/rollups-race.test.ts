// Rollup rebuilds against PostgreSQL, raced: two workers rebuilding the same dirty day, and a
// rebuild racing a write that marks the day again. No rebuild fails, and no mark is lost.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeOrder, makeShop } from "../../../tests/support/factories";
import { rebuildDay, rebuildDirtyDays, rebuildShop } from "./rollups";
import { markDays, touchDays } from "./touch";

let t: TempDb;
let shop: Shop;
const DAY = "2026-11-20";
const at = new Date(`${DAY}T12:00:00Z`);

useTempDb("rollups-race", async (created) => {
  t = created;
  shop = await makeShop(t.db, { installedAt: new Date("2026-11-01T00:00:00Z") });
});

/** An order placed on DAY, written with its mark in one transaction (as the webhook path does). */
const placeOrder = () =>
  t.db.$transaction(async (tx) => {
    const order = await makeOrder(tx, shop, { placedAt: at, customer: null, lineItems: [] });
    await touchDays(tx, shop.id, order.placedAt);
  });
const orderCount = async () => (await t.db.dailyRollup.findFirst({ where: { shopId: shop.id, day: DAY, metric: "orders", dim: "" } }))?.value ?? 0;

describe("rollups under concurrency", () => {
  it("several workers rebuilding the same day at once all succeed and agree", async () => {
    await placeOrder();
    const results = await Promise.allSettled([
      rebuildDay(t.db, shop.id, DAY),
      rebuildDay(t.db, shop.id, DAY),
      rebuildDay(t.db, shop.id, DAY),
      rebuildDirtyDays(t.db),
    ]);
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason).slice(0, 300))).toEqual([]);
    expect(await orderCount()).toBe(1);
    expect(await t.db.rollupMark.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("a rebuild of the whole shop racing rebuilds of its days does not fail", async () => {
    await placeOrder();
    const results = await Promise.allSettled([
      rebuildShop(t.db, shop, "2026-11-01", "2026-11-30", 10),
      rebuildDay(t.db, shop.id, DAY),
      rebuildDay(t.db, shop.id, DAY),
    ]);
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason).slice(0, 300))).toEqual([]);
    expect(await orderCount()).toBe(2);
  });

  it("writers marking the same day do not wait for each other", async () => {
    await markDays(t.db, shop.id, [DAY]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstMarked!: () => void;
    const marked = new Promise<void>((resolve) => (firstMarked = resolve));
    // One writer marks the day and stays in its transaction (a slow webhook, a long send)…
    const first = t.db.$transaction(async (tx) => {
      await markDays(tx, shop.id, [DAY]);
      firstMarked();
      await held;
    });
    await marked;
    // …another marks the same day meanwhile: it must not queue behind the first (1 s lock timeout).
    await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL lock_timeout = '1s'`;
      await markDays(tx, shop.id, [DAY]);
    });
    release();
    await first;
    await rebuildDay(t.db, shop.id, DAY);
    expect(await t.db.rollupMark.count({ where: { shopId: shop.id, day: DAY } })).toBe(0);
  });

  it("writes racing rebuilds: every order ends up counted, or its day stays marked", async () => {
    for (let round = 0; round < 5; round++) {
      await markDays(t.db, shop.id, [DAY]);
      await Promise.all([placeOrder(), rebuildDay(t.db, shop.id, DAY), placeOrder(), rebuildDay(t.db, shop.id, DAY)]);
      const orders = await t.db.order.count({ where: { shopId: shop.id } });
      const marked = await t.db.rollupMark.count({ where: { shopId: shop.id, day: DAY } });
      if (!marked) expect(await orderCount()).toBe(orders);
      await rebuildDay(t.db, shop.id, DAY);
      expect(await orderCount()).toBe(orders);
    }
  });

  it("writes racing a rebuild of the whole shop: every order ends up counted, or its day stays marked", async () => {
    for (let round = 0; round < 5; round++) {
      await markDays(t.db, shop.id, [DAY]);
      await Promise.all([rebuildShop(t.db, shop, DAY, DAY), placeOrder(), placeOrder(), placeOrder()]);
      const orders = await t.db.order.count({ where: { shopId: shop.id } });
      const marked = await t.db.rollupMark.count({ where: { shopId: shop.id, day: DAY } });
      if (!marked) expect(await orderCount()).toBe(orders);
      await rebuildDay(t.db, shop.id, DAY);
      expect(await orderCount()).toBe(orders);
    }
  });
});
