import { describe, expect, it } from "vitest";
import { replacedByDelayNotice } from "./eligibility";

describe("replacedByDelayNotice", () => {
  it("is the service mail anchored to the order's creation (the thank-you)", () => {
    expect(replacedByDelayNotice({ trigger: "order_created", category: "service" })).toBe(true);
  });

  it("is not the notice itself, delivery-anchored service mail, or survey and marketing mail", () => {
    expect(replacedByDelayNotice({ trigger: "delay_detected", category: "service" })).toBe(false);
    expect(replacedByDelayNotice({ trigger: "delivered", category: "service" })).toBe(false);
    expect(replacedByDelayNotice({ trigger: "order_created", category: "survey" })).toBe(false);
    expect(replacedByDelayNotice({ trigger: "order_created", category: "marketing" })).toBe(false);
    expect(replacedByDelayNotice({ trigger: "order_created", category: "service", journeyId: "journey-1" })).toBe(false); // a journey step is not a thank-you
  });
});
