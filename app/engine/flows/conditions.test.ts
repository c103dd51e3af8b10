import { describe, expect, it } from "vitest";
import { flowConditions, unmetCondition, type OrderFacts } from "./conditions";

const order: OrderFacts = {
  totalCents: 5000,
  shipCountry: "FR",
  productIds: ["gid://shopify/Product/1"],
  productTags: ["socks"],
  customerTags: ["vip"],
  previousOrders: 0,
};
const when = (c: object) => unmetCondition(flowConditions.parse(c), order);

describe("flow conditions", () => {
  it("matches when nothing is set", () => expect(when({})).toBeNull());
  it("first vs returning customer", () => {
    expect(when({ customer: "first" })).toBeNull();
    expect(when({ customer: "returning" })).toBe("first order of the customer");
  });
  it("order total range", () => {
    expect(when({ minTotalCents: 5000, maxTotalCents: 5000 })).toBeNull();
    expect(when({ minTotalCents: 5001 })).toBe("order total below the minimum");
    expect(when({ maxTotalCents: 4999 })).toBe("order total above the maximum");
  });
  it("country, product, product tag and customer tag lists", () => {
    expect(when({ countries: ["DE", "FR"] })).toBeNull();
    expect(when({ countries: ["DE"] })).toBe("ships to another country");
    expect(when({ productIds: ["gid://shopify/Product/2"] })).toBe("contains none of the products");
    expect(when({ productTags: ["shoes"] })).toBe("contains no product with the tags");
    expect(when({ customerTags: ["wholesale"] })).toBe("customer has none of the tags");
  });
  it("exactly the customer's Nth order", () => {
    expect(when({ orderNumber: 1 })).toBeNull();
    expect(unmetCondition(flowConditions.parse({ orderNumber: 2 }), { ...order, previousOrders: 1 })).toBeNull();
    expect(when({ orderNumber: 2 })).toBe("not the customer's order number 2");
    expect(unmetCondition(flowConditions.parse({ orderNumber: 2 }), { ...order, previousOrders: 2 })).toBe("not the customer's order number 2");
  });
  it("defers product-tag checks while the tags are unknown", () => {
    expect(unmetCondition(flowConditions.parse({ productTags: ["shoes"] }), { ...order, productTags: null })).toBeNull();
  });
  it("rejects unknown keys instead of ignoring them", () => {
    expect(() => flowConditions.parse({ colour: "red" })).toThrow();
  });
});
