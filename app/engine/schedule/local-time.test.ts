import { describe, expect, it } from "vitest";
import { addBusinessDays, localDateString, localParts, nextLocalTime, zonedTimeToUtc } from "./local-time";

const NY = "America/New_York";
const PARIS = "Europe/Paris";
const TOKYO = "Asia/Tokyo";
const utc = (iso: string) => new Date(iso);

describe("localParts", () => {
  it("reads the wall clock in the zone, weekday included", () => {
    // 2026-01-15T04:30Z is Wednesday 23:30 EST in New York, Thursday 13:30 in Tokyo.
    expect(localParts(utc("2026-01-15T04:30:15Z"), NY)).toEqual({ year: 2026, month: 1, day: 14, hour: 23, minute: 30, second: 15, weekday: 3 });
    expect(localParts(utc("2026-01-15T04:30:15Z"), TOKYO)).toEqual({ year: 2026, month: 1, day: 15, hour: 13, minute: 30, second: 15, weekday: 4 });
  });

  it("uses 0 for midnight (never 24) and 0 for Sunday", () => {
    expect(localParts(utc("2026-03-08T05:00:00Z"), NY)).toMatchObject({ day: 8, hour: 0, minute: 0, weekday: 0 });
    expect(localParts(utc("2026-01-01T00:00:00Z"), "UTC")).toMatchObject({ year: 2026, month: 1, day: 1, hour: 0, weekday: 4 });
  });

  it("follows DST: the same UTC hour reads differently in winter and summer", () => {
    expect(localParts(utc("2026-01-15T12:00:00Z"), NY).hour).toBe(7);
    expect(localParts(utc("2026-07-15T12:00:00Z"), NY).hour).toBe(8);
  });

  it("throws on an unknown zone or an invalid date", () => {
    expect(() => localParts(utc("2026-01-15T12:00:00Z"), "Nowhere/Land")).toThrow(RangeError);
    expect(() => localParts(new Date(NaN), NY)).toThrow(RangeError);
  });

  it("formats the local date", () => {
    expect(localDateString(utc("2026-01-15T04:30:00Z"), NY)).toBe("2026-01-14");
    expect(localDateString(utc("2026-01-15T04:30:00Z"), TOKYO)).toBe("2026-01-15");
  });
});

