import { describe, expect, it } from "vitest";
import { acceptableSenderName, senderNameProblem, senderNameSchema } from "./sender-name";

describe("sender names", () => {
  it.each(["Trustloop Demo Outfitters", "Café Nørd & Co.", "St. Louis Bakery"])("accepts %s", (name) => {
    expect(senderNameProblem(name)).toBeNull();
  });

  it.each([
    ["support@paypal.com", /email address/],
    ["Maya @ Home", /email address/],
    ["https://evil.example/login", /web address/],
    ["www.evil-shop", /web address/],
    ["Verify at paypal-security.com", /web address/],
    ["Shop\r\nBcc: x", /line breaks/],
    ['Shop" <ceo', /quotes/],
    ["x".repeat(61), /At most 60/],
  ])("refuses %s", (name, problem) => {
    expect(senderNameProblem(name)).toMatch(problem);
  });

  it("treats an empty field as the shop's name", () => {
    expect(senderNameSchema.parse("  ")).toBeNull();
    expect(senderNameSchema.safeParse("Contact support@x.io").success).toBe(false);
  });

  it("falls back to the next acceptable candidate", () => {
    expect(acceptableSenderName("Pay at evil.example", "Demo Shop")).toBe("Demo Shop");
    expect(acceptableSenderName(null, "a@b.c")).toBeNull();
  });
});
