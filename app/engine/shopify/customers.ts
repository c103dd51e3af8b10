// Marketing consent is read fresh from the Admin API before a marketing email: the order payload's
// copy may be weeks old, and a customer who unsubscribed in Shopify must not get our offers.
import { z } from "zod";
import type { ShopGraphql } from "./products";

const CONSENT_QUERY = `#graphql
  query TrustloopConsent($id: ID!) {
    customer(id: $id) { emailMarketingConsent { marketingState } }
  }`;

const consentResponse = z.object({
  customer: z.object({ emailMarketingConsent: z.object({ marketingState: z.string() }).nullish() }).nullable(),
});

/** SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED… or null when Shopify has no record. */
export async function fetchMarketingState(graphql: ShopGraphql, shopDomain: string, customerGid: string): Promise<string | null> {
  const { customer } = consentResponse.parse(await graphql(shopDomain, CONSENT_QUERY, { id: customerGid }));
  return customer?.emailMarketingConsent?.marketingState ?? null;
}
