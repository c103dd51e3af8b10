// The shop settings Trustloop reads from the Admin API at install (and at every token exchange).
import { z } from "zod";
import { canonicalLocale, type ShopLanguages } from "../i18n/language";

export const SHOP_SETTINGS_QUERY = `#graphql
  query TrustloopShopSettings {
    shop {
      name
      email
      contactEmail
      ianaTimezone
      currencyCode
      primaryDomain { host }
      billingAddress { address1 city provinceCode countryCodeV2 zip }
    }
  }`;

const shopSettingsResponse = z.object({
  shop: z.object({
    name: z.string(),
    email: z.string().nullish(),
    contactEmail: z.string().nullish(),
    ianaTimezone: z.string().min(1),
    currencyCode: z.string().length(3),
    primaryDomain: z.object({ host: z.string() }).nullish(),
    billingAddress: z
      .object({
        address1: z.string().nullish(),
        city: z.string().nullish(),
        provinceCode: z.string().nullish(),
        countryCodeV2: z.string().nullish(),
        zip: z.string().nullish(),
      })
      .nullish(),
  }),
});

export interface ShopSettings {
  name: string;
  contactEmail: string | null;
  timezone: string;
  currency: string;
  primaryDomain: string | null;
  countryCode: string | null;
  address: string | null; // one line, for email footers
  /** Absent when they could not be read: the shop keeps the languages it had. */
  primaryLocale?: string;
  publishedLocales?: string[];
}

/** Any GraphQL client: the Shopify admin client in the app, a fake in unit tests. */
export type GraphqlFn = (query: string, variables?: Record<string, unknown>) => Promise<unknown>;

export async function readShopSettings(graphql: GraphqlFn): Promise<ShopSettings> {
  const { shop } = shopSettingsResponse.parse(await graphql(SHOP_SETTINGS_QUERY));
  return {
    name: shop.name,
    contactEmail: shop.contactEmail ?? shop.email ?? null,
    timezone: shop.ianaTimezone,
    currency: shop.currencyCode,
    primaryDomain: shop.primaryDomain?.host ?? null,
    countryCode: shop.billingAddress?.countryCodeV2 ?? null,
    address: addressLine(shop.billingAddress),
  };
}

function addressLine(
  a: { address1?: string | null; city?: string | null; provinceCode?: string | null; zip?: string | null; countryCodeV2?: string | null } | null | undefined,
) {
  if (!a) return null;
  const line = [a.address1, a.city, [a.provinceCode, a.zip].filter(Boolean).join(" "), a.countryCodeV2].filter(Boolean).join(", ");
  return line || null;
}

export const SHOP_LOCALES_QUERY = `#graphql
  query TrustloopShopLocales {
    shopLocales(published: true) { locale primary }
  }`;

const shopLocalesResponse = z.object({ shopLocales: z.array(z.object({ locale: z.string(), primary: z.boolean() })) });

/**
 * The languages buyers can see. Needs `read_locales`, which installations made before Trustloop
 * asked for it may not have granted yet: the caller treats a failure as "unknown", not as a failed install.
 */
export async function readShopLanguages(graphql: GraphqlFn): Promise<ShopLanguages & { publishedLocales: string[] }> {
  const { shopLocales } = shopLocalesResponse.parse(await graphql(SHOP_LOCALES_QUERY));
  const published = shopLocales.map((l) => ({ ...l, locale: canonicalLocale(l.locale) })).filter((l) => l.locale !== null);
  const primaryLocale = published.find((l) => l.primary)?.locale ?? published[0]?.locale ?? "en";
  return { primaryLocale, publishedLocales: [...new Set(published.map((l) => l.locale!))] };
}
