import { describe, expect, it } from "vitest";
import { checkoutAccess, checkoutCaller, type BindableOrder } from "./checkout-access";

const DAY = 86_400_000;
const now = new Date("2026-12-04T10:00:00Z");
const CUSTOMER = "gid://shopify/Customer/7";
const order: BindableOrder = { customerShopifyId: CUSTOMER, confirmationNumber: "X7K2PQ9ZB", placedAt: new Date(now.getTime() - DAY), createdAt: now };
const access = (o: Partial<BindableOrder>, sub: unknown, confirmation: unknown, maxAgeMs = 30 * DAY) =>
  checkoutAccess({ ...order, ...o }, checkoutCaller(sub, confirmation), now, maxAgeMs);

describe("checkoutAccess", () => {
  it("lets a guest in with the order's confirmation number, in any letter case", () => {
    expect(access({}, undefined, "X7K2PQ9ZB")).toBe("allowed");
    expect(access({}, undefined, " x7k2pq9zb ")).toBe("allowed");
  });

  it("refuses a guest token that only knows the order id", () => {
    expect(access({}, undefined, null)).toBe("not-yours");
    expect(access({}, undefined, "")).toBe("not-yours");
  });

  it("refuses a wrong confirmation number, even with the order's own customer", () => {
    expect(access({}, undefined, "X7K2PQ9ZC")).toBe("not-yours");
    expect(access({}, CUSTOMER, "WRONG")).toBe("not-yours");
  });

  it("lets the order's logged-in customer in without the number", () => {
    expect(access({}, CUSTOMER, null)).toBe("allowed");
  });

  it("refuses another logged-in customer, even with the right number", () => {
    expect(access({}, "gid://shopify/Customer/8", null)).toBe("not-yours");
    expect(access({}, "gid://shopify/Customer/8", "X7K2PQ9ZB")).toBe("not-yours");
  });

  it("a guest order asked for by a logged-in customer needs the number", () => {
    expect(access({ customerShopifyId: null }, CUSTOMER, null)).toBe("not-yours");
    expect(access({ customerShopifyId: null }, CUSTOMER, "X7K2PQ9ZB")).toBe("allowed");
  });

  it("an order mirrored without a confirmation number is only its customer's", () => {
    expect(access({ confirmationNumber: null }, undefined, "X7K2PQ9ZB")).toBe("not-yours");
    expect(access({ confirmationNumber: null }, CUSTOMER, "X7K2PQ9ZB")).toBe("allowed");
  });

  it("ignores a sub that is not a customer gid", () => {
    expect(access({ customerShopifyId: "gid://shopify/Customer/7" }, "7", null)).toBe("not-yours");
  });

  it("refuses an order placed longer ago than the window (placedAt, else the mirror's createdAt)", () => {
    expect(access({ placedAt: new Date(now.getTime() - 2 * DAY) }, undefined, "X7K2PQ9ZB", 2 * DAY)).toBe("allowed");
    expect(access({ placedAt: new Date(now.getTime() - 2 * DAY - 1) }, undefined, "X7K2PQ9ZB", 2 * DAY)).toBe("too-old");
    expect(access({ placedAt: null, createdAt: new Date(now.getTime() - 3 * DAY) }, CUSTOMER, null, 2 * DAY)).toBe("too-old");
  });
});
