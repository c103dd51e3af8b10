// Rollup days are the shop's calendar days ("YYYY-MM-DD" in the shop's IANA time zone), so "today"
// and every bar of the chart start at the shop's midnight. Zone arithmetic comes from the schedule's
// DST-correct helpers; day strings themselves are plain calendar dates. A shop whose time zone
// changes has every day rebuilt (rezone.ts); see docs/decisions/021-shop-local-dashboard-days.md.
import { localDateString, zonedTimeToUtc } from "../schedule/local-time";
import { isValidTimeZone } from "../schedule/timezones";

export const DAY_MS = 86_400_000;

/** A zone the runtime does not know (never seen from Shopify) reads as UTC rather than failing a write. */
const known = (timeZone: string) => (isValidTimeZone(timeZone) ? timeZone : "UTC");

/** The shop-local calendar day of an instant. */
export function dayOf(at: Date, timeZone: string): string {
  return localDateString(at, known(timeZone));
}

/** The instant the shop-local day begins (its first moment, even on a DST-change day). */
export function startOfDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split("-").map(Number);
  return zonedTimeToUtc({ year, month, day: date, hour: 0, minute: 0 }, known(timeZone));
}

/** Calendar arithmetic on a day string (no zone involved). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The instant range of the shop-local days from `from` to `to`, for `gte` / `lt` filters. */
export function daysRange(from: string, to: string, timeZone: string) {
  return { gte: startOfDay(from, timeZone), lt: startOfDay(addDays(to, 1), timeZone) };
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}
