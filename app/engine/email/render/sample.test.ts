import { describe, expect, it } from "vitest";
import { sampleContext } from "./sample";

/** Intl's narrow and no-break spaces as plain ones, for readable expectations. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("sampleContext", () => {
  it.each([
    ["en", "$64.00", "November 22, 2026", "$20.00"],
    ["fr", "64,00 $US", "22 novembre 2026", "20,00 $US"],
    ["de", "64,00 $", "22. November 2026", "20,00 $"],
  ])("formats the sample order's amounts and date for %s", (locale, total, date, price) => {
    const context = sampleContext(locale);
    expect(plain(context.order.total)).toBe(total);
    expect(context.order.date).toBe(date);
    expect(plain(context.line_items[0].price)).toBe(price);
  });
});
