// The checks of a Flow action run's body: the envelope, and each action's properties with the
// sentence the merchant reads in the workflow run when one is wrong.
import { describe, expect, it } from "vitest";
import { actionKeyOf, DAYS_MESSAGE, parseEnvelope, parseProperties, POINTS_MESSAGE, REASON_MESSAGE, shopifyGid } from "./action-properties";
import { FLOW_ACTIONS } from "./definitions";

const HANDLE = FLOW_ACTIONS.awardPoints.handle;
const envelope = (overrides: Record<string, unknown> = {}) => ({
  shop_id: 42,
  shopify_domain: "mine.myshopify.com",
  action_run_id: "run-1",
  action_definition_id: HANDLE,
  handle: HANDLE,
  properties: { customer_id: 7 },
  ...overrides,
});

describe("the envelope", () => {
  it("takes Flow's body and names its parts", () => {
    expect(parseEnvelope(envelope(), HANDLE)).toEqual({
      ok: true,
      value: { shopId: "42", shopDomain: "mine.myshopify.com", actionRunId: "run-1", handle: HANDLE, properties: { customer_id: 7 } },
    });
  });

  it.each([
    ["not an object", [1, 2], "the request body must be a JSON object"],
    ["no run id", envelope({ action_run_id: undefined }), "action_run_id is missing"],
    ["an empty run id", envelope({ action_run_id: "  " }), "action_run_id is empty"],
    ["a run id that is not text", envelope({ action_run_id: 5 }), "action_run_id must be text"],
    ["no properties", envelope({ properties: undefined }), "properties is missing"],
    ["properties that are a list", envelope({ properties: [] }), "properties must be an object"],
    ["no shop id", envelope({ shop_id: undefined }), "shop_id must be the shop's numeric id"],
    [
      "another action's handle",
      envelope({ handle: "pause-trustloop-emails" }),
      `this run is for the action "pause-trustloop-emails", sent to the URL of "${HANDLE}"`,
    ],
  ])("refuses %s", (_, body, message) => {
    expect(parseEnvelope(body, HANDLE)).toEqual({ ok: false, message });
  });
});

describe("ids", () => {
  it.each([
    [123, "gid://shopify/Customer/123"],
    ["123", "gid://shopify/Customer/123"],
    [" gid://shopify/Customer/123 ", "gid://shopify/Customer/123"],
    ["gid://shopify/Order/123", null],
    [0, null],
    [-5, null],
    [1.5, null],
    ["12a", null],
    [null, null],
  ])("%j as a customer → %s", (value, gid) => {
    expect(shopifyGid("Customer", value)).toBe(gid);
  });
});

describe("the properties of each action", () => {
  it("award points: the customer as a gid, the points, the reason trimmed (blank is none)", () => {
    expect(parseProperties("awardPoints", { customer_id: 9, points: 500, reason: "  Birthday " })).toEqual({
      ok: true,
      value: { action: "awardPoints", customerGid: "gid://shopify/Customer/9", points: 500, reason: "Birthday" },
    });
    expect(parseProperties("awardPoints", { customer_id: "gid://shopify/Customer/9", points: "100000", reason: " " })).toMatchObject({
      value: { points: 100_000, reason: null },
    });
  });

  it("send a delay apology: the order as a gid", () => {
    expect(parseProperties("sendDelayApology", { order_id: "1042" })).toEqual({
      ok: true,
      value: { action: "sendDelayApology", orderGid: "gid://shopify/Order/1042" },
    });
  });

  it("pause emails: the customer and the days", () => {
    expect(parseProperties("pauseEmails", { customer_id: 9, days: 365 })).toEqual({
      ok: true,
      value: { action: "pauseEmails", customerGid: "gid://shopify/Customer/9", days: 365 },
    });
  });

  it.each([
    ["awardPoints", {}, "customer_id is missing"],
    ["awardPoints", { customer_id: "abc", points: 5 }, "customer_id must be a Shopify customer id (a number or gid://shopify/Customer/…)"],
    ["awardPoints", { customer_id: 9 }, POINTS_MESSAGE],
    ["awardPoints", { customer_id: 9, points: 0 }, POINTS_MESSAGE],
    ["awardPoints", { customer_id: 9, points: 100_001 }, POINTS_MESSAGE],
    ["awardPoints", { customer_id: 9, points: 2.5 }, POINTS_MESSAGE],
    ["awardPoints", { customer_id: 9, points: "-3" }, POINTS_MESSAGE],
    ["awardPoints", { customer_id: 9, points: 5, reason: "x".repeat(201) }, REASON_MESSAGE],
    ["awardPoints", { customer_id: 9, points: 5, reason: 12 }, REASON_MESSAGE],
    ["sendDelayApology", { order_id: "" }, "order_id is missing"],
    ["sendDelayApology", { order_id: "gid://shopify/Customer/1" }, "order_id must be a Shopify order id (a number or gid://shopify/Order/…)"],
    ["pauseEmails", { customer_id: 9, days: 366 }, DAYS_MESSAGE],
    ["pauseEmails", { customer_id: 9, days: 0 }, DAYS_MESSAGE],
    ["pauseEmails", { customer_id: 9 }, DAYS_MESSAGE],
  ] as const)("%s %j → %s", (action, properties, message) => {
    expect(parseProperties(action, properties)).toEqual({ ok: false, message });
  });

  it("the messages say the limits as the merchant reads them", () => {
    expect(POINTS_MESSAGE).toBe("points must be a whole number from 1 to 100 000");
    expect(DAYS_MESSAGE).toBe("days must be a whole number from 1 to 365");
  });

  it("knows each action by its handle, and no other", () => {
    expect(Object.values(FLOW_ACTIONS).map((a) => actionKeyOf(a.handle))).toEqual(["awardPoints", "sendDelayApology", "pauseEmails"]);
    expect(actionKeyOf("delete-everything")).toBeNull();
  });
});
