// Loyalty members as the admin sees them, against a real database: the list and its search stay
// within the shop, with balances and ledger lines; adjusting or redeeming for another shop's member
// is refused and writes nothing.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { makeShopPair } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { adjustMemberPoints, memberList, redeemForMember, staffActor } from "./members";

let temp: TempDb;
let mine: Shop;
let theirs: Shop;
const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));
const noGraphql = async () => {
  throw new Error("the Admin API is not called in these tests");
};

async function member(shop: Shop, email: string, firstName: string, approvedPoints = 0) {
  const m = await temp.db.loyaltyMember.create({ data: { shopId: shop.id, email, firstName, enrolledAt: clock.now() } });
  if (approvedPoints) {
    await temp.db.pointsEntry.create({
      data: {
        shopId: shop.id,
        memberId: m.id,
        dedupeKey: `seed:${m.id}`,
        kind: "adjust",
        points: approvedPoints,
        status: "approved",
        reason: "welcome",
        actor: "merchant",
        createdAt: clock.now(),
      },
    });
  }
  return m;
}

useTempDb("loyalty_members", async (created) => {
  temp = created;
  [mine, theirs] = await makeShopPair(temp.db, { timezone: "Europe/Paris", currency: "EUR", installedAt: clock.now() });
});

describe("loyalty members", () => {
  it("lists and searches only the shop's members, with balance and ledger", async () => {
    await member(mine, "ann@example.com", "Ann", 40);
    await member(mine, "bob@example.com", "Robert");
    await member(theirs, "ann.other@example.com", "Ann", 99);

    const all = await memberList(temp.db, mine, "");
    expect(all.map((m) => m.email).sort()).toEqual(["ann@example.com", "bob@example.com"]);
    const ann = all.find((m) => m.email === "ann@example.com")!;
    expect(ann).toMatchObject({ balance: 40, pending: 0 });
    expect(ann.entries).toEqual([expect.objectContaining({ kind: "adjust", points: 40, reason: "welcome", actor: "merchant" })]);
    expect(ann.entries[0].at).toMatch(/^Nov 22, 2026, 11:00 AM/); // 10:00 UTC in the shop's zone

    expect((await memberList(temp.db, mine, "ANN")).map((m) => m.email)).toEqual(["ann@example.com"]);
    expect((await memberList(temp.db, mine, "rob")).map((m) => m.email)).toEqual(["bob@example.com"]);
    expect(await memberList(temp.db, mine, "other")).toEqual([]);
  });

  it("adjusts a member of the shop, and refuses another shop's member", async () => {
    const own = await member(mine, "cat@example.com", "Cat");
    const foreign = await member(theirs, "dan@example.com", "Dan", 10);
    const input = { points: 5, reason: "goodwill", actor: "merchant", requestId: "r1" };

    expect(await adjustMemberPoints(temp.db, clock, mine.id, { ...input, memberId: own.id })).toEqual({ ok: true, balance: 5 });
    expect(await adjustMemberPoints(temp.db, clock, mine.id, { ...input, memberId: foreign.id, requestId: "r2" })).toEqual({
      ok: false,
      error: "No such member.",
    });
    expect(await temp.db.pointsEntry.count({ where: { memberId: foreign.id } })).toBe(1);
  });

  it("refuses to redeem for another shop's member", async () => {
    const foreign = await member(theirs, "eve@example.com", "Eve", 500);
    const result = await redeemForMember(temp.db, clock, noGraphql, mine.id, { memberId: foreign.id, rewardIndex: 0, requestId: "q1" });
    expect(result).toEqual({ ok: false, error: "No such member." });
    expect(await temp.db.pointsEntry.count({ where: { memberId: foreign.id } })).toBe(1);
  });

  it("records who adjusted: the staff member's email, else their id, else the merchant", () => {
    expect(staffActor({ id: 7, email: "staff@shop.test" })).toBe("staff@shop.test");
    expect(staffActor({ id: 7, email: "" })).toBe("staff 7");
    expect(staffActor(undefined)).toBe("merchant");
  });
});
