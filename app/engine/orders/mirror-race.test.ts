// Rows that webhooks create on first sight, raced against PostgreSQL: a new order's order, refund
// and fulfillment webhooks arrive together, and an unsubscribe is clicked twice at once.
import { describe, expect, it } from "vitest";
import { useShopDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { suppress } from "../consent/suppression";
import { ensureOrder } from "./mirror";

const clock = new ManualClock(new Date("2026-11-20T15:00:00Z"));
const t = useShopDb("mirror-race", { installedAt: clock.now() });

describe("first-sight rows under concurrency", () => {
  it("webhooks about a new order at once create its placeholder once, and none fails", async () => {
    const gid = "gid://shopify/Order/424242";
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => t.db.$transaction((tx) => ensureOrder(tx, t.shop.id, gid))));
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason).slice(0, 200))).toEqual([]);
    expect(new Set(results.map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id)).size).toBe(1);
  });

  it("two unsubscribes of one address at once record one suppression, and none fails", async () => {
    const input = { shopId: t.shop.id, email: "Twice@Example.com", scope: "marketing" as const, reason: "unsubscribe" };
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => t.db.$transaction((tx) => suppress(tx, clock, input as never))));
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason).slice(0, 200))).toEqual([]);
    expect(await t.db.suppression.count({ where: { shopId: t.shop.id, email: "twice@example.com" } })).toBe(1);
  });
});
