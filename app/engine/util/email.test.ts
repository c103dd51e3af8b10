// The one stored form of an address.
import { describe, expect, it } from "vitest";
import { normalizeEmail, normalizedEmailOrNull } from "./email";

describe("normalizeEmail", () => {
  it("trims and lower-cases", () => {
    expect(normalizeEmail(" Jo@Example.COM\t")).toBe("jo@example.com");
    expect(normalizeEmail("jo@example.com")).toBe("jo@example.com");
  });

  it("gives null for a missing or blank address", () => {
    expect(normalizedEmailOrNull(null)).toBeNull();
    expect(normalizedEmailOrNull(undefined)).toBeNull();
    expect(normalizedEmailOrNull("")).toBeNull();
    expect(normalizedEmailOrNull("   ")).toBeNull();
    expect(normalizedEmailOrNull(" Ann@X.org")).toBe("ann@x.org");
  });
});
