// Which language a message is written in: the order's customer locale, matched against the languages
// the shop has published (a French-Canadian buyer reads the shop's French), else the shop's primary
// language. Decided once, when the message is planned, so a later change of the shop's languages
// does not switch a message half-way through its reminders.
import { match } from "@formatjs/intl-localematcher";

export interface ShopLanguages {
  primaryLocale: string;
  publishedLocales: readonly string[];
}

/** A locale tag in its canonical form ("pt-br" → "pt-BR"), or null when it is not a valid tag. */
export function canonicalLocale(tag: string | null | undefined): string | null {
  if (!tag?.trim()) return null;
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, "-"))[0] ?? null;
  } catch {
    return null; // Shopify passes through what the storefront sent; garbage means "unknown"
  }
}

export function messageLanguage(customerLocale: string | null | undefined, shop: ShopLanguages): string {
  const published = shopLanguages(shop);
  const primary = published[0];
  const wanted = canonicalLocale(customerLocale);
  if (!wanted) return primary;
  // "best fit" also pairs a language with its published regional form ("pt" → "pt-BR").
  return match([wanted], published, primary, { algorithm: "best fit" });
}

/** "fr" → "French", for the admin (which speaks English). */
export function languageName(tag: string, displayIn = "en"): string {
  return new Intl.DisplayNames([displayIn], { type: "language" }).of(tag) ?? tag;
}

/**
 * What a message's dates, numbers and money are formatted for: the customer's own locale when it
 * speaks the message's language (fr-CA for a French message), else the message's language.
 */
export function formattingLocale(language: string, customerLocale: string | null | undefined): string {
  const own = canonicalLocale(customerLocale);
  const base = (tag: string) => new Intl.Locale(tag).language;
  return own && base(own) === base(language) ? own : language;
}

/** A planned message's language (what its template is chosen by); a message planned before languages were recorded decides now. */
export function plannedLanguage(message: { locale: string | null }, shop: ShopLanguages, customerLocale: string | null | undefined): string {
  return canonicalLocale(message.locale) ?? messageLanguage(customerLocale, shop);
}

/** A planned message's locale: its language, formatted for the customer's region when it speaks it. */
export function messageLocale(message: { locale: string | null }, shop: ShopLanguages, customerLocale: string | null | undefined): string {
  return formattingLocale(plannedLanguage(message, shop, customerLocale), customerLocale);
}

/** The shop's languages in canonical form, the primary one first. */
export function shopLanguages(shop: ShopLanguages): string[] {
  const primary = canonicalLocale(shop.primaryLocale) ?? "en";
  return [...new Set([primary, ...shop.publishedLocales.map(canonicalLocale).filter((l): l is string => l !== null)])];
}
