// Admin › Loyalty through the real server: manual adjustments need a reason; a reward redeemed on
// the customer's behalf — even on a double click — makes one code in Shopify and deducts once; the
// program's tiers and rewards are form rows, each error reported on its own field.
import { describe, expect, it } from "vitest";
import { postAdminAction } from "../support/admin-actions";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
let memberId: string;

const post = (fields: Record<string, string>) =>
  postAdminAction<{ error?: string; errors?: Record<string, string>; saved?: boolean; code?: string }>(stack.appUrl, "/app/loyalty", fields, shop);
const program = { intent: "settings", pointsPerUnit: "2", pendingDays: "14", includeShipping: "on" };
const storedSettings = () => stack.db.loyaltySettings.findFirstOrThrow({ where: { shop: { domain: shop } } });
const balance = async () => {
  const entries = await stack.db.pointsEntry.findMany({ where: { memberId, status: "approved" } });
  return entries.reduce((sum, e) => sum + e.points, 0);
};

useStack({ install: true }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  await stack.place({ email: "member@example.com", country: "FR", lineItems: [{ title: "Boots", price: "80.00", quantity: 1 }] });
  memberId = (await stack.db.loyaltyMember.findFirstOrThrow({ where: { email: "member@example.com" } })).id;
});

describe("admin › loyalty", () => {
  it("refuses a manual adjustment without a reason, and records one with it", async () => {
    const refused = await post({ intent: "adjust", memberId, points: "600", reason: "" });
    expect(refused.data?.error).toBeTruthy();
    expect(await balance()).toBe(0);
    const done = await post({ intent: "adjust", memberId, points: "600", reason: "Goodwill after a late parcel", requestId: "adjust-1" });
    expect(done.data?.saved).toBe(true);
    expect(await balance()).toBe(600);
  });

  it("a double-clicked redeem makes one code in Shopify and deducts the points once", async () => {
    const fields = { intent: "redeem", memberId, rewardIndex: "0", requestId: "redeem-click-1" };
    const [a, b] = await Promise.all([post(fields), post(fields)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const codes = await stack.db.discountCode.findMany({ where: { purpose: "reward" } });
    expect(codes).toHaveLength(1);
    expect([codes[0].status, codes[0].error]).toEqual(["created", null]);
    expect([a.data?.code, b.data?.code]).toContain(codes[0].code);
    // Shopify holds exactly one discount with that code (a racing second attempt is told "taken").
    expect(stack.services.emulator.shop(shop).discounts.filter((d) => d.code === codes[0].code)).toHaveLength(1);
    expect(await balance()).toBe(600 - 500); // the default reward: 500 points
  });

  it("finds a member by first name or address whatever the case (PostgreSQL's LIKE is case-sensitive)", async () => {
    await stack.db.loyaltyMember.update({ where: { id: memberId }, data: { firstName: "Marie" } });
    const members = async (q: string) => (await (await stack.adminGet(`/app/loyalty?q=${encodeURIComponent(q)}`)).text()).includes("member@example.com");
    expect(await members("marie")).toBe(true);
    expect(await members("MEMBER@")).toBe(true);
    expect(await members("nobody")).toBe(false);
  });

  it("refuses a program with broken rows, each error on its own field, and saves nothing", async () => {
    const before = await storedSettings();
    const refused = await post({
      ...program,
      pendingDays: "400",
      "tiers.0.name": "Silver",
      "tiers.0.threshold": "250",
      "tiers.0.multiplier": "1.5",
      "tiers.1.name": "",
      "tiers.1.threshold": "lots",
      "tiers.1.multiplier": "0",
      "tiers.2.name": "silver",
      "tiers.2.threshold": "250.00",
      "tiers.2.multiplier": "2",
      "rewards.0.points": "500",
      "rewards.0.valueType": "percentage",
      "rewards.0.value": "150",
      "rewards.1.points": "12.5",
      "rewards.1.valueType": "fixed_amount",
      "rewards.1.value": "0",
    });
    expect(refused.status).toBe(200);
    expect(refused.data?.saved).toBeUndefined();
    expect(refused.data?.errors).toEqual({
      pendingDays: "The return window must be at most 365",
      "tiers.1.name": "Give the tier a name",
      "tiers.1.threshold": "Enter an amount like 500 or 500.00",
      "tiers.1.multiplier": "Enter a number above 0, like 1.5",
      "tiers.2.name": "Another tier has this name",
      "tiers.2.threshold": "Another tier starts at this spend",
      "rewards.0.value": "The percentage must be at most 100",
      "rewards.1.points": "Points must be a whole number",
      "rewards.1.value": "Enter an amount above 0, like 5 or 5.00",
    });
    expect(await storedSettings()).toEqual(before);
  });

  it("saves tiers and rewards typed in the shop's currency, in minor units; a removed row is gone", async () => {
    const saved = await post({
      ...program,
      "tiers.0.name": "Gold",
      "tiers.0.threshold": "1000",
      "tiers.0.multiplier": "2",
      "tiers.1.name": "Silver",
      "tiers.1.threshold": "250.50",
      "tiers.1.multiplier": "1.5",
      "rewards.0.points": "500",
      "rewards.0.valueType": "fixed_amount",
      "rewards.0.value": "5",
      "rewards.1.points": "1200",
      "rewards.1.valueType": "percentage",
      "rewards.1.value": "15",
    });
    expect(saved.data).toEqual({ saved: true });
    expect(await storedSettings()).toMatchObject({
      pointsPerUnit: 2,
      pendingDays: 14,
      includeShipping: true,
      includeTax: false,
      tiers: [
        { name: "Silver", thresholdCents: 25050, multiplier: 1.5 },
        { name: "Gold", thresholdCents: 100000, multiplier: 2 },
      ],
      rewards: [
        { points: 500, valueType: "fixed_amount", value: 500 },
        { points: 1200, valueType: "percentage", value: 15 },
      ],
    });
    // The page posts the rows left after "Remove": the Gold tier and the first reward are gone.
    const removed = await post({
      ...program,
      "tiers.0.name": "Silver",
      "tiers.0.threshold": "250.50",
      "tiers.0.multiplier": "1.5",
      "rewards.0.points": "1200",
      "rewards.0.valueType": "percentage",
      "rewards.0.value": "15",
    });
    expect(removed.data).toEqual({ saved: true });
    const after = await storedSettings();
    expect(after.tiers).toEqual([{ name: "Silver", thresholdCents: 25050, multiplier: 1.5 }]);
    expect(after.rewards).toEqual([{ points: 1200, valueType: "percentage", value: 15 }]);
  });
});
