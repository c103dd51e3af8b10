import { describe, expect, it } from "vitest";
import { count, liftSummary, money, percent, points, weeklySeries } from "./format";

describe("dashboard formatting", () => {
  it("never prints NaN or null: missing figures read as a dash", () => {
    expect([count(null), percent(null), percent(Number.NaN), money(null, "USD"), points(null)]).toEqual(["—", "—", "—", "—", "—"]);
  });

  it("formats money from minor units with the currency's digits", () => {
    expect(money(1_234_567, "USD")).toBe("12,345.67\u00a0USD");
    expect(money(-1500, "JPY")).toBe("−1,500\u00a0JPY");
  });

  it("formats a lift as points with its interval", () => {
    const lift = {
      treated: { n: 412, repeat: 95 },
      holdout: { n: 45, repeat: 8 },
      difference: 0.041,
      ci: [-0.012, 0.094] as [number, number],
      verdict: "inconclusive" as const,
    };
    expect(liftSummary(lift).replace(/\u00a0/g, " ")).toBe("+4.1 pts (95 % CI −1.2 to +9.4)");
  });

  it("sums days into weeks ending today, keeping the totals", () => {
    const days = Array.from({ length: 365 }, (_, i) => ({ day: `d${i}`, orders: 1, revenueCents: 100, newCustomers: i % 2 }));
    const weeks = weeklySeries(days);
    expect(weeks).toHaveLength(52);
    expect(weeks[0]).toMatchObject({ day: "d0", orders: 8 });
    expect(weeks.at(-1)).toMatchObject({ day: "d358", orders: 7 });
    expect(weeks.reduce((s, w) => s + w.orders, 0)).toBe(365);
    expect(weeklySeries(days.slice(0, 90))[0]).toMatchObject({ day: "d0", orders: 6 });
  });
});
