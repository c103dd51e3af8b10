import { describe, expect, it } from "vitest";
import { CATEGORY_PRIORITY, byPriority, capDeferral, isCapped } from "./frequency-cap";

const HOUR = 3_600_000;
const now = new Date("2026-01-15T12:00:00Z");
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const later = (hours: number) => new Date(now.getTime() + hours * HOUR);

describe("capDeferral", () => {
  describe("1 email per 24 hours", () => {
    const cap = { count: 1, hours: 24 };

    it("allows the first email", () => {
      expect(capDeferral({ sentAt: [], now, cap })).toBeNull();
    });

    it("defers until 24 hours after the last send", () => {
      expect(capDeferral({ sentAt: [ago(2)], now, cap })).toEqual(later(22));
      expect(capDeferral({ sentAt: [ago(10), ago(2), ago(30)], now, cap })).toEqual(later(22));
    });

    it("treats the window as (now − 24h, now]: a send exactly 24h ago no longer counts", () => {
      expect(capDeferral({ sentAt: [ago(24)], now, cap })).toBeNull();
      expect(capDeferral({ sentAt: [new Date(ago(24).getTime() + 1)], now, cap })).toEqual(new Date(now.getTime() + 1));
    });

    it("counts a send at the same instant", () => {
      expect(capDeferral({ sentAt: [now], now, cap })).toEqual(later(24));
    });
  });

  describe("2 emails per 24 hours", () => {
    const cap = { count: 2, hours: 24 };

    it("allows a second email", () => {
      expect(capDeferral({ sentAt: [ago(3)], now, cap })).toBeNull();
      expect(capDeferral({ sentAt: [ago(3), ago(30)], now, cap })).toBeNull();
    });

    it("defers until the older of the two sends leaves the window", () => {
      expect(capDeferral({ sentAt: [ago(10), ago(20)], now, cap })).toEqual(later(4));
    });

    it("uses the count-th most recent send when more sends are in the window", () => {
      // Most recent first: 1h, 3h, 5h ago → the 2nd most recent (3h ago) must age out: now + 21h.
      expect(capDeferral({ sentAt: [ago(5), ago(1), ago(3)], now, cap })).toEqual(later(21));
    });

    it("gives the earliest instant: one ms earlier is still capped, at the instant it is free", () => {
      const sentAt = [ago(5), ago(1), ago(3), ago(23.5)];
      const at = capDeferral({ sentAt, now, cap });
      expect(at).not.toBeNull();
      expect(capDeferral({ sentAt, now: at!, cap })).toBeNull();
      expect(capDeferral({ sentAt, now: new Date(at!.getTime() - 1), cap })).toEqual(at);
    });
  });

  it("3 per 7 days", () => {
    const cap = { count: 3, hours: 168 };
    expect(capDeferral({ sentAt: [ago(24), ago(48)], now, cap })).toBeNull();
    expect(capDeferral({ sentAt: [ago(24), ago(48), ago(100)], now, cap })).toEqual(later(68));
  });

  it("counts sends stamped after now (clock skew, already claimed)", () => {
    expect(capDeferral({ sentAt: [later(1)], now, cap: { count: 1, hours: 24 } })).toEqual(later(25));
  });

  it("treats count <= 0 or hours <= 0 as no cap", () => {
    expect(capDeferral({ sentAt: [now], now, cap: { count: 0, hours: 24 } })).toBeNull();
    expect(capDeferral({ sentAt: [now], now, cap: { count: 1, hours: 0 } })).toBeNull();
  });

  it("rejects invalid input", () => {
    expect(() => capDeferral({ sentAt: [], now: new Date(NaN), cap: { count: 1, hours: 24 } })).toThrow(RangeError);
    expect(() => capDeferral({ sentAt: [new Date(NaN)], now, cap: { count: 1, hours: 24 } })).toThrow(RangeError);
    expect(() => capDeferral({ sentAt: [], now, cap: { count: 1.5, hours: 24 } })).toThrow(RangeError);
    expect(() => capDeferral({ sentAt: [], now, cap: { count: NaN, hours: 24 } })).toThrow(RangeError);
  });

  it("does not mutate the input", () => {
    const sentAt = [ago(5), ago(1), ago(3)];
    const copy = [...sentAt];
    capDeferral({ sentAt, now, cap: { count: 2, hours: 24 } });
    expect(sentAt).toEqual(copy);
  });
});

describe("byPriority", () => {
  it("orders service, then survey, then marketing", () => {
    expect(CATEGORY_PRIORITY).toEqual({ service: 0, survey: 1, marketing: 2 });
    const at = new Date("2026-01-15T12:00:00Z");
    const items = [
      { id: "m", category: "marketing", sendAt: at },
      { id: "v", category: "survey", sendAt: at },
      { id: "s", category: "service", sendAt: at },
    ];
    expect([...items].sort(byPriority).map((i) => i.id)).toEqual(["s", "v", "m"]);
  });

  it("then earlier sendAt first, and unknown categories last", () => {
    const items = [
      { id: "m1", category: "marketing", sendAt: later(1) },
      { id: "x", category: "mystery", sendAt: ago(100) },
      { id: "s2", category: "service", sendAt: later(5) },
      { id: "m0", category: "marketing", sendAt: ago(1) },
      { id: "s1", category: "service", sendAt: later(2) },
      { id: "v", category: "survey", sendAt: later(9) },
    ];
    expect([...items].sort(byPriority).map((i) => i.id)).toEqual(["s1", "s2", "v", "m0", "m1", "x"]);
  });

  it("returns 0 for equal items and is antisymmetric", () => {
    const a = { category: "survey", sendAt: now };
    const b = { category: "marketing", sendAt: ago(1) };
    expect(byPriority(a, { ...a })).toBe(0);
    expect(Math.sign(byPriority(a, b))).toBe(-Math.sign(byPriority(b, a)));
  });
});

describe("isCapped", () => {
  it("defers survey and marketing mail, never service mail", () => {
    expect(isCapped("service")).toBe(false);
    expect(isCapped("survey")).toBe(true);
    expect(isCapped("marketing")).toBe(true);
  });

  it("caps categories it does not know", () => {
    expect(isCapped("mystery")).toBe(true);
    expect(isCapped("")).toBe(true);
  });
});
