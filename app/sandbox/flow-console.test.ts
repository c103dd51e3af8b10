import { describe, expect, it } from "vitest";
import { FLOW_ACTIONS, FLOW_TRIGGERS } from "../engine/flow/definitions";
import { answerLine, propertyKey, receivedTriggers, type AdminCallEntry } from "./flow-console";

const call = (at: string, query: string, variables: Record<string, unknown> | null = null): AdminCallEntry => ({
  at,
  shop: "s.myshopify.com",
  operationName: null,
  query,
  variables,
});

describe("receivedTriggers", () => {
  it("keeps the flowTriggerReceive calls, newest first, with their handle and payload however they were written", () => {
    const calls = [
      call(
        "2026-12-05T10:00:00.000Z",
        "mutation T($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { message } } }",
        {
          handle: "review-submitted",
          payload: { Rating: 5 },
        },
      ),
      call("2026-12-05T10:01:00.000Z", "query { shop { name } }"),
      call("2026-12-05T10:02:00.000Z", 'mutation { flowTriggerReceive(handle: "nps-response-received", payload: {Score: 9}) { userErrors { message } } }'),
      call("2026-12-05T10:03:00.000Z", "mutation B($body: String) { flowTriggerReceive(body: $body) { userErrors { message } } }", {
        body: JSON.stringify({ trigger_id: "loyalty-tier-reached", properties: { Tier: "Gold" } }),
      }),
    ];
    expect(receivedTriggers(calls)).toEqual([
      { at: "2026-12-05T10:03:00.000Z", handle: "loyalty-tier-reached", payload: { Tier: "Gold" } },
      { at: "2026-12-05T10:02:00.000Z", handle: "nps-response-received", payload: null },
      { at: "2026-12-05T10:00:00.000Z", handle: "review-submitted", payload: { Rating: 5 } },
    ]);
  });
});

describe("propertyKey and answerLine", () => {
  it("sends reference fields as <object>_id and the others under their key", () => {
    expect(FLOW_ACTIONS.awardPoints.fields.map(propertyKey)).toEqual(["customer_id", "points", "reason"]);
    expect(FLOW_TRIGGERS.reviewSubmitted.fields.map(propertyKey)).toEqual(["product_id", "customer_id", "Rating", "Verified buyer"]);
  });

  it("says the app's status and the message of its answer", () => {
    expect(answerLine({ status: 400, body: { message: "points must be 1 to 100 000" } })).toBe("The app answered 400: points must be 1 to 100 000");
    expect(answerLine({ status: 404, body: "Not Found" })).toBe("The app answered 404: Not Found");
    expect(answerLine({ status: 200, body: "" })).toBe("The app answered 200");
    expect(answerLine({ status: 404, body: "<!DOCTYPE html><html><title>Not found</title></html>" })).toBe("The app answered 404");
  });
});
