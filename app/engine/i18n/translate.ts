// Text in a language: ICU messages from the shipped catalogues, formatted by intl-messageformat
// (plural rules and number formats from the platform's Intl). Compiled messages are kept per
// language and key: the catalogues are small and fixed.
import { match } from "@formatjs/intl-localematcher";
import { IntlMessageFormat } from "intl-messageformat";
import Negotiator from "negotiator";
import { CATALOGS, type Catalog, type MessageKey } from "./catalogs";
import { canonicalLocale } from "./language";

export type MessageValues = Record<string, string | number | null | undefined>;

export interface Translator {
  /** The message's language: what dates, numbers and money are formatted for. */
  locale: string;
  /** The catalogue the text comes from: the locale's own, or English when Trustloop does not ship it. */
  textLocale: string;
  dir: "ltr" | "rtl";
  t(key: MessageKey, values?: MessageValues): string;
}

export const SHIPPED_LOCALES = Object.keys(CATALOGS);

/** The shipped catalogue closest to `locale` ("fr-CA" → "fr"), else English. */
export function textLocaleFor(locale: string | null | undefined): string {
  const wanted = canonicalLocale(locale);
  return wanted ? match([wanted], SHIPPED_LOCALES, "en", { algorithm: "best fit" }) : "en";
}

/** Right-to-left for Arabic, Hebrew, Persian, Urdu… as the platform's locale data says. */
export function textDirection(locale: string): "ltr" | "rtl" {
  try {
    const l = new Intl.Locale(locale) as Intl.Locale & { getTextInfo?: () => { direction?: string }; textInfo?: { direction?: string } };
    return (l.getTextInfo?.() ?? l.textInfo)?.direction === "rtl" ? "rtl" : "ltr";
  } catch {
    return "ltr";
  }
}

/**
 * Every value as given ("" for a missing one), plus `<name>_given` = "yes" | "no", so a message can
 * say something else when a value is missing (`{name_given, select, yes {Hi {name},} other {Hello,}}`).
 */
export function withGivenFlags(values: MessageValues): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) {
    const given = value !== null && value !== undefined && String(value).trim() !== "";
    out[key] = value ?? "";
    out[`${key}_given`] = given ? "yes" : "no";
  }
  return out;
}

const compiled = new Map<string, IntlMessageFormat>();

/** One message of one shipped catalogue; throws for an unknown key (a template's typo says so). */
export function formatMessage(textLocale: string, key: string, values: MessageValues = {}): string {
  const catalog: Catalog = CATALOGS[textLocale] ?? CATALOGS.en;
  const source = Object.hasOwn(catalog, key) ? (catalog as Record<string, string>)[key] : undefined; // not "constructor" & co.
  if (source === undefined) throw new Error(`Unknown text "${key}"`);
  const id = `${textLocale}\u0000${key}`;
  let message = compiled.get(id);
  if (!message) {
    message = new IntlMessageFormat(source, textLocale);
    compiled.set(id, message);
  }
  return String(message.format(withGivenFlags(values)));
}

export function translator(locale: string | null | undefined): Translator {
  const canonical = canonicalLocale(locale) ?? "en";
  const textLocale = textLocaleFor(canonical);
  return { locale: canonical, textLocale, dir: textDirection(canonical), t: (key, values) => formatMessage(textLocale, key, values) };
}

/** The shipped language a browser asks for (Accept-Language), for a page no message tells the language of. */
export function acceptedLanguage(header: string | null): string {
  const asked = new Negotiator({ headers: { "accept-language": header ?? "" } })
    .languages()
    .map(canonicalLocale)
    .filter((l): l is string => l !== null);
  return asked.length ? match(asked, SHIPPED_LOCALES, "en", { algorithm: "best fit" }) : "en";
}

/** Whether Trustloop ships text in this language (en-GB reads the English catalogue; sv does not have one). */
export function hasCatalogue(locale: string): boolean {
  const base = (tag: string) => new Intl.Locale(tag).language;
  return base(textLocaleFor(locale)) === base(locale);
}
