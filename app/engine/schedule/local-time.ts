// Wall-clock helpers on Luxon (docs/decisions/039-recipient-zone-and-dst-by-libraries.md). Every
// function is pure: instants are `Date`s (UTC), the zone is an IANA name, and the clock is always
// passed in by the caller. A local time that falls in a spring-forward gap moves forward by the
// length of the gap (02:30 on a US spring-forward night → 03:30 EDT, Luxon's rule and iCalendar's);
// one that occurs twice (fall back) is the earlier instant.
import { DateTime, IANAZone } from "luxon";

export interface LocalParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** A local wall time. Out-of-range fields are normalized like `Date.UTC` (day 32 → next month). */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
  millisecond?: number;
}

/** The zone, or a RangeError for a name the runtime does not know (what callers should see). */
function zoneOf(timeZone: string): IANAZone {
  // create() is cached per name and checks the name once (isValidZone builds a formatter each call).
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown time zone "${timeZone}"`);
  return zone;
}

function inZone(instant: Date, timeZone: string): DateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError("instant must be a valid Date");
  return DateTime.fromJSDate(instant, { zone: zoneOf(timeZone) });
}

/** The wall-clock fields of `instant` in `timeZone`. Throws a RangeError for an unknown zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const d = inZone(instant, timeZone);
  return { year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second, weekday: d.weekday % 7 };
}

/** Every instant whose wall clock in `timeZone` reads `local`, earliest first (two in a fall-back overlap). */
function instantsOf(local: LocalDateTime, timeZone: string): DateTime[] {
  for (const key of ["year", "month", "day", "hour", "minute", "second", "millisecond"] as const) {
    if (local[key] !== undefined && !Number.isInteger(local[key])) throw new RangeError(`local.${key} must be an integer`);
  }
  const zone = zoneOf(timeZone);
  // Overflowing fields are normalized on the calendar alone (UTC has no gaps), then read in the zone.
  const wall = DateTime.utc(local.year, 1, 1).plus({
    months: local.month - 1,
    days: local.day - 1,
    hours: local.hour,
    minutes: local.minute,
    seconds: local.second ?? 0,
    milliseconds: local.millisecond ?? 0,
  });
  const read = wall.setZone(zone, { keepLocalTime: true });
  return read.getPossibleOffsets().sort((a, b) => a.toMillis() - b.toMillis());
}

/** The UTC instant of a local wall time in `timeZone` (gap: moved forward by its length; overlap: the earlier). */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): Date {
  return instantsOf(local, timeZone)[0].toJSDate();
}

const HHMM = /^(\d{1,2}):(\d{2})$/;

/** "HH:MM" (or "H:MM") → { hour 0–23, minute 0–59 }; null for anything else ("24:00", "8", "08:60"). */
export function parseHHMM(s: string): { hour: number; minute: number } | null {
  const match = typeof s === "string" ? HHMM.exec(s.trim()) : null;
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/**
 * The first instant >= `from` at which the local wall clock in `timeZone` reads `hhmm`. On a day
 * where `hhmm` falls in a spring-forward gap, that day's occurrence is moved forward by the gap; on
 * a fall-back day with two occurrences, whichever is the first >= `from` wins.
 */
export function nextLocalTime(from: Date, hhmm: string, timeZone: string): Date {
  const time = parseHHMM(hhmm);
  if (!time) throw new RangeError(`Invalid local time "${hhmm}", expected HH:MM`);
  const start = inZone(from, timeZone);
  for (let dayOffset = 0; dayOffset <= 3; dayOffset++) {
    const local = { year: start.year, month: start.month, day: start.day + dayOffset, ...time };
    const hit = instantsOf(local, timeZone).find((d) => d.toMillis() >= from.getTime());
    if (hit) return hit.toJSDate();
  }
  // Unreachable for real zones: tomorrow's occurrence is always later than `from`.
  throw new RangeError(`No occurrence of ${hhmm} in ${timeZone} after ${from.toISOString()}`);
}

/** "YYYY-MM-DD" of the local calendar date of `instant` in `timeZone`. */
export function localDateString(instant: Date, timeZone: string): string {
  return inZone(instant, timeZone).toISODate()!;
}

/**
 * `from` moved by `days` business days in `timeZone`, keeping the local time of day.
 * Saturdays, Sundays and `holidays` ("YYYY-MM-DD" local dates) are skipped; negative `days` go
 * backwards; 0 returns `from`. Starting on a non-business day counts from it: Saturday + 1 → Monday.
 * If the kept time of day falls in a DST gap on the target date it moves forward by the gap.
 * Malformed holiday strings simply never match.
 */
export function addBusinessDays(from: Date, days: number, timeZone: string, holidays: readonly string[] = []): Date {
  if (!Number.isInteger(days)) throw new RangeError("days must be an integer");
  const start = inZone(from, timeZone);
  if (days === 0) return new Date(from.getTime());
  const holidaySet = new Set(holidays.map((h) => h.trim()));
  const step = days > 0 ? 1 : -1;
  // Walk calendar dates in UTC, where every day has 24 hours.
  let date = DateTime.utc(start.year, start.month, start.day);
  for (let remaining = Math.abs(days); remaining > 0;) {
    date = date.plus({ days: step });
    if (date.weekday < 6 && !holidaySet.has(date.toISODate()!)) remaining--;
  }
  const { hour, minute, second, millisecond } = start;
  return zonedTimeToUtc({ year: date.year, month: date.month, day: date.day, hour, minute, second, millisecond }, timeZone);
}
