// The shop settings Trustloop reads from the Admin API at install.
import { z } from "zod";

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
