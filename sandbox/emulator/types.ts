// Resource types of the emulator state (money in integer cents, timestamps ISO 8601 UTC).

export interface Address {
  firstName: string;
  lastName: string;
  address1: string;
  city: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCode: string;
  zip: string;
  /** Shopify geocodes addresses; null when it could not. */
  latitude?: number | null;
  longitude?: number | null;
}

export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED";

export interface Variant {
  id: number;
  productId: number;
  title: string;
  priceCents: number;
  sku: string;
}

export interface Product {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  tags: string[];
  /** Titles of the collections the product is in (handles derived from them). */
  collections?: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  createdAt: string;
  updatedAt: string;
  variants: Variant[];
}

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  locale: string;
  timezone: string;
  tags: string[];
  address: Address;
  marketingState: MarketingState;
  marketingOptInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";
  consentUpdatedAt: string | null;
  ordersCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface LineItem {
  id: number;
  productId: number | null;
  variantId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  priceCents: number;
}

export interface FulfillmentEvent {
  id: number;
  fulfillmentId: number;
  orderId: number;
  status: string;
  message: string | null;
  happenedAt: string;
  estimatedDeliveryAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Fulfillment {
  id: number;
  orderId: number;
  name: string;
  status: "success" | "cancelled";
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  estimatedDeliveryAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
  lineItems: { lineItemId: number; quantity: number }[];
  events: FulfillmentEvent[];
}

export interface Refund {
  id: number;
  orderId: number;
  createdAt: string;
  amountCents: number;
  note: string | null;
  transactionId: number;
  lineItems: { id: number; lineItemId: number; quantity: number; subtotalCents: number }[];
}

export type FinancialStatus = "paid" | "partially_refunded" | "refunded";

export interface Order {
  id: number;
  number: number;
  name: string;
  token: string;
  email: string;
  customerId: number;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  financialStatus: FinancialStatus;
  /** The shop's currency (Shopify's `currency`). */
  currency: string;
  /** The buyer's, when not the shop's (sandbox/emulator/currency.ts): the order's amounts are in it. */
  presentmentCurrency?: string;
  customerLocale: string;
  buyerAcceptsMarketing: boolean;
  test: boolean;
  shippingAddress: Address;
  lineItems: LineItem[];
  fulfillments: Fulfillment[];
  refunds: Refund[];
  /** Codes applied at checkout (the order's discount_codes); the amounts reduce the total. */
  discountCodes?: OrderDiscountCode[];
}

export interface OrderDiscountCode {
  code: string;
  amountCents: number;
  type: "percentage" | "fixed_amount";
  /** Percent (10) or the fixed amount in cents, as the discount was defined. */
  value: number;
}

export interface DiscountCode {
  id: number;
  redeemCodeId: number;
  code: string;
  title: string;
  startsAt: string | null;
  endsAt: string | null;
  createdAt: string;
  input: Record<string, unknown>;
  /** Orders that used the code. */
  usageCount?: number;
}

export interface Metafield {
  id: number;
  ownerId: string;
  namespace: string;
  key: string;
  value: string;
  type: string;
  createdAt: string;
  updatedAt: string;
}

export interface ShopLocaleState {
  locale: string;
  primary: boolean;
  published: boolean;
}

export interface ShopState {
  domain: string;
  id: number;
  name: string;
  email: string;
  contactEmail: string;
  ianaTimezone: string;
  currencyCode: string;
  primaryDomainHost: string;
  /** The shop's languages (Admin API shopLocales); the first primary one is the default language. */
  locales: ShopLocaleState[];
  /** The shop's own address (Shop.billingAddress); defaults to New York. */
  billingAddress?: Address;
  createdAt: string;
  products: Product[];
  customers: Customer[];
  orders: Order[];
  discounts: DiscountCode[];
  metafields: Metafield[];
  nextOrderNumber: number;
  generatedCustomers: number;
  /** Access scopes the installation has, when they differ from what the app requests (e.g. `read_all_orders` not granted). */
  grantedScopes?: string;
  /** Deterministic pseudo-random source for defaults (product choice, tracking numbers). */
  random: () => number;
}

export interface AccessToken {
  token: string;
  shop: string;
  online: boolean;
  userId: number | null;
  issuedAt: string;
  /** The scopes granted with the token (the installation's at exchange time). */
  scope: string;
}

export interface AdminCall {
  at: string;
  shop: string;
  operationName: string | null;
  query: string;
  variables: Record<string, unknown> | null;
}

// Bulk query operations (bulk.ts).
export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "EXPIRED";
export type BulkErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

export interface BulkOperation {
  id: number;
  shop: string;
  query: string;
  status: BulkStatus;
  errorCode: BulkErrorCode | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** The orders the query matched when it started (ids, in the file's order). */
  orderIds: number[];
  /** Part of the file's signed URL: a guessed URL gets nothing. */
  signature: string;
  /** Where the emulator serves the file (its own origin). */
  origin: string;
  /** The URL has expired (Shopify's last 7 days; here on demand): downloads answer 403. */
  expired: boolean;
  /** Bytes of each step of the file (counted by the background pass): a ranged download skips whole steps unwritten. */
  stepBytes: number[];
}
