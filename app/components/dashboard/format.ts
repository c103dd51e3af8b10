// Presentation helpers for the dashboard: every figure becomes text here, so a missing value
// reads "—" (never NaN or "null"). Deterministic (no locale or timezone of the machine), so
// the server's HTML and the browser's first render agree.
import { MONTHS } from "~/engine/admin/format";
import { formatMinorUnits } from "~/engine/util/money";
import type { DaySeriesPoint, Lift, LiftVerdict, PeriodKey } from "~/engine/dashboard/types";

export const DASH = "—";
const NBSP = "\u00a0";
const MINUS = "−";

export const PERIOD_LABELS: Record<PeriodKey, string> = { "30d": "Last 30 days", "90d": "Last 90 days", "365d": "Last 12 months" };

const finite = (n: number | null | undefined): n is number => typeof n === "number" && Number.isFinite(n);
const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** 1234 → "1,234" */
export function count(n: number | null | undefined): string {
  if (!finite(n)) return DASH;
  return `${n < 0 ? MINUS : ""}${grouped(String(Math.round(Math.abs(n))))}`;
}

/** 0.2345 → "23.5 %" (a share in 0…1). */
export function percent(share: number | null | undefined, decimals = 1): string {
  if (!finite(share)) return DASH;
  return `${(share * 100).toFixed(decimals)}${NBSP}%`;
}

/** 123456, "USD" → "1,234.56 USD" (amounts are integers in the currency's minor unit). */
export function money(minor: number | null | undefined, currency: string): string {
  if (!finite(minor)) return DASH;
  const [whole, fraction] = formatMinorUnits(Math.round(minor), currency).split(".");
  const sign = whole.startsWith("-") ? MINUS : "";
  return `${sign}${grouped(whole.replace("-", ""))}${fraction ? `.${fraction}` : ""}${NBSP}${currency}`;
}

/** "2026-03" → "Mar 2026" */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : month;
}

/** "2026-03-07" → "Mar 7" (or "Mar 7, 2026" with the year) */
export function dayLabel(day: string, withYear = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${Number(m[3])}${withYear ? `, ${m[1]}` : ""}`;
}

export function days(n: number | null | undefined): string {
  if (!finite(n)) return DASH;
  return `${count(n)} ${n === 1 ? "day" : "days"}`;
}

export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** A share difference as percentage points: 0.041 → "+4.1 pts". */
export function points(difference: number | null | undefined): string {
  if (!finite(difference)) return DASH;
  const value = Math.round(difference * 1000) / 10;
  const sign = value > 0 ? "+" : value < 0 ? MINUS : "";
  return `${sign}${Math.abs(value).toFixed(1)}${NBSP}pts`;
}

const bare = (share: number) => points(share).replace(`${NBSP}pts`, "");

/** "+4.1 pts (95 % CI −1.2 to +9.4)" */
export function liftSummary(lift: Lift): string {
  if (lift.difference === null) return DASH;
  const ci = lift.ci ? ` (95${NBSP}% CI ${bare(lift.ci[0])} to ${bare(lift.ci[1])})` : "";
  return `${points(lift.difference)}${ci}`;
}

/** "412 vs 45" — treated vs holdout sample sizes. */
export function liftSamples(lift: Lift): string {
  return `${count(lift.treated.n)} vs ${count(lift.holdout.n)}`;
}

export const VERDICTS: Record<LiftVerdict, { label: string; tone?: "success" | "critical" | "info" }> = {
  positive: { label: "Positive", tone: "success" },
  negative: { label: "Negative", tone: "critical" },
  inconclusive: { label: "Inconclusive", tone: "info" },
  not_enough_data: { label: "Not enough data yet" },
};

/** "not_shipped" → "Not shipped" */
export function humanize(key: string): string {
  const text = key.replace(/[_-]+/g, " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : DASH;
}

/** The 0–1 share as a background tint (the heat of a cohort cell); none for missing values. */
export function heatTint(share: number | null): string | undefined {
  if (!finite(share) || share <= 0) return undefined;
  const strength = Math.round(8 + Math.min(1, share / 0.5) * 40); // 50 % return reads as the strongest tint
  return `color-mix(in srgb, var(--p-color-bg-fill-success) ${strength}%, transparent)`;
}

/**
 * Long periods read better by week: 7-day buckets counted back from today (a leading remainder
 * shorter than 4 days joins the first week), keyed by their first day. Sums are kept exact.
 */
export function weeklySeries(series: DaySeriesPoint[]): DaySeriesPoint[] {
  let weeks: DaySeriesPoint[][] = [];
  for (let end = series.length; end > 0; end -= 7) weeks.unshift(series.slice(Math.max(0, end - 7), end));
  if (weeks.length > 1 && weeks[0].length < 4) weeks = [[...weeks[0], ...weeks[1]], ...weeks.slice(2)];
  return weeks.map((days) => ({
    day: days[0].day,
    orders: days.reduce((s, d) => s + d.orders, 0),
    revenueCents: days.reduce((s, d) => s + d.revenueCents, 0),
    newCustomers: days.reduce((s, d) => s + d.newCustomers, 0),
  }));
}
