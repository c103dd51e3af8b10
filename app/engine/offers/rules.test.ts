import { describe, expect, it } from "vitest";
import { cartPermalink, chooseOffer, estimatePoints, offerCode, offerRuleInput, parseAmountToCents, ruleMatches, type OfferRuleLike } from "./rules";

const rule = (over: Partial<OfferRuleLike>): OfferRuleLike => ({
  id: "r",
  name: "r",
  anyOrder: false,
  triggerProducts: [],
  triggerTags: [],
  offerVariantId: "gid://shopify/ProductVariant/7",
  offerTitle: "Mug",
  discountPercent: 10,
  expiryDays: 7,
  priority: 0,
  perCustomerLimit: 1,
  enabled: true,
  ...over,
});
const P1 = "gid://shopify/Product/1";

describe("offer rules", () => {
  it("matches any order, products and tags (case-insensitive); disabled never", () => {
    expect(ruleMatches(rule({ anyOrder: true }), { productIds: [] })).toBe(true);
    expect(ruleMatches(rule({ triggerProducts: [P1] }), { productIds: [P1, null] })).toBe(true);
    expect(ruleMatches(rule({ triggerProducts: [P1] }), { productIds: ["gid://shopify/Product/2"] })).toBe(false);
    expect(ruleMatches(rule({ triggerTags: ["Coffee"] }), { productIds: [P1] }, new Map([[P1, ["coffee "]]]))).toBe(true);
    expect(ruleMatches(rule({ anyOrder: true, enabled: false }), { productIds: [] })).toBe(false);
    expect(ruleMatches(rule({ triggerProducts: { not: "a list" } }), { productIds: [P1] })).toBe(false);
  });
  it("chooses by priority, skips rules at the customer's limit, looks tags up only when needed", async () => {
    const low = rule({ id: "low", anyOrder: true, priority: 0 });
    const high = rule({ id: "high", triggerProducts: [P1], priority: 5 });
    expect((await chooseOffer({ rules: [low, high], order: { productIds: [P1] }, grantsByRule: new Map() }))?.id).toBe("high");
    expect((await chooseOffer({ rules: [low, high], order: { productIds: [P1] }, grantsByRule: new Map([["high", 1]]) }))?.id).toBe("low");
    expect(await chooseOffer({ rules: [low], order: { productIds: [] }, grantsByRule: new Map([["low", 1]]) })).toBeNull();
    expect(
      (await chooseOffer({ rules: [rule({ id: "u", anyOrder: true, perCustomerLimit: 0 })], order: { productIds: [] }, grantsByRule: new Map([["u", 9]]) }))
        ?.id,
    ).toBe("u");
    let looked = 0;
    const tagLookup = async () => (looked++, new Map([[P1, ["gift"]]]));
    expect(
      (await chooseOffer({ rules: [rule({ id: "t", triggerTags: ["gift"] })], order: { productIds: [P1] }, grantsByRule: new Map(), tagLookup }))?.id,
    ).toBe("t");
    await chooseOffer({ rules: [high], order: { productIds: [P1] }, grantsByRule: new Map(), tagLookup });
    expect(looked).toBe(1);
    const failing = async () => {
      throw new Error("down");
    };
    expect(
      (await chooseOffer({ rules: [rule({ id: "t", triggerTags: ["gift"] }), low], order: { productIds: [P1] }, grantsByRule: new Map(), tagLookup: failing }))
        ?.id,
    ).toBe("low");
  });
  it("derives a stable code per rule and order, and the cart permalink", () => {
    expect(offerCode("r1", "gid://shopify/Order/1")).toBe(offerCode("r1", "gid://shopify/Order/1"));
    expect(offerCode("r1", "gid://shopify/Order/1")).not.toBe(offerCode("r1", "gid://shopify/Order/2"));
    expect(offerCode("r1", "o")).toMatch(/^THANKS-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(cartPermalink("https://shop.example/", "gid://shopify/ProductVariant/42", "THANKS-AB")).toBe("https://shop.example/cart/42:1?discount=THANKS-AB");
  });
  it("estimates points and parses amounts", () => {
    expect(estimatePoints(4099, 2)).toBe(81);
    expect(estimatePoints(null, 2)).toBe(0);
    expect(parseAmountToCents("12.50")).toBe(1250);
    expect(parseAmountToCents("-1")).toBeNull();
    expect(parseAmountToCents("abc")).toBeNull();
  });
  it("validates the editor input", () => {
    // The editor's fields (an extra id is ignored by the schema).
    const base = rule({ name: "x", offerVariantId: "gid://shopify/ProductVariant/1" });
    expect(offerRuleInput.safeParse(base).success).toBe(false);
    expect(offerRuleInput.safeParse({ ...base, anyOrder: true }).success).toBe(true);
    expect(offerRuleInput.safeParse({ ...base, anyOrder: true, discountPercent: 0 }).success).toBe(false);
    expect(offerRuleInput.safeParse({ ...base, anyOrder: true, offerVariantId: "7" }).success).toBe(false);
  });
});
