import { describe, expect, it } from "vitest";
import { flowConditions, lineItemFacts, needsProductTags, unmetCondition, type OrderFacts } from "./conditions";

const order: OrderFacts = {
  totalCents: 5000,
  shipCountry: "FR",
  productIds: ["gid://shopify/Product/1"],
  productTags: ["socks"],
  customerTags: ["vip"],
  previousOrders: 0,
  vendors: ["Brewline"],
  collections: ["coffee-machines", "Coffee machines"],
  subscribed: true,
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
  it.each<[string, object, Partial<OrderFacts>, string | null]>([
    ["vendor, any of them", { vendors: ["Acme", "brewline"] }, {}, null],
    ["vendor not among them", { vendors: ["Acme"] }, {}, "no product from the vendors"],
    ["vendor when the items have none", { vendors: ["Brewline"] }, { vendors: [] }, "no product from the vendors"],
    ["collection by handle", { collections: ["coffee-machines"] }, {}, null],
    ["collection by title, any case", { collections: ["Grinders", "COFFEE MACHINES"] }, {}, null],
    ["collection not among them", { collections: ["grinders"] }, {}, "no product in the collections"],
    ["collection not known yet", { collections: ["grinders"] }, { collections: null }, null],
    ["at least 1 order, counting this one", { minOrders: 1 }, {}, null],
    ["at least 2 orders on a first order", { minOrders: 2 }, {}, "customer has fewer than 2 orders"],
    ["at least 2 orders on a second order", { minOrders: 2 }, { previousOrders: 1 }, null],
    ["at most 3 orders on a third order", { maxOrders: 3 }, { previousOrders: 2 }, null],
    ["at most 3 orders on a fourth order", { maxOrders: 3 }, { previousOrders: 3 }, "customer has more than 3 orders"],
    ["subscribed to email marketing", { subscribed: true }, {}, null],
    ["not subscribed to email marketing", { subscribed: true }, { subscribed: false }, "customer not subscribed to email marketing"],
    ["consent not asked for", { subscribed: false }, { subscribed: false }, null],
  ])("%s", (_, conditions, facts, unmet) => {
    expect(unmetCondition(flowConditions.parse(conditions), { ...order, ...facts })).toBe(unmet);
  });
  it("needs the products' facts for tag and collection conditions only", () => {
    expect(needsProductTags(flowConditions.parse({ collections: ["kitchen"] }))).toBe(true);
    expect(needsProductTags(flowConditions.parse({ vendors: ["Brewline"] }))).toBe(false);
  });
  it("reads product ids and vendors from the line items", () => {
    expect(
      lineItemFacts([
        { productId: "gid://shopify/Product/1", vendor: "Brewline" },
        { productId: null, vendor: null },
      ]),
    ).toEqual({
      productIds: ["gid://shopify/Product/1"],
      vendors: ["Brewline"],
    });
  });
  it("defers product-tag checks while the tags are unknown", () => {
    expect(unmetCondition(flowConditions.parse({ productTags: ["shoes"] }), { ...order, productTags: null })).toBeNull();
  });
  it("rejects unknown keys instead of ignoring them", () => {
    expect(() => flowConditions.parse({ colour: "red" })).toThrow();
  });
});
