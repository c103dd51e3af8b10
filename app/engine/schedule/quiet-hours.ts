// Quiet hours: no email lands in a recipient's inbox at night, in the recipient's own zone.
import { localParts, nextLocalTime, parseHHMM } from "./local-time";

export { parseHHMM };

export interface QuietHours {
  /** "HH:MM" local, inclusive */
  start: string;
  /** "HH:MM" local, exclusive */
  end: string;
}

function requireMinutes(s: string, name: string): number {
  const parsed = parseHHMM(s);
  if (!parsed) throw new RangeError(`Invalid quiet hours ${name} "${s}", expected HH:MM`);
  return parsed.hour * 60 + parsed.minute;
}

/** Whether `at` falls inside quiet hours in `timeZone` (start inclusive, end exclusive). */
export function isInQuietHours(at: Date, timeZone: string, quiet: QuietHours): boolean {
  const start = requireMinutes(quiet.start, "start");
  const end = requireMinutes(quiet.end, "end");
  if (start === end) return false;
  const local = localParts(at, timeZone);
  const minuteOfDay = local.hour * 60 + local.minute;
  return start < end
    ? minuteOfDay >= start && minuteOfDay < end // e.g. 13:00–14:00
    : minuteOfDay >= start || minuteOfDay < end; // wraps midnight, e.g. 21:00–08:00
}

/**
 * The earliest instant >= `at` outside quiet hours in `timeZone`: `at` itself (as a new Date)
 * when it is already allowed, else the instant quiet hours end (local `end`, today or tomorrow).
 * `start === end` means no quiet hours. Throws a RangeError for a malformed window or zone.
 */
export function nextAllowedSendTime(at: Date, timeZone: string, quiet: QuietHours): Date {
  if (!isInQuietHours(at, timeZone, quiet)) return new Date(at.getTime());
  // Inside the window, the next time the wall clock reads `end` is when the window closes.
  return nextLocalTime(at, quiet.end.trim(), timeZone);
}
