// Admin › Loyalty through the real server: manual adjustments need a reason; a reward redeemed on
// the customer's behalf — even on a double click — makes one code in Shopify and deducts once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postAdminAction } from "../support/admin-actions";
import { startStack, type Stack } from "../support/stack";

let stack: Stack;
let shop: string;
let memberId: string;

const post = (fields: Record<string, string>) => postAdminAction<{ error?: string; saved?: boolean; code?: string }>(stack.appUrl, "/app/loyalty", fields, shop);
const balance = async () => {
  const entries = await stack.db.pointsEntry.findMany({ where: { memberId, status: "approved" } });
  return entries.reduce((sum, e) => sum + e.points, 0);
};

beforeAll(async () => {
  stack = await startStack();
  shop = stack.services.demoShop;
  expect((await stack.install()).status).toBe(200);
  await stack.control("/sandbox/api/orders", { email: "member@example.com", country: "FR", lineItems: [{ title: "Boots", price: "80.00", quantity: 1 }] });
  memberId = (await stack.db.loyaltyMember.findFirstOrThrow({ where: { email: "member@example.com" } })).id;
});
afterAll(async () => {
  await stack?.stop();
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
});
