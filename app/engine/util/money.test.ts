import { describe, expect, it } from "vitest";
import { formatMinorUnits, toMinorUnits } from "./money";

describe("money in minor units", () => {
  it.each([
    ["12.34", "USD", 1234],
    ["12.3", "EUR", 1230],
    ["0.005", "USD", 1],
    ["1500", "JPY", 1500],
    ["1.234", "KWD", 1234],
    ["-5.10", "USD", -510],
  ])("%s %s → %i", (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it("refuses malformed amounts instead of guessing", () => {
    expect(toMinorUnits("12,34", "USD")).toBeNull();
    expect(toMinorUnits(undefined, "USD")).toBeNull();
  });

  it("formats back", () => {
    expect(formatMinorUnits(1234, "USD")).toBe("12.34");
    expect(formatMinorUnits(1500, "JPY")).toBe("1500");
    expect(formatMinorUnits(-5, "USD")).toBe("-0.05");
  });
});
