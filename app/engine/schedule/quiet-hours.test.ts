import { describe, expect, it } from "vitest";
import { isInQuietHours, nextAllowedSendTime, parseHHMM } from "./quiet-hours";

const NY = "America/New_York";
const PARIS = "Europe/Paris";
const TOKYO = "Asia/Tokyo";
const NIGHT = { start: "21:00", end: "08:00" };
const LUNCH = { start: "13:00", end: "14:00" };
const utc = (iso: string) => new Date(iso);

describe("parseHHMM", () => {
  it.each([
    ["00:00", { hour: 0, minute: 0 }],
    ["08:00", { hour: 8, minute: 0 }],
    ["8:05", { hour: 8, minute: 5 }],
    ["23:59", { hour: 23, minute: 59 }],
    [" 21:00 ", { hour: 21, minute: 0 }],
  ])("parses %j", (input, expected) => {
    expect(parseHHMM(input)).toEqual(expected);
  });

  it.each(["24:00", "12:60", "8", "08:0", "08:000", "-1:00", "ab:cd", "", "08:00:00", "08h00"])("rejects %j", (input) => {
    expect(parseHHMM(input)).toBeNull();
  });

  it("rejects non-strings at runtime", () => {
    expect(parseHHMM(undefined as unknown as string)).toBeNull();
  });
});

