import { describe, expect, it } from "vitest";
import { receiveFlowTrigger } from "./flow-trigger";

describe("flowTriggerReceive in the emulator", () => {
  it("accepts a payload of the fields the trigger declares", () => {
    const payload = { product_id: 7, customer_id: 8, Rating: 5, "Verified buyer": true };
    expect(receiveFlowTrigger({ handle: "review-submitted", payload })).toEqual({ userErrors: [] });
  });

  it.each([
    [{ handle: "no-such-trigger", payload: {} }, "handle"],
    [{ handle: null, payload: {} }, "handle"],
    [{ handle: "review-submitted", payload: [1] }, "payload"],
    [{ handle: "review-submitted", payload: { Stars: 5 } }, "payload"],
    [{ handle: "review-submitted", payload: { Rating: "x".repeat(50_001) } }, "payload"],
  ])("refuses %j with a user error on %s", (args, field) => {
    expect(receiveFlowTrigger(args).userErrors).toEqual([expect.objectContaining({ field: expect.arrayContaining([field]) })]);
  });
});
