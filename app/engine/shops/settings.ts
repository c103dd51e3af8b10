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
  }),
});

export interface ShopSettings {
  name: string;
  contactEmail: string | null;
  timezone: string;
  currency: string;
  primaryDomain: string | null;
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
  };
}