describe("zonedTimeToUtc", () => {
  it("converts ordinary wall times in winter and summer", () => {
    expect(zonedTimeToUtc({ year: 2026, month: 1, day: 15, hour: 8, minute: 0 }, NY)).toEqual(utc("2026-01-15T13:00:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 7, day: 15, hour: 8, minute: 0 }, NY)).toEqual(utc("2026-07-15T12:00:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 1, day: 15, hour: 8, minute: 0 }, TOKYO)).toEqual(utc("2026-01-14T23:00:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 6, day: 1, hour: 9, minute: 30, second: 5 }, "Asia/Kolkata")).toEqual(utc("2026-06-01T04:00:05Z"));
  });

  // Until decision 039 a time in the gap moved to the transition itself (02:30 → 03:00); Luxon moves
  // it forward by the gap's length (02:30 → 03:30), iCalendar's rule (RFC 5545 §3.3.5).
  it("moves a time inside a spring-forward gap forward by the gap's length (New York, 2026-03-08)", () => {
    // Clocks jump 02:00 EST → 03:00 EDT at 07:00Z; 02:30 never happens and reads as 02:30 EST = 03:30 EDT.
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, NY)).toEqual(utc("2026-03-08T07:30:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 0 }, NY)).toEqual(utc("2026-03-08T07:00:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 1, minute: 59 }, NY)).toEqual(utc("2026-03-08T06:59:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 3, minute: 0 }, NY)).toEqual(utc("2026-03-08T07:00:00Z"));
  });

  it("moves a time inside a spring-forward gap forward by the gap's length (Paris, 2026-03-29)", () => {
    // Clocks jump 02:00 CET → 03:00 CEST at 01:00Z: 02:30 → 03:30 CEST.
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, PARIS)).toEqual(utc("2026-03-29T01:30:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 8, minute: 0 }, PARIS)).toEqual(utc("2026-03-29T06:00:00Z"));
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 28, hour: 8, minute: 0 }, PARIS)).toEqual(utc("2026-03-28T07:00:00Z"));
  });

  it("handles a 30-minute DST shift (Lord Howe Island)", () => {
    // 2026-10-04 02:00 (+10:30) → 02:30 (+11:00) at 15:30Z on Oct 3: 02:15 → 02:45 (+11:00).
    expect(zonedTimeToUtc({ year: 2026, month: 10, day: 4, hour: 2, minute: 15 }, "Australia/Lord_Howe")).toEqual(utc("2026-10-03T15:45:00Z"));
  });

  it("picks the earlier instant for an ambiguous fall-back time", () => {
    // New York 2026-11-01 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NY)).toEqual(utc("2026-11-01T05:30:00Z"));
    // Paris 2026-10-25 02:30 happens at 00:30Z (CEST) and 01:30Z (CET).
    expect(zonedTimeToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, PARIS)).toEqual(utc("2026-10-25T00:30:00Z"));
  });

  it("02:30 on the spring-forward nights of 2027 is 03:30 summer time (New York 2027-03-14, Berlin 2027-03-28)", () => {
    expect(zonedTimeToUtc({ year: 2027, month: 3, day: 14, hour: 2, minute: 30 }, NY)).toEqual(utc("2027-03-14T07:30:00Z"));
    expect(localParts(utc("2027-03-14T07:30:00Z"), NY)).toMatchObject({ hour: 3, minute: 30 });
    expect(zonedTimeToUtc({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 }, "Europe/Berlin")).toEqual(utc("2027-03-28T01:30:00Z"));
    expect(localParts(utc("2027-03-28T01:30:00Z"), "Europe/Berlin")).toMatchObject({ hour: 3, minute: 30 });
  });

  it("01:30 on the fall-back night of 2027 is the first of its two occurrences (New York 2027-11-07)", () => {
    // 01:30 EDT = 05:30Z, then 01:30 EST = 06:30Z; Luxon alone would pick the later one.
    expect(zonedTimeToUtc({ year: 2027, month: 11, day: 7, hour: 1, minute: 30 }, NY)).toEqual(utc("2027-11-07T05:30:00Z"));
    expect(nextLocalTime(utc("2027-11-07T05:31:00Z"), "01:30", NY)).toEqual(utc("2027-11-07T06:30:00Z"));
    expect(zonedTimeToUtc({ year: 2027, month: 10, day: 31, hour: 2, minute: 30 }, "Europe/Berlin")).toEqual(utc("2027-10-31T00:30:00Z"));
  });

  it("normalizes overflowing fields like Date.UTC", () => {
    expect(zonedTimeToUtc({ year: 2026, month: 1, day: 32, hour: 8, minute: 0 }, NY)).toEqual(utc("2026-02-01T13:00:00Z"));
  });

  it("round-trips with localParts every 37 minutes through a DST year", () => {
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 60_000) {
      for (const tz of [NY, PARIS]) {
        const p = localParts(new Date(ms), tz);
        const back = zonedTimeToUtc(p, tz);
        // Equal, except in the repeated fall-back hour where the earlier instant is chosen.
        expect(back.getTime() === ms || back.getTime() === ms - 3_600_000).toBe(true);
      }
    }
  }, 30_000); // 28 000 conversions: seconds on a loaded 2-core machine, beyond the default 5 s

  it("rejects non-integer fields and unknown zones", () => {
    expect(() => zonedTimeToUtc({ year: 2026, month: 1, day: 1.5, hour: 8, minute: 0 }, NY)).toThrow(RangeError);
    expect(() => zonedTimeToUtc({ year: 2026, month: 1, day: 1, hour: 8, minute: 0 }, "Nowhere/Land")).toThrow(RangeError);
  });
});

