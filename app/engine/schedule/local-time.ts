// DST-correct wall-clock helpers built on the platform's Intl API (full ICU, no libraries).
// Every function is pure: instants are `Date`s (UTC), the zone is an IANA name, and the clock is
// always passed in by the caller.

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
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws a RangeError for an unknown zone, which is what callers should see.
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function assertValidDate(instant: Date, name: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

/** Milliseconds since the epoch of a wall time read as if it were UTC (handles years 0–99). */
function wallClockMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/** The wall-clock fields of `instant` in `timeZone`. Throws a RangeError for an unknown zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  assertValidDate(instant, "instant");
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = part.value;
  let year = Number(fields.year);
  if (fields.era === "BC" || fields.era === "B") year = 1 - year;
  const month = Number(fields.month);
  const day = Number(fields.day);
  // Some ICU versions render midnight as "24" even with h23; normalize defensively.
  const hour = Number(fields.hour) % 24;
  const minute = Number(fields.minute);
  const second = Number(fields.second);
  const weekday = new Date(wallClockMs(year, month, day, 0, 0, 0)).getUTCDay();
  return { year, month, day, hour, minute, second, weekday };
}

/** The local wall time of `instant` read as a UTC timestamp, milliseconds included. */
function localAsUtcMs(instantMs: number, timeZone: string): number {
  const p = localParts(new Date(instantMs), timeZone);
  const ms = ((instantMs % 1000) + 1000) % 1000;
  return wallClockMs(p.year, p.month, p.day, p.hour, p.minute, p.second, ms);
}

/** UTC offset of `timeZone` at `instantMs`, in milliseconds (local − UTC). */
function offsetMs(instantMs: number, timeZone: string): number {
  return localAsUtcMs(instantMs, timeZone) - instantMs;
}

/**
 * All instants whose local wall time in `timeZone` equals `wallMs` (a wall time read as UTC),
 * earliest first: one normally, two in a fall-back overlap, none in a spring-forward gap.
 */
function instantsForWallTime(wallMs: number, timeZone: string): number[] {
  const offsets = new Set([offsetMs(wallMs - DAY_MS, timeZone), offsetMs(wallMs, timeZone), offsetMs(wallMs + DAY_MS, timeZone)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = wallMs - offset;
    if (localAsUtcMs(candidate, timeZone) === wallMs) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The first valid instant after a spring-forward gap that swallowed `wallMs`: the transition
 * itself (e.g. 02:30 on a US spring-forward night → 03:00 local, the moment clocks jump).
 */
function endOfGap(wallMs: number, timeZone: string): number {
  const offsets = [offsetMs(wallMs - DAY_MS, timeZone), offsetMs(wallMs, timeZone), offsetMs(wallMs + DAY_MS, timeZone)];
  // Before the gap the local time is behind `wallMs`, after it ahead.
  let lo = wallMs - Math.max(...offsets);
  let hi = wallMs - Math.min(...offsets);
  if (!(localAsUtcMs(lo, timeZone) < wallMs && localAsUtcMs(hi, timeZone) > wallMs)) {
    throw new RangeError(`Cannot resolve local time ${new Date(wallMs).toISOString()} in ${timeZone}`);
  }
  // Transitions fall on whole seconds: binary-search the first second whose local time is past `wallMs`.
  lo = Math.floor(lo / 1000);
  hi = Math.ceil(hi / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localAsUtcMs(mid * 1000, timeZone) > wallMs) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

function assertFiniteFields(local: LocalDateTime): void {
  for (const key of ["year", "month", "day", "hour", "minute"] as const) {
    if (!Number.isInteger(local[key])) throw new RangeError(`local.${key} must be an integer`);
  }
  if (local.second !== undefined && !Number.isInteger(local.second)) throw new RangeError("local.second must be an integer");
}

/**
 * The UTC instant of a local wall time in `timeZone`.
 * - A wall time skipped by a spring-forward gap resolves to the first valid instant after it
 *   (the transition: 02:30 → 03:00 on a US spring-forward night).
 * - A wall time that occurs twice (fall back) resolves to the earlier instant.
 */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): Date {
  assertFiniteFields(local);
  const wallMs = wallClockMs(local.year, local.month, local.day, local.hour, local.minute, local.second ?? 0);
  const instants = instantsForWallTime(wallMs, timeZone);
  return new Date(instants.length > 0 ? instants[0] : endOfGap(wallMs, timeZone));
}

const HHMM = /^(\d{1,2}):(\d{2})$/;

/** Parses "HH:MM" (00:00–23:59, the hour may have one digit). Throws a RangeError otherwise. */
function requireHHMM(value: string): { hour: number; minute: number } {
  const match = typeof value === "string" ? HHMM.exec(value.trim()) : null;
  const hour = match ? Number(match[1]) : NaN;
  const minute = match ? Number(match[2]) : NaN;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) {
    throw new RangeError(`Invalid local time "${value}", expected HH:MM`);
  }
  return { hour, minute };
}

/**
 * The first instant >= `from` at which the local wall clock in `timeZone` reads `hhmm`.
 * On a day where `hhmm` falls in a spring-forward gap, that day's occurrence is the end of the
 * gap; on a fall-back day with two occurrences, whichever is the first >= `from` wins.
 */
export function nextLocalTime(from: Date, hhmm: string, timeZone: string): Date {
  assertValidDate(from, "from");
  const { hour, minute } = requireHHMM(hhmm);
  const start = localParts(from, timeZone);
  const fromMs = from.getTime();
  for (let dayOffset = 0; dayOffset <= 3; dayOffset++) {
    const wallMs = wallClockMs(start.year, start.month, start.day + dayOffset, hour, minute, 0);
    const instants = instantsForWallTime(wallMs, timeZone);
    if (instants.length === 0) instants.push(endOfGap(wallMs, timeZone));
    const hit = instants.find((ms) => ms >= fromMs);
    if (hit !== undefined) return new Date(hit);
  }
  // Unreachable for real zones: tomorrow's occurrence is always later than `from`.
  throw new RangeError(`No occurrence of ${hhmm} in ${timeZone} after ${from.toISOString()}`);
}

/** "YYYY-MM-DD" of the local calendar date of `instant` in `timeZone`. */
export function localDateString(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return formatDate(p.year, p.month, p.day);
}

function formatDate(year: number, month: number, day: number): string {
  const y = year < 0 ? `-${String(-year).padStart(6, "0")}` : String(year).padStart(4, "0");
  return `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * `from` moved by `days` business days in `timeZone`, keeping the local time of day.
 * Saturdays, Sundays and `holidays` ("YYYY-MM-DD" local dates) are skipped; negative `days` go
 * backwards; 0 returns `from`. Starting on a non-business day counts from it: Saturday + 1 → Monday.
 * If the kept time of day doesn't exist on the target date (DST gap) the end of the gap is used.
 * Malformed holiday strings simply never match.
 */
export function addBusinessDays(from: Date, days: number, timeZone: string, holidays: readonly string[] = []): Date {
  assertValidDate(from, "from");
  if (!Number.isInteger(days)) throw new RangeError("days must be an integer");
  if (days === 0) return new Date(from.getTime());
  const start = localParts(from, timeZone);
  const holidaySet = new Set(holidays.map((h) => h.trim()));
  const step = days > 0 ? 1 : -1;
  let remaining = Math.abs(days);
  // Walk calendar dates at UTC noon so the arithmetic is immune to DST.
  let cursor = wallClockMs(start.year, start.month, start.day, 12, 0, 0);
  while (remaining > 0) {
    cursor += step * DAY_MS;
    const date = new Date(cursor);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (holidaySet.has(formatDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()))) continue;
    remaining--;
  }
  const target = new Date(cursor);
  const result = zonedTimeToUtc(
    {
      year: target.getUTCFullYear(),
      month: target.getUTCMonth() + 1,
      day: target.getUTCDate(),
      hour: start.hour,
      minute: start.minute,
      second: start.second,
    },
    timeZone,
  );
  return new Date(result.getTime() + (((from.getTime() % 1000) + 1000) % 1000));
}
