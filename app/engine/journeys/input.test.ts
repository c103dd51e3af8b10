import { describe, expect, it } from "vitest";
import { JOURNEY_EXAMPLES } from "./examples";
import { journeyConditions, journeyFieldErrors, journeyInput, stepColumns, triggerColumns, waitOf } from "./input";

const valid = {
  name: "Onboarding",
  trigger: "delivered",
  category: "service",
  holdoutPercent: "10",
  stopOnReorder: "on",
  productTags: "espresso-machine, grinder",
  countries: "fr, de",
  steps: [{ waitValue: "1", waitUnit: "days", sendAtLocalTime: "10:00", subject: "Hi", body: "Hello" }],
};
const errorsOf = (input: object) => {
  const parsed = journeyInput.safeParse(input);
  return parsed.success ? {} : journeyFieldErrors(parsed.error);
};

describe("journey input", () => {
  it("parses the form's strings into conditions and step columns", () => {
    const j = journeyInput.parse(valid);
    expect(j).toMatchObject({ holdoutPercent: 10, stopOnReorder: true, productTags: ["espresso-machine", "grinder"], countries: ["FR", "DE"] });
    expect(stepColumns(j.steps[0], j)).toEqual({ delayMinutes: 1440, sendAtLocalTime: "10:00", subject: "Hi", body: "Hello" });
    expect(journeyConditions(j)).toMatchObject({ customer: "any", orderNumber: null, productTags: ["espresso-machine", "grinder"] });
  });

  it("turns first and Nth order triggers into conditions", () => {
    expect(journeyConditions(journeyInput.parse({ ...valid, trigger: "first_order" })).customer).toBe("first");
    expect(journeyConditions(journeyInput.parse({ ...valid, trigger: "nth_order", orderNumber: "3" })).orderNumber).toBe(3);
  });

  it("parses product, vendor, collection, orders-count and consent conditions", () => {
    const j = journeyInput.parse({
      ...valid,
      productIds: "gid://shopify/Product/1, gid://shopify/Product/2",
      vendors: "Brewline, Acme ",
      collections: "Coffee machines",
      minOrders: "2",
      maxOrders: "5",
      subscribed: "true",
    });
    expect(journeyConditions(j)).toMatchObject({
      productIds: ["gid://shopify/Product/1", "gid://shopify/Product/2"],
      vendors: ["Brewline", "Acme"],
      collections: ["Coffee machines"],
      minOrders: 2,
      maxOrders: 5,
      subscribed: true,
    });
    expect(journeyConditions(journeyInput.parse({ ...valid, minOrders: "", maxOrders: "" }))).toMatchObject({
      minOrders: null,
      maxOrders: null,
      subscribed: false,
    });
  });

  it.each([
    [{ productIds: "socks" }, { productIds: "Pick products from the list" }],
    [{ minOrders: "0" }, { minOrders: "Minimum orders must be at least 1" }],
    [{ maxOrders: "two" }, { maxOrders: "Maximum orders must be a number" }],
    [{ minOrders: "3", maxOrders: "2" }, { maxOrders: "Maximum orders cannot be below the minimum" }],
  ])("puts the condition's error on its field: %o", (fields, errors) => {
    expect(errorsOf({ ...valid, ...fields })).toEqual(errors);
  });

  it("names the fields in error, step by step", () => {
    expect(errorsOf({ ...valid, name: " ", trigger: "nth_order", steps: [{ ...valid.steps[0], subject: "", waitValue: "181" }] })).toEqual({
      name: "A name is required",
      orderNumber: "Which order? 2 for the second",
      "steps.0.subject": "A subject is required",
      "steps.0.waitValue": "At most 180 days after the trigger",
    });
    expect(errorsOf({ ...valid, steps: [] })).toEqual({ steps: "Add at least one step" });
    expect(errorsOf({ ...valid, countries: "France" })).toEqual({ countries: "Two-letter ISO codes separated by commas, e.g. US, CA" });
  });

  it("shows a stored wait in whole days or hours", () => {
    const delivered = { trigger: "delivered", quietDays: null };
    expect(waitOf(30 * 1440, delivered)).toEqual({ waitValue: 30, waitUnit: "days" });
    expect(waitOf(120, delivered)).toEqual({ waitValue: 2, waitUnit: "hours" });
    expect(waitOf(0, delivered)).toEqual({ waitValue: 0, waitUnit: "minutes" });
  });

  it("counts a win-back's steps from the quiet days after the last order, and always stops it on a new order", () => {
    expect(errorsOf({ ...valid, trigger: "win_back" })).toEqual({ quietDays: "After how many days without an order? e.g. 90" });
    expect(errorsOf({ ...valid, trigger: "win_back", quietDays: "3" })).toEqual({ quietDays: "Days without an order must be at least 7" });
    const j = journeyInput.parse({ ...valid, trigger: "win_back", quietDays: "90", stopOnReorder: "false" });
    expect(stepColumns(j.steps[0], j).delayMinutes).toBe(91 * 1440);
    expect(waitOf(91 * 1440, { trigger: "win_back", quietDays: 90 })).toEqual({ waitValue: 1, waitUnit: "days" });
    expect(triggerColumns(j)).toEqual({ trigger: "win_back", orderNumber: null, quietDays: 90, tierName: null, stopOnReorder: true });
  });

  it("keeps the tier of a tier journey, none for any tier", () => {
    const tier = (tierName: string) => triggerColumns(journeyInput.parse({ ...valid, trigger: "tier_reached", tierName })).tierName;
    expect([tier(" Gold "), tier("")]).toEqual(["Gold", null]);
  });

  it("ships examples that validate", () => {
    for (const example of JOURNEY_EXAMPLES) expect(journeyInput.safeParse(example.input).success).toBe(true);
  });
});
