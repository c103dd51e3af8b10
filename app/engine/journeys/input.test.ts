import { describe, expect, it } from "vitest";
import { JOURNEY_EXAMPLES } from "./examples";
import { journeyConditions, journeyFieldErrors, journeyInput, stepColumns, waitOf } from "./input";

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
    expect(stepColumns(j.steps[0])).toEqual({ delayMinutes: 1440, sendAtLocalTime: "10:00", subject: "Hi", body: "Hello" });
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
    expect(waitOf(30 * 1440)).toEqual({ waitValue: 30, waitUnit: "days" });
    expect(waitOf(120)).toEqual({ waitValue: 2, waitUnit: "hours" });
    expect(waitOf(0)).toEqual({ waitValue: 0, waitUnit: "minutes" });
  });

  it("ships examples that validate", () => {
    for (const example of JOURNEY_EXAMPLES) expect(journeyInput.safeParse(example.input).success).toBe(true);
  });
});
