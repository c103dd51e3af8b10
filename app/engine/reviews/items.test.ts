import { describe, expect, it } from "vitest";
import { keptProducts, publicAuthorName } from "./items";

const li = (shopifyId: string, productId: string | null, title: string, quantity: number) => ({ shopifyId, productId, title, quantity });
const refund = (items: { lineItemId: string; quantity: number }[]) => ({ lineItems: items });

describe("keptProducts", () => {
  it("asks once per product, in line-item order, without custom items", () => {
    const order = {
      lineItems: [li("L1", "P1", "Socks", 1), li("L2", null, "Gift wrap", 1), li("L3", "P2", "Hat", 2), li("L4", "P1", "Socks (blue)", 1)],
      refunds: [],
    };
    expect(keptProducts(order)).toEqual([
      { productId: "P1", title: "Socks" },
      { productId: "P2", title: "Hat" },
    ]);
  });

  it("leaves out what was fully refunded, keeps what was partly refunded", () => {
    const order = {
      lineItems: [li("L1", "P1", "Socks", 1), li("L2", "P2", "Hat", 2)],
      refunds: [refund([{ lineItemId: "L1", quantity: 1 }]), refund([{ lineItemId: "L2", quantity: 1 }])],
    };
    expect(keptProducts(order)).toEqual([{ productId: "P2", title: "Hat" }]);
  });

  it("a product refunded on one line but kept on another is still asked", () => {
    const order = { lineItems: [li("L1", "P1", "Socks", 1), li("L2", "P1", "Socks", 1)], refunds: [refund([{ lineItemId: "L1", quantity: 1 }])] };
    expect(keptProducts(order)).toEqual([{ productId: "P1", title: "Socks" }]);
  });

  it("everything refunded → nothing; unreadable refund JSON is ignored", () => {
    const order = { lineItems: [li("L1", "P1", "Socks", 2)], refunds: [{ lineItems: "not a list" }, refund([{ lineItemId: "L1", quantity: 2 }])] };
    expect(keptProducts(order)).toEqual([]);
  });
});

describe("publicAuthorName", () => {
  it("first name and last initial, or Verified buyer", () => {
    expect(publicAuthorName("Ada", "lovelace")).toBe("Ada L.");
    expect(publicAuthorName("Ada", null)).toBe("Ada");
    expect(publicAuthorName(null, "Lovelace")).toBe("Verified buyer");
    expect(publicAuthorName("  ", undefined)).toBe("Verified buyer");
  });
});
