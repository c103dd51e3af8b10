// The ledger against a real PostgreSQL database: earn, pro-rata refunds, cancellation, a refund race,
// approval + Points earned message, adjustment and idempotent redemption; and the races that
// PostgreSQL runs side by side (redemptions, deductions and reversals of one member at once).
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeOrder, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { adjustPoints, approveDuePoints, loyaltySettingsFor, memberBalance, onOrderChanged } from "./ledger";
import { pointsEarned, redeemReward } from "./rewards";

let db: Db;
let shop: Shop;
const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));

useTempDb("loyalty", async (created) => {
  db = created.db;
  shop = await makeShop(db, { installedAt: clock.now() });
  await db.loyaltySettings.create({ data: { shopId: shop.id, rewards: [{ points: 50, valueType: "fixed_amount", value: 500 }] } });
  await makeFlow(db, shop, { key: "points_earned", trigger: "points_approved", category: "marketing" });
});

async function paidOrder(email: string, cents = 10000) {
  return makeOrder(db, shop, {
    customer: null,
    email,
    customerShopifyId: `gid://shopify/Customer/${email.length}`,
    subtotalCents: cents,
    totalCents: cents,
    placedAt: clock.now(),
  });
}
const change = (orderId: string) => db.$transaction((tx) => onOrderChanged(tx, clock, shop, orderId));
const refund = async (orderId: string, gid: string, cents: number) => {
  await db.refund.create({ data: { shopId: shop.id, orderId, shopifyId: gid, amountCents: cents } });
};
const entries = (email: string) => db.pointsEntry.findMany({ where: { member: { email } }, orderBy: { createdAt: "asc" } });

describe("loyalty ledger", () => {
  it("enrols, earns pending, reverses a partial refund pro rata, approves with a message", async () => {
    const o = await paidOrder("Ann@Example.com");
    await change(o.id);
    await change(o.id); // redelivery
    const [earn] = await entries("ann@example.com");
    expect(earn).toMatchObject({ kind: "earn", points: 100, status: "pending", dedupeKey: `earn:${o.shopifyId}` });
    expect(earn.availableAt!.getTime()).toBe(clock.now().getTime() + 14 * 86_400_000);

    await refund(o.id, "gid://shopify/Refund/a1", 2500);
    await change(o.id);
    await change(o.id);
    const member = await db.loyaltyMember.findFirstOrThrow({ where: { email: "ann@example.com" } });
    expect(await memberBalance(db, member.id)).toEqual({ balance: 0, pending: 75 });

    expect(await approveDuePoints(db, clock)).toBe(0);
    clock.advance(14 * 86_400_000 + 1000);
    expect(await approveDuePoints(db, clock)).toBe(1);
    expect(await memberBalance(db, member.id)).toEqual({ balance: 75, pending: 0 });
    const message = await db.message.findFirstOrThrow({ where: { step: `approved:${earn.id}` } });
    expect(message).toMatchObject({ status: "scheduled", category: "marketing", anchor: "points_approved" });
    const prepared = await pointsEarned.prepare({ db, message, shop } as never);
    expect(prepared).toMatchObject({ ok: true, context: { points: { approved: 75, balance: 75 } } });
    expect(await db.job.count({ where: { kind: "loyalty.sync_balance" } })).toBeGreaterThan(0);
    expect(await approveDuePoints(db, clock)).toBe(0);
  });

  it("a cancellation voids a pending earn", async () => {
    const o = await paidOrder("bob@example.com");
    await change(o.id);
    await db.order.update({ where: { id: o.id }, data: { cancelledAt: clock.now() } });
    await change(o.id);
    const member = await db.loyaltyMember.findFirstOrThrow({ where: { email: "bob@example.com" } });
    expect(await memberBalance(db, member.id)).toEqual({ balance: 0, pending: 0 });
    expect((await entries("bob@example.com")).every((e) => e.status === "void")).toBe(true);
  });

  it("concurrent refunds of an approved earn never take the balance below zero", async () => {
    const o = await paidOrder("cat@example.com");
    await change(o.id);
    clock.advance(15 * 86_400_000);
    await approveDuePoints(db, clock);
    await refund(o.id, "gid://shopify/Refund/c1", 6000);
    await refund(o.id, "gid://shopify/Refund/c2", 6000);
    await Promise.all([change(o.id), change(o.id), change(o.id)]);
    const member = await db.loyaltyMember.findFirstOrThrow({ where: { email: "cat@example.com" } });
    const rows = await entries("cat@example.com");
    expect(rows.filter((e) => e.kind === "reverse").map((e) => e.points)).toEqual([-60, -40]);
    expect(await memberBalance(db, member.id)).toEqual({ balance: 0, pending: 0 });
  });

  it("redeems once per request id; insufficient balance is refused; adjustments need a reason", async () => {
    const o = await paidOrder("dan@example.com");
    await change(o.id);
    clock.advance(15 * 86_400_000);
    await approveDuePoints(db, clock);
    const member = await db.loyaltyMember.findFirstOrThrow({ where: { email: "dan@example.com" } });
    const calls: string[] = [];
    const created = new Set<string>();
    const graphql = async (_shop: string, query: string, variables?: Record<string, unknown>) => {
      calls.push(query);
      if (query.includes("codeDiscountNodeByCode"))
        return { codeDiscountNodeByCode: created.has(String(variables!.code)) ? { id: "gid://shopify/DiscountCodeNode/1" } : null };
      const code = (variables!.input as { code: string }).code;
      created.add(code);
      return { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } };
    };
    const [a, b] = await Promise.all([
      redeemReward(db, clock, graphql, { memberId: member.id, rewardIndex: 0, requestId: "r1" }),
      redeemReward(db, clock, graphql, { memberId: member.id, rewardIndex: 0, requestId: "r1" }),
    ]);
    expect(a).toMatchObject({ ok: true, balance: 50 });
    expect(b).toMatchObject({ ok: true, code: (a as { code: string }).code });
    expect(await db.discountCode.count({ where: { purpose: "reward", shopId: shop.id } })).toBe(1);
    expect(calls.filter((q) => q.includes("discountCodeBasicCreate")).length).toBe(1);
    expect(await memberBalance(db, member.id)).toEqual({ balance: 50, pending: 0 });
    await redeemReward(db, clock, graphql, { memberId: member.id, rewardIndex: 0, requestId: "r2" });
    expect(await redeemReward(db, clock, graphql, { memberId: member.id, rewardIndex: 0, requestId: "r3" })).toMatchObject({
      ok: false,
      error: expect.stringContaining("Not enough points"),
    });

    expect(await adjustPoints(db, clock, { memberId: member.id, points: 10, reason: "", actor: "merchant", requestId: "a1" })).toMatchObject({ ok: false });
    expect(await adjustPoints(db, clock, { memberId: member.id, points: -1, reason: "oops", actor: "merchant", requestId: "a2" })).toMatchObject({ ok: false });
    expect(await adjustPoints(db, clock, { memberId: member.id, points: 10, reason: "goodwill", actor: "staff@x", requestId: "a3" })).toEqual({
      ok: true,
      balance: 10,
    });
  });
});

