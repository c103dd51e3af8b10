import { describe, expect, it } from "vitest";
import { discountValueLabel, formatDay, formatMoney, formatPercent } from "./format";

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatting for the reader", () => {
  it("formats money in the presentment currency for the locale", () => {
    expect(nbsp(formatMoney(123456, "EUR", "fr"))).toBe("1 234,56 €");
    expect(formatMoney(123456, "EUR", "de")).toBe("1.234,56\u00a0€");
    expect(formatMoney(1999, "USD", "en")).toBe("$19.99");
    expect(formatMoney(1500, "JPY", "ja")).toBe("￥1,500"); // no minor units in yen
    expect(formatMoney(null, "EUR", "fr")).toBe("");
  });

  it("shows an amount in a currency Intl does not know, plainly", () => {
    expect(formatMoney(1999, "XX1", "en")).toBe("19.99 XX1");
  });

  it("formats a day in the locale and the reader's time zone", () => {
    const late = new Date("2026-12-11T23:30:00Z");
    expect(formatDay(late, "fr", "Europe/Paris")).toBe("12 décembre 2026");
    expect(formatDay(late, "en", "America/New_York")).toBe("December 11, 2026");
    expect(formatDay(late, "ja", "Asia/Tokyo")).toBe("2026年12月12日");
    expect(formatDay(null, "en", "UTC")).toBe("");
  });

  it("formats percentages", () => {
    expect(formatPercent(10, "en")).toBe("10%");
    expect(nbsp(formatPercent(10, "fr"))).toBe("10 %");
    expect(formatPercent(12.5, "de")).toBe("12,5\u00a0%");
  });

  it("labels a discount by its kind: a percentage, or an amount off in the currency", () => {
    expect(discountValueLabel("percentage", 10, "USD")).toBe("10%");
    expect(discountValueLabel("fixed_amount", 500, "USD")).toBe("$5.00");
    expect(nbsp(discountValueLabel("fixed_amount", 500, "EUR", "fr"))).toBe("5,00 €");
  });
});
