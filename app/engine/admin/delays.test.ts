import { describe, expect, it } from "vitest";
import { delaySettingsSchema, delaySettingsValues } from "./delays";

const valid = {
  notShippedDomesticDays: "3",
  notShippedInternationalDays: "5",
  lateInTransitDays: "1",
  holidays: "2026-12-25\n 2027-01-01 \n\n2026-12-25",
  discountType: "percentage",
  discountValue: "15",
  discountExpiryDays: "30",
  monthlyMaxCodes: "",
  monthlyMaxValue: "250.50",
};
const parse = (changes: Record<string, string> = {}, currency = "USD") => delaySettingsSchema(currency).safeParse({ ...valid, ...changes });

describe("delay settings form", () => {
  it("parses a valid form: holidays sorted and unique, empty budget = no limit, money in minor units", () => {
    const r = parse();
    expect(r.success && r.data).toEqual({
      notShippedDomesticDays: 3,
      notShippedInternationalDays: 5,
      lateInTransitDays: 1,
      holidays: ["2026-12-25", "2027-01-01"],
      discountType: "percentage",
      discountValue: 15,
      discountExpiryDays: 30,
      monthlyMaxCodes: null,
      monthlyMaxValueCents: 25050,
    });
  });

  it("reads a fixed amount in the shop currency", () => {
    const usd = parse({ discountType: "fixed_amount", discountValue: "5" });
    expect(usd.success && usd.data.discountValue).toBe(500);
    const jpy = parse({ discountType: "fixed_amount", discountValue: "500", monthlyMaxValue: "10000" }, "JPY");
    expect(jpy.success && [jpy.data.discountValue, jpy.data.monthlyMaxValueCents]).toEqual([500, 10000]);
  });

  it.each([
    [{ notShippedDomesticDays: "-1" }, "notShippedDomesticDays"],
    [{ lateInTransitDays: "-2" }, "lateInTransitDays"],
    [{ notShippedInternationalDays: "2.5" }, "notShippedInternationalDays"],
    [{ holidays: "2026-02-30" }, "holidays"],
    [{ holidays: "25/12/2026" }, "holidays"],
    [{ holidays: "2026-13-01" }, "holidays"],
    [{ discountType: "bogo" }, "discountType"],
    [{ discountValue: "150" }, "discountValue"],
    [{ discountType: "fixed_amount", discountValue: "0" }, "discountValue"],
    [{ discountExpiryDays: "0" }, "discountExpiryDays"],
    [{ monthlyMaxCodes: "-5" }, "monthlyMaxCodes"],
    [{ monthlyMaxValue: "ten" }, "monthlyMaxValue"],
  ])("refuses %o", (changes, field) => {
    const r = parse(changes);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path[0])).toContain(field);
  });

  it("round-trips stored settings into form values", () => {
    const values = delaySettingsValues(
      {
        shopId: "s",
        notShippedDomesticDays: 2,
        notShippedInternationalDays: 6,
        lateInTransitDays: 0,
        holidays: ["2026-12-25"],
        discountType: "fixed_amount",
        discountValue: 750,
        discountExpiryDays: 14,
        monthlyMaxCodes: 20,
        monthlyMaxValueCents: null,
        updatedAt: new Date(),
      },
      "USD",
    );
    expect(values).toMatchObject({ holidays: "2026-12-25", discountValue: "7.50", monthlyMaxCodes: "20", monthlyMaxValue: "" });
    const again = delaySettingsSchema("USD").safeParse(values);
    expect(again.success && again.data).toMatchObject({ discountValue: 750, monthlyMaxCodes: 20, monthlyMaxValueCents: null, lateInTransitDays: 0 });
  });
});