describe("loyalty ledger under concurrency", () => {
  const okGraphql = async (_shop: string, query: string) =>
    query.includes("codeDiscountNodeByCode")
      ? { codeDiscountNodeByCode: null }
      : { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" }, userErrors: [] } };

  /** A member with `points` approved points (one earned order of points × $1). */
  async function memberWith(email: string, points: number) {
    const o = await paidOrder(email, points * 100);
    await change(o.id);
    clock.advance(15 * 86_400_000);
    await approveDuePoints(db, clock);
    const member = await db.loyaltyMember.findFirstOrThrow({ where: { email } });
    expect(await memberBalance(db, member.id)).toEqual({ balance: points, pending: 0 });
    return { member, order: o };
  }

  it("concurrent redemptions of different requests never spend the same points twice", async () => {
    const { member } = await memberWith("eve@example.com", 120); // enough for 2 rewards of 50
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => redeemReward(db, clock, okGraphql, { memberId: member.id, rewardIndex: 0, requestId: `eve-${i}` })),
    );
    expect(results.filter((r) => r.ok).length).toBe(2);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.includes("Not enough points"))).toBe(true);
    expect(await memberBalance(db, member.id)).toEqual({ balance: 20, pending: 0 });
    expect(
      await db.discountCode.count({ where: { purpose: "reward", code: { in: results.filter((r) => r.ok).map((r) => (r as { code: string }).code) } } }),
    ).toBe(2);
  });

  it("concurrent deductions never take the balance below zero", async () => {
    const { member } = await memberWith("fay@example.com", 30);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        adjustPoints(db, clock, { memberId: member.id, points: -20, reason: "correction", actor: "staff", requestId: `fay-${i}` }),
      ),
    );
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(await memberBalance(db, member.id)).toEqual({ balance: 10, pending: 0 });
  });

  it("a redemption racing a full refund of the order: the reversal takes only what is left", async () => {
    const { member, order } = await memberWith("gus@example.com", 100);
    await refund(order.id, "gid://shopify/Refund/g1", 10000);
    const [redeemed] = await Promise.all([
      redeemReward(db, clock, okGraphql, { memberId: member.id, rewardIndex: 0, requestId: "gus-1" }),
      change(order.id),
      change(order.id),
    ]);
    const { balance } = await memberBalance(db, member.id);
    expect(balance).toBe(0);
    const reversed = (await entries("gus@example.com")).filter((e) => e.kind === "reverse");
    expect(reversed.length).toBe(1);
    expect(reversed[0].points).toBe(redeemed.ok ? -50 : -100);
  });

  it("two first orders of a new buyer at once enrol one member with both earns", async () => {
    const [a, b] = [await paidOrder("hal@example.com"), await paidOrder("hal@example.com")];
    await Promise.all([change(a.id), change(b.id), change(a.id), change(b.id)]);
    expect(await db.loyaltyMember.count({ where: { email: "hal@example.com" } })).toBe(1);
    const earns = (await entries("hal@example.com")).filter((e) => e.kind === "earn");
    expect(earns.map((e) => e.dedupeKey).sort()).toEqual([`earn:${a.shopifyId}`, `earn:${b.shopifyId}`].sort());
  });

  it("the first use of the settings by concurrent transactions creates them once", async () => {
    const other = await db.shop.create({ data: { domain: "fresh.myshopify.com", name: "Fresh", timezone: "UTC", currency: "USD", installedAt: clock.now() } });
    const all = await Promise.all(Array.from({ length: 6 }, () => db.$transaction((tx) => loyaltySettingsFor(tx, other.id))));
    expect(new Set(all.map((s) => s.shopId))).toEqual(new Set([other.id]));
  });
});
