import { describe, expect, it } from "vitest";
import { bestAffordable, parseRewards, parseTiers, pointsForOrder, reversalPoints, sumLedger, tierFor, tierRose } from "./points";

const settings = { pointsPerUnit: 1, includeShipping: false, includeTax: false };
const order = { subtotalCents: 4999, totalShippingCents: 500, totalTaxCents: 400, currency: "USD" };

describe("points math", () => {
  it("floors whole units of the subtotal, shipping/tax only when configured", () => {
    expect(pointsForOrder(order, settings)).toBe(49);
    expect(pointsForOrder(order, { ...settings, includeShipping: true, includeTax: true })).toBe(58);
    expect(pointsForOrder(order, { ...settings, pointsPerUnit: 10 }, 1.5)).toBe(749);
    expect(pointsForOrder({ ...order, subtotalCents: 1999 }, { ...settings, pointsPerUnit: 100 })).toBe(1999);
    expect(pointsForOrder({ ...order, currency: "JPY", subtotalCents: 1234 }, settings)).toBe(1234);
  });
  it("picks the highest tier reached", () => {
    const tiers = parseTiers([
      { name: "Gold", thresholdCents: 50000, multiplier: 2 },
      { name: "Silver", thresholdCents: 10000, multiplier: 1.5 },
    ]);
    expect(tierFor(tiers, 9999)).toBeNull();
    expect(tierFor(tiers, 10000)?.name).toBe("Silver");
    expect(tierFor(tiers, 80000)?.name).toBe("Gold");
    expect(parseTiers({ not: "a list" })).toEqual([]);
    // Up the ladder only: a first tier or a higher one; not the same, not down. A tier no longer configured ranks lowest.
    expect([tierRose(tiers, null, "Silver"), tierRose(tiers, "Silver", "Gold"), tierRose(tiers, "Gold", "Gold"), tierRose(tiers, "Gold", "Silver")]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(tierRose(tiers, "Platinum (removed)", "Silver")).toBe(true);
  });
  it("reverses pro rata, never more than what remains", () => {
    expect(reversalPoints(100, 2500, 10000, 100)).toBe(25);
    expect(reversalPoints(100, 10000, 10000, 30)).toBe(30);
    expect(reversalPoints(100, 2500, 10000, 0)).toBe(0);
  });
  it("balance counts approved entries only; rewards affordable", () => {
    expect(
      sumLedger([
        { kind: "earn", points: 50, status: "approved" },
        { kind: "earn", points: 20, status: "pending" },
        { kind: "reverse", points: -5, status: "pending" },
        { kind: "redeem", points: -30, status: "approved" },
        { kind: "earn", points: 9, status: "void" },
      ]),
    ).toEqual({ balance: 20, pending: 15 });
    const rewards = parseRewards([
      { points: 500, valueType: "fixed_amount", value: 500 },
      { points: 100, valueType: "percentage", value: 5 },
    ]);
    expect(bestAffordable(rewards, 499)?.points).toBe(100);
    expect(bestAffordable(rewards, 50)).toBeNull();
  });
});
