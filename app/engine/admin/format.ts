// The admin's one way to show an instant: "Dec 2, 2026, 9:54 AM", in the shop's time zone, for
// every staff member whatever their browser's zone or locale. The text is assembled from the zone's
// wall-clock fields rather than left to `toLocaleString`, whose output differs between ICU versions
// (e.g. the space before AM), so the server's HTML and the browser's first render always agree and
// a component may call it on either side. Also masks addresses for lists.
import { localParts } from "../schedule/local-time";

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const NONE = "—";

function instant(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Wall-clock fields in `timeZone`; an unknown zone (never seen from Shopify) reads as UTC, labelled. */
function partsIn(date: Date, timeZone: string) {
  try {
    return { ...localParts(date, timeZone), suffix: "" };
  } catch {
    return { ...localParts(date, "UTC"), suffix: " UTC" };
  }
}

/** "Dec 2, 2026, 9:54 AM" in `timeZone`; "—" for no value. */
export function formatInZone(value: Date | string | null | undefined, timeZone: string): string {
  const date = instant(value);
  if (!date) return NONE;
  const p = partsIn(date, timeZone);
  const hour = p.hour % 12 || 12;
  return `${MONTHS[p.month - 1]} ${p.day}, ${p.year}, ${hour}:${String(p.minute).padStart(2, "0")} ${p.hour < 12 ? "AM" : "PM"}${p.suffix}`;
}

/** "Dec 2, 2026": the calendar day of an instant in `timeZone`; "—" for no value. */
export function formatDayInZone(value: Date | string | null | undefined, timeZone: string): string {
  const date = instant(value);
  if (!date) return NONE;
  const p = partsIn(date, timeZone);
  return `${MONTHS[p.month - 1]} ${p.day}, ${p.year}${p.suffix}`;
}

/** An ISO-8601 UTC instant as the engine writes it into reasons ("until 2026-12-02T13:00:00.000Z"). */
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z\b/g;

/**
 * A stored reason with every instant in it shown like every other time of the page. Reasons keep
 * machine-readable instants in the ledger; they are made readable only here, at display time.
 */
export function formatReason(reason: string | null, timeZone: string): string | null {
  return reason === null ? null : reason.replace(ISO_INSTANT, (iso) => formatInZone(iso, timeZone));
}

/** "jane@example.com" → "j•••@example.com". Lists never show full addresses. */
export function maskEmail(email: string | null | undefined): string {
  if (!email) return NONE;
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}
