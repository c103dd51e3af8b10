// Money, dates and percentages for a reader: all through Intl, in their locale (and for dates their
// time zone). A value Intl cannot format (an unknown currency code) still shows, plainly.
import { formatMinorUnits } from "../util/money";

/** Minor units in `currency` (the order's presentment currency), e.g. 1999 EUR → "19,99 €" in fr. */
export function formatMoney(cents: number | null, currency: string | null, locale: string | null): string {
  if (cents === null) return "";
  const amount = Number(formatMinorUnits(cents, currency));
  try {
    return new Intl.NumberFormat(locale ?? "en", { style: "currency", currency: currency ?? "USD" }).format(amount);
  } catch {
    return `${formatMinorUnits(cents, currency)} ${currency ?? ""}`.trim();
  }
}

/** A day, e.g. "12 décembre 2026", as it is in `timeZone`. */
export function formatDay(date: Date | null, locale: string | null, timeZone: string): string {
  if (!date) return "";
  try {
    return new Intl.DateTimeFormat(locale ?? "en", { dateStyle: "long", timeZone }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/** A discount's value: "10%" (`percentage`) or "$5.00" (`fixed_amount`, minor units of `currency`), for `locale`. */
export function discountValueLabel(valueType: string, value: number, currency: string | null, locale: string | null = "en"): string {
  return valueType === "fixed_amount" ? formatMoney(value, currency, locale) : formatPercent(value, locale);
}

/** 10 → "10%" in en, "10 %" in fr (with the narrow no-break space French uses). */
export function formatPercent(percent: number, locale: string | null): string {
  try {
    return new Intl.NumberFormat(locale ?? "en", { style: "percent", maximumFractionDigits: 2 }).format(percent / 100);
  } catch {
    return `${percent}%`;
  }
}
