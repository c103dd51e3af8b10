// The Admin GraphQL queries that read orders back (reconciliation, the history import's bulk query):
// the fields every sync reads, page sizes within Shopify's cost limit, and the search filter.
/**
 * Orders per page and items per nested connection. Shopify refuses a query whose *requested* cost
 * exceeds 1000 points, and a connection costs 2 + first × (cost of one item): 50 orders with 50
 * line items each would ask for ~24 000. 10 orders × 5 items asks for 802 (the emulator's estimate,
 * which follows Shopify's rules); orders with more items than that are fetched again one by one
 * (ORDER_QUERY). Shopify gives back what was asked for but not returned, so pages cost far less.
 */
export const ORDERS_PAGE_SIZE = 10;
export const PAGE_NESTED_ITEMS = 5;
/** One order with up to 50 line items / fulfillment lines / refund lines: requested cost ~575. */
export const ORDER_NESTED_ITEMS = 50;

/**
 * The fields of an order and of its parts every sync reads (reconciliation, the history import's
 * bulk query), without the nested connections: a paged query asks for those with `first`, a bulk
 * query without (its file lists their nodes as lines of their own).
 */
export const ORDER_OWN_FIELDS = `id name confirmationNumber email createdAt updatedAt processedAt cancelledAt cancelReason
    displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode customerLocale test customerAcceptsMarketing discountCodes
    customer { id email firstName lastName locale tags emailMarketingConsent { marketingState } }
    shippingAddress { countryCodeV2 provinceCode latitude longitude }
    subtotalPriceSet { shopMoney { amount currencyCode } }
    totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
    totalDiscountsSet { shopMoney { amount currencyCode } }
    totalTaxSet { shopMoney { amount currencyCode } }
    totalShippingPriceSet { shopMoney { amount currencyCode } }`;
export const LINE_ITEM_FIELDS =
  "id title quantity sku vendor variantTitle variant { id } product { id } originalUnitPriceSet { shopMoney { amount } presentmentMoney { amount } }";
export const FULFILLMENT_OWN_FIELDS = "id status createdAt updatedAt estimatedDeliveryAt deliveredAt displayStatus trackingInfo { company number url }";
export const FULFILLMENT_LINE_FIELDS = "lineItem { id } quantity";
export const REFUND_OWN_FIELDS = "id createdAt note totalRefundedSet { shopMoney { amount } }";
export const REFUND_LINE_FIELDS = "lineItem { id } quantity subtotalSet { shopMoney { amount } }";

/** The order fields every sync reads (reconciliation, the history import), as a fragment. */
export const ORDER_FIELDS = `#graphql
  fragment ReconcileOrderFields on Order {
    ${ORDER_OWN_FIELDS}
    lineItems(first: $items) { pageInfo { hasNextPage } nodes { ${LINE_ITEM_FIELDS} } }
    fulfillments {
      ${FULFILLMENT_OWN_FIELDS}
      fulfillmentLineItems(first: $items) { pageInfo { hasNextPage } nodes { ${FULFILLMENT_LINE_FIELDS} } }
    }
    refunds {
      ${REFUND_OWN_FIELDS}
      refundLineItems(first: $items) { pageInfo { hasNextPage } nodes { ${REFUND_LINE_FIELDS} } }
    }
  }`;

export const ORDERS_QUERY = `#graphql
  query ReconcileOrders($first: Int!, $after: String, $query: String!, $items: Int!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { ...ReconcileOrderFields }
    }
  }
  ${ORDER_FIELDS}`;

export const ORDER_QUERY = `#graphql
  query ReconcileOrder($id: ID!, $items: Int!) {
    order(id: $id) { ...ReconcileOrderFields }
  }
  ${ORDER_FIELDS}`;

/**
 * The search filter for orders updated at or after `since`'s second (Shopify search syntax).
 * `updated_at` has whole seconds: an update in the same second as `since` reads as that second, so
 * the filter is "after the second before" (re-mirroring an order is harmless; missing one is not).
 */
export function updatedSinceQuery(since: Date): string {
  const secondBefore = new Date(Math.floor(since.getTime() / 1000) * 1000 - 1000);
  return `updated_at:>'${secondBefore.toISOString().replace(/\.\d{3}Z$/, "Z")}'`;
}