describe("nextAllowedSendTime", () => {
  it("New York 23:30 in winter → 08:00 EST next morning", () => {
    // 2026-01-15T04:30Z = 23:30 EST on Jan 14
    expect(nextAllowedSendTime(utc("2026-01-15T04:30:00Z"), NY, NIGHT)).toEqual(utc("2026-01-15T13:00:00Z"));
  });

  it("New York 23:30 in summer → 08:00 EDT next morning", () => {
    // 2026-07-15T03:30Z = 23:30 EDT on Jul 14
    expect(nextAllowedSendTime(utc("2026-07-15T03:30:00Z"), NY, NIGHT)).toEqual(utc("2026-07-15T12:00:00Z"));
  });

  it("early morning waits until 08:00 the same local day", () => {
    expect(nextAllowedSendTime(utc("2026-01-15T10:00:00Z"), NY, NIGHT)).toEqual(utc("2026-01-15T13:00:00Z"));
  });

  it("Tokyo 22:00 → 08:00 JST (23:00Z the same UTC day)", () => {
    expect(nextAllowedSendTime(utc("2026-01-15T13:00:00Z"), TOKYO, NIGHT)).toEqual(utc("2026-01-15T23:00:00Z"));
    expect(nextAllowedSendTime(utc("2026-01-15T02:00:00Z"), TOKYO, NIGHT)).toEqual(utc("2026-01-15T02:00:00Z")); // 11:00 JST
  });

  it("leaves daytime sends alone", () => {
    const at = utc("2026-01-15T15:00:00Z"); // 10:00 EST
    expect(nextAllowedSendTime(at, NY, NIGHT)).toEqual(at);
  });

  it("treats start as inclusive and end as exclusive", () => {
    expect(nextAllowedSendTime(utc("2026-01-16T02:00:00Z"), NY, NIGHT)).toEqual(utc("2026-01-16T13:00:00Z")); // 21:00 sharp
    expect(nextAllowedSendTime(utc("2026-01-16T01:59:59Z"), NY, NIGHT)).toEqual(utc("2026-01-16T01:59:59Z")); // 20:59:59
    expect(nextAllowedSendTime(utc("2026-01-15T13:00:00Z"), NY, NIGHT)).toEqual(utc("2026-01-15T13:00:00Z")); // 08:00 sharp
    expect(nextAllowedSendTime(utc("2026-01-15T12:59:59Z"), NY, NIGHT)).toEqual(utc("2026-01-15T13:00:00Z")); // 07:59:59
  });

  it("handles the spring-forward night in New York (2026-03-08)", () => {
    // 21:30 EST on Mar 7 → 08:00 EDT on Mar 8 = 12:00Z (the night is an hour shorter).
    expect(nextAllowedSendTime(utc("2026-03-08T02:30:00Z"), NY, NIGHT)).toEqual(utc("2026-03-08T12:00:00Z"));
    // 00:00 EST and 03:30 EDT on Mar 8 → same 08:00 EDT.
    expect(nextAllowedSendTime(utc("2026-03-08T05:00:00Z"), NY, NIGHT)).toEqual(utc("2026-03-08T12:00:00Z"));
    expect(nextAllowedSendTime(utc("2026-03-08T07:30:00Z"), NY, NIGHT)).toEqual(utc("2026-03-08T12:00:00Z"));
  });

  it("handles the spring-forward night in Paris (2026-03-29)", () => {
    // 23:00 CET on Mar 28 → 08:00 CEST on Mar 29 = 06:00Z.
    expect(nextAllowedSendTime(utc("2026-03-28T22:00:00Z"), PARIS, NIGHT)).toEqual(utc("2026-03-29T06:00:00Z"));
    // The evening before: 20:00 CET is fine.
    expect(nextAllowedSendTime(utc("2026-03-28T19:00:00Z"), PARIS, NIGHT)).toEqual(utc("2026-03-28T19:00:00Z"));
  });

  it("handles the fall-back night in New York (2026-11-01)", () => {
    // 01:30 EDT (the first one) → 08:00 EST = 13:00Z.
    expect(nextAllowedSendTime(utc("2026-11-01T05:30:00Z"), NY, NIGHT)).toEqual(utc("2026-11-01T13:00:00Z"));
  });

  it("ends the gap's length after the end time when it falls in a DST gap (02:30 → 03:30 EDT, decision 039)", () => {
    expect(nextAllowedSendTime(utc("2026-03-08T06:00:00Z"), NY, { start: "00:00", end: "02:30" })).toEqual(utc("2026-03-08T07:30:00Z"));
    // Berlin 2027-03-28: 01:45 CET, quiet until 02:30 → 03:30 CEST.
    expect(nextAllowedSendTime(utc("2027-03-28T00:45:00Z"), "Europe/Berlin", { start: "00:00", end: "02:30" })).toEqual(utc("2027-03-28T01:30:00Z"));
  });

  it("ends at the next 01:30 on a fall-back night, where 01:30 happens twice (New York 2027-11-07)", () => {
    const early = { start: "00:00", end: "01:30" };
    expect(nextAllowedSendTime(utc("2027-11-07T05:00:00Z"), NY, early)).toEqual(utc("2027-11-07T05:30:00Z")); // 01:00 EDT → 01:30 EDT
    expect(nextAllowedSendTime(utc("2027-11-07T05:45:00Z"), NY, early)).toEqual(utc("2027-11-07T05:45:00Z")); // 01:45 EDT is allowed
    expect(nextAllowedSendTime(utc("2027-11-07T06:00:00Z"), NY, early)).toEqual(utc("2027-11-07T06:30:00Z")); // 01:00 EST → 01:30 EST
  });

  it("supports windows that don't wrap midnight", () => {
    // Paris winter: 13:30 CET = 12:30Z → 14:00 CET = 13:00Z
    expect(nextAllowedSendTime(utc("2026-01-15T12:30:00Z"), PARIS, LUNCH)).toEqual(utc("2026-01-15T13:00:00Z"));
    expect(nextAllowedSendTime(utc("2026-01-15T12:00:00Z"), PARIS, LUNCH)).toEqual(utc("2026-01-15T13:00:00Z")); // 13:00 sharp
    expect(nextAllowedSendTime(utc("2026-01-15T11:59:00Z"), PARIS, LUNCH)).toEqual(utc("2026-01-15T11:59:00Z"));
    expect(nextAllowedSendTime(utc("2026-01-15T13:00:00Z"), PARIS, LUNCH)).toEqual(utc("2026-01-15T13:00:00Z"));
    expect(nextAllowedSendTime(utc("2026-01-15T22:00:00Z"), PARIS, LUNCH)).toEqual(utc("2026-01-15T22:00:00Z")); // 23:00
  });

  it("start == end means no quiet hours", () => {
    const at = utc("2026-01-15T04:30:00Z");
    expect(nextAllowedSendTime(at, NY, { start: "00:00", end: "00:00" })).toEqual(at);
    expect(isInQuietHours(at, NY, { start: "21:00", end: "21:00" })).toBe(false);
  });

  it("returns a fresh Date even when unchanged", () => {
    const at = utc("2026-01-15T15:00:00Z");
    expect(nextAllowedSendTime(at, NY, NIGHT)).not.toBe(at);
  });

  it("throws on malformed windows and unknown zones", () => {
    expect(() => nextAllowedSendTime(utc("2026-01-15T15:00:00Z"), NY, { start: "25:00", end: "08:00" })).toThrow(RangeError);
    expect(() => nextAllowedSendTime(utc("2026-01-15T15:00:00Z"), NY, { start: "21:00", end: "" })).toThrow(RangeError);
    expect(() => nextAllowedSendTime(utc("2026-01-15T15:00:00Z"), "Nowhere/Land", NIGHT)).toThrow(RangeError);
  });

  it("never returns a time inside quiet hours nor earlier than `at` (hourly sweep through 2026)", () => {
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 47 * 60_000) {
      const at = new Date(ms);
      for (const tz of [NY, PARIS, TOKYO]) {
        const next = nextAllowedSendTime(at, tz, NIGHT);
        expect(next.getTime()).toBeGreaterThanOrEqual(ms);
        expect(next.getTime() - ms).toBeLessThanOrEqual(12 * 3_600_000);
        expect(isInQuietHours(next, tz, NIGHT)).toBe(false);
      }
    }
  }, 30_000); // 33 000 cases: seconds on a loaded 2-core machine, beyond the default 5 s
});