describe("nextLocalTime", () => {
  it("returns today's occurrence when it is still ahead, tomorrow's otherwise", () => {
    expect(nextLocalTime(utc("2026-01-15T12:00:00Z"), "08:00", NY)).toEqual(utc("2026-01-15T13:00:00Z"));
    expect(nextLocalTime(utc("2026-01-15T14:00:00Z"), "08:00", NY)).toEqual(utc("2026-01-16T13:00:00Z"));
    expect(nextLocalTime(utc("2026-01-15T13:00:00Z"), "08:00", NY)).toEqual(utc("2026-01-15T13:00:00Z")); // >= from
    expect(nextLocalTime(utc("2026-01-15T13:00:00.001Z"), "08:00", NY)).toEqual(utc("2026-01-16T13:00:00Z"));
  });

  it("works in Tokyo, whose day starts in the previous UTC day", () => {
    expect(nextLocalTime(utc("2026-01-15T13:00:00Z"), "10:00", TOKYO)).toEqual(utc("2026-01-16T01:00:00Z"));
    expect(nextLocalTime(utc("2026-01-15T16:00:00Z"), "10:00", TOKYO)).toEqual(utc("2026-01-16T01:00:00Z"));
  });

  it("keeps the wall time across spring forward (the next 09:00 is 13:00Z, not 14:00Z)", () => {
    expect(nextLocalTime(utc("2026-03-07T15:00:00Z"), "09:00", NY)).toEqual(utc("2026-03-08T13:00:00Z"));
    expect(nextLocalTime(utc("2026-03-28T09:00:00Z"), "09:00", PARIS)).toEqual(utc("2026-03-29T07:00:00Z"));
  });

  it("keeps the wall time across fall back", () => {
    expect(nextLocalTime(utc("2026-10-31T14:00:00Z"), "09:00", NY)).toEqual(utc("2026-11-01T14:00:00Z"));
  });

  it("moves the wall time forward by the gap on the day it is skipped", () => {
    expect(nextLocalTime(utc("2026-03-08T00:00:00Z"), "02:30", NY)).toEqual(utc("2026-03-08T07:30:00Z")); // 03:30 EDT
    expect(nextLocalTime(utc("2026-03-08T07:45:00Z"), "02:30", NY)).toEqual(utc("2026-03-09T06:30:00Z"));
  });

  it("finds the second occurrence of a repeated fall-back time when the first has passed", () => {
    expect(nextLocalTime(utc("2026-11-01T05:00:00Z"), "01:30", NY)).toEqual(utc("2026-11-01T05:30:00Z"));
    expect(nextLocalTime(utc("2026-11-01T05:45:00Z"), "01:30", NY)).toEqual(utc("2026-11-01T06:30:00Z"));
  });

  it("rejects malformed times", () => {
    expect(() => nextLocalTime(utc("2026-01-15T12:00:00Z"), "24:00", NY)).toThrow(RangeError);
    expect(() => nextLocalTime(utc("2026-01-15T12:00:00Z"), "8am", NY)).toThrow(RangeError);
  });
});

describe("addBusinessDays", () => {
  // Friday 2026-01-16 16:00 EST = 21:00Z
  const fridayAfternoon = utc("2026-01-16T21:00:00Z");

  it("skips the weekend: Friday 16:00 + 3 business days = Wednesday 16:00", () => {
    expect(addBusinessDays(fridayAfternoon, 3, NY, [])).toEqual(utc("2026-01-21T21:00:00Z"));
    expect(addBusinessDays(fridayAfternoon, 1, NY)).toEqual(utc("2026-01-19T21:00:00Z"));
    expect(addBusinessDays(fridayAfternoon, 5, NY)).toEqual(utc("2026-01-23T21:00:00Z"));
  });

  it("skips holidays (local dates)", () => {
    // Monday 2026-01-19 is a holiday → Friday + 3 = Thursday.
    expect(addBusinessDays(fridayAfternoon, 3, NY, ["2026-01-19"])).toEqual(utc("2026-01-22T21:00:00Z"));
    // A holiday on a weekend changes nothing; malformed entries never match.
    expect(addBusinessDays(fridayAfternoon, 3, NY, ["2026-01-17", "garbage"])).toEqual(utc("2026-01-21T21:00:00Z"));
  });

  it("counts in local dates, not UTC dates", () => {
    // 2026-01-17T03:00Z is Friday 22:00 in New York (already Saturday in UTC).
    expect(addBusinessDays(utc("2026-01-17T03:00:00Z"), 1, NY)).toEqual(utc("2026-01-20T03:00:00Z"));
    // Friday 09:00 in Tokyo is Friday 00:00Z.
    expect(addBusinessDays(utc("2026-01-16T00:00:00Z"), 1, TOKYO)).toEqual(utc("2026-01-19T00:00:00Z"));
  });

  it("keeps the local time of day across a DST change", () => {
    // Friday 2026-03-06 16:00 EST → Monday 2026-03-09 16:00 EDT.
    expect(addBusinessDays(utc("2026-03-06T21:00:00Z"), 1, NY)).toEqual(utc("2026-03-09T20:00:00Z"));
  });

  it("starts counting from a weekend day, goes backwards, and treats 0 as no-op", () => {
    expect(addBusinessDays(utc("2026-01-17T15:00:00Z"), 1, NY)).toEqual(utc("2026-01-19T15:00:00Z")); // Sat → Mon
    expect(addBusinessDays(utc("2026-01-19T21:00:00Z"), -1, NY)).toEqual(fridayAfternoon); // Mon → Fri
    expect(addBusinessDays(fridayAfternoon, 0, NY)).toEqual(fridayAfternoon);
    expect(addBusinessDays(fridayAfternoon, 0, NY)).not.toBe(fridayAfternoon);
  });

  it("keeps seconds and milliseconds", () => {
    expect(addBusinessDays(utc("2026-01-16T21:00:07.250Z"), 1, NY)).toEqual(utc("2026-01-19T21:00:07.250Z"));
  });

  it("rejects fractional days", () => {
    expect(() => addBusinessDays(fridayAfternoon, 1.5, NY)).toThrow(RangeError);
  });
});
