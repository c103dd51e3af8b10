// The subset of the Shopify Admin GraphQL schema the emulator serves (real type and field names).
import { buildSchema } from "graphql";

export const ADMIN_SDL = /* GraphQL */ `
  scalar DateTime
  scalar Decimal
  scalar Money
  scalar URL
  scalar JSON
  scalar UnsignedInt64
  scalar CurrencyCode
  scalar CountryCode

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type MoneyV2 {
    amount: Decimal!
    currencyCode: CurrencyCode!
  }
  type MoneyBag {
    shopMoney: MoneyV2!
    presentmentMoney: MoneyV2!
  }
  type Domain {
    id: ID!
    host: String!
    url: URL!
  }

  type Metafield {
    id: ID!
    namespace: String!
    key: String!
    value: String!
    type: String!
    ownerId: ID!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  type Shop {
    id: ID!
    name: String!
    email: String!
    contactEmail: String!
    myshopifyDomain: String!
    ianaTimezone: String!
    currencyCode: CurrencyCode!
    primaryDomain: Domain!
    billingAddress: MailingAddress!
    metafield(namespace: String, key: String!): Metafield
  }

  type ShopLocale {
    locale: String!
    name: String!
    primary: Boolean!
    published: Boolean!
  }

  enum ProductStatus {
    ACTIVE
    ARCHIVED
    DRAFT
  }
  type ProductVariant {
    id: ID!
    title: String!
    price: Money!
    sku: String
    product: Product!
  }
  type ProductVariantEdge {
    cursor: String!
    node: ProductVariant!
  }
  type ProductVariantConnection {
    nodes: [ProductVariant!]!
    edges: [ProductVariantEdge!]!
    pageInfo: PageInfo!
  }
  type Product {
    id: ID!
    title: String!
    handle: String!
    vendor: String!
    productType: String!
    tags: [String!]!
    status: ProductStatus!
    createdAt: DateTime!
    updatedAt: DateTime!
    variants(first: Int, after: String, last: Int, before: String): ProductVariantConnection!
    metafield(namespace: String, key: String!): Metafield
    featuredImage: Image
    onlineStoreUrl: String
    collections(first: Int, after: String, last: Int, before: String): CollectionConnection!
  }
  type Collection {
    id: ID!
    handle: String!
    title: String!
  }
  type CollectionEdge {
    cursor: String!
    node: Collection!
  }
  type CollectionConnection {
    nodes: [Collection!]!
    edges: [CollectionEdge!]!
    pageInfo: PageInfo!
  }
  type Image {
    url: String!
    altText: String
  }
  type ProductEdge {
    cursor: String!
    node: Product!
  }
  type ProductConnection {
    nodes: [Product!]!
    edges: [ProductEdge!]!
    pageInfo: PageInfo!
  }

  enum CustomerEmailMarketingState {
    SUBSCRIBED
    NOT_SUBSCRIBED
    UNSUBSCRIBED
    PENDING
    REDACTED
    INVALID
  }
  enum CustomerMarketingOptInLevel {
    SINGLE_OPT_IN
    CONFIRMED_OPT_IN
    UNKNOWN
  }
  type CustomerEmailMarketingConsentState {
    marketingState: CustomerEmailMarketingState!
    marketingOptInLevel: CustomerMarketingOptInLevel
    consentUpdatedAt: DateTime
  }
  type MailingAddress {
    id: ID!
    firstName: String
    lastName: String
    address1: String
    city: String
    province: String
    provinceCode: String
    country: String
    countryCodeV2: CountryCode
    zip: String
    latitude: Float
    longitude: Float
  }
  type Customer {
    id: ID!
    email: String
    firstName: String
    lastName: String
    displayName: String!
    locale: String!
    tags: [String!]!
    numberOfOrders: UnsignedInt64!
    createdAt: DateTime!
    updatedAt: DateTime!
    defaultAddress: MailingAddress
    emailMarketingConsent: CustomerEmailMarketingConsentState
    metafield(namespace: String, key: String!): Metafield
  }
  type CustomerEdge {
    cursor: String!
    node: Customer!
  }
  type CustomerConnection {
    nodes: [Customer!]!
    edges: [CustomerEdge!]!
    pageInfo: PageInfo!
  }

  enum OrderDisplayFinancialStatus {
    PENDING
    AUTHORIZED
    PARTIALLY_PAID
    PARTIALLY_REFUNDED
    VOIDED
    PAID
    REFUNDED
    EXPIRED
  }
  enum OrderDisplayFulfillmentStatus {
    UNFULFILLED
    PARTIALLY_FULFILLED
    FULFILLED
    RESTOCKED
    PENDING_FULFILLMENT
    OPEN
    IN_PROGRESS
    ON_HOLD
    SCHEDULED
    REQUEST_DECLINED
  }
  enum OrderCancelReason {
    CUSTOMER
    DECLINED
    FRAUD
    INVENTORY
    STAFF
    OTHER
  }
  enum OrderSortKeys {
    CREATED_AT
    UPDATED_AT
    PROCESSED_AT
    ID
    ORDER_NUMBER
    TOTAL_PRICE
    RELEVANCE
  }
  enum FulfillmentStatus {
    SUCCESS
    CANCELLED
    ERROR
    FAILURE
    OPEN
    PENDING
  }
  enum FulfillmentDisplayStatus {
    ATTEMPTED_DELIVERY
    CANCELED
    CONFIRMED
    DELAYED
    DELIVERED
    FAILURE
    FULFILLED
    IN_TRANSIT
    LABEL_PRINTED
    LABEL_PURCHASED
    LABEL_VOIDED
    MARKED_AS_FULFILLED
    NOT_DELIVERED
    OUT_FOR_DELIVERY
    PICKED_UP
    READY_FOR_PICKUP
    SUBMITTED
  }

  type LineItem {
    id: ID!
    title: String!
    name: String!
    quantity: Int!
    sku: String
    vendor: String
    variantTitle: String
    variant: ProductVariant
    product: Product
    originalUnitPriceSet: MoneyBag!
  }
  type LineItemEdge {
    cursor: String!
    node: LineItem!
  }
  type LineItemConnection {
    nodes: [LineItem!]!
    edges: [LineItemEdge!]!
    pageInfo: PageInfo!
  }
  type FulfillmentTrackingInfo {
    company: String
    number: String
    url: URL
  }
  type Fulfillment {
    id: ID!
    name: String!
    status: FulfillmentStatus!
    createdAt: DateTime!
    updatedAt: DateTime!
    displayStatus: FulfillmentDisplayStatus
    estimatedDeliveryAt: DateTime
    deliveredAt: DateTime
    inTransitAt: DateTime
    trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
    fulfillmentLineItems(first: Int, after: String, last: Int, before: String): FulfillmentLineItemConnection!
  }
  type FulfillmentLineItem {
    id: ID!
    lineItem: LineItem!
    quantity: Int
  }
  type FulfillmentLineItemEdge {
    cursor: String!
    node: FulfillmentLineItem!
  }
  type FulfillmentLineItemConnection {
    nodes: [FulfillmentLineItem!]!
    edges: [FulfillmentLineItemEdge!]!
    pageInfo: PageInfo!
  }
  type Refund {
    id: ID!
    createdAt: DateTime
    note: String
    totalRefundedSet: MoneyBag!
    refundLineItems(first: Int, after: String, last: Int, before: String): RefundLineItemConnection!
  }
  type RefundLineItem {
    id: ID
    lineItem: LineItem!
    quantity: Int!
    subtotalSet: MoneyBag!
  }
  type RefundLineItemEdge {
    cursor: String!
    node: RefundLineItem!
  }
  type RefundLineItemConnection {
    nodes: [RefundLineItem!]!
    edges: [RefundLineItemEdge!]!
    pageInfo: PageInfo!
  }

  type Order {
    id: ID!
    name: String!
    confirmationNumber: String
    email: String
    createdAt: DateTime!
    updatedAt: DateTime!
    processedAt: DateTime!
    cancelledAt: DateTime
    cancelReason: OrderCancelReason
    closed: Boolean!
    displayFinancialStatus: OrderDisplayFinancialStatus
    displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
    currencyCode: CurrencyCode!
    presentmentCurrencyCode: CurrencyCode!
    customerLocale: String
    test: Boolean!
    customer: Customer
    customerAcceptsMarketing: Boolean!
    discountCodes: [String!]!
    shippingAddress: MailingAddress
    subtotalPriceSet: MoneyBag
    totalPriceSet: MoneyBag!
    totalRefundedSet: MoneyBag!
    currentTotalPriceSet: MoneyBag!
    totalDiscountsSet: MoneyBag
    totalTaxSet: MoneyBag
    totalShippingPriceSet: MoneyBag!
    lineItems(first: Int, after: String, last: Int, before: String): LineItemConnection!
    fulfillments(first: Int): [Fulfillment!]!
    refunds(first: Int): [Refund!]!
    metafield(namespace: String, key: String!): Metafield
  }
  type OrderEdge {
    cursor: String!
    node: Order!
  }
  type OrderConnection {
    nodes: [Order!]!
    edges: [OrderEdge!]!
    pageInfo: PageInfo!
  }

  type DiscountRedeemCode {
    id: ID!
    code: String!
    asyncUsageCount: Int!
  }
  type DiscountRedeemCodeEdge {
    cursor: String!
    node: DiscountRedeemCode!
  }
  type DiscountRedeemCodeConnection {
    nodes: [DiscountRedeemCode!]!
    edges: [DiscountRedeemCodeEdge!]!
    pageInfo: PageInfo!
  }
  type DiscountCodeBasic {
    title: String!
    status: String!
    startsAt: DateTime
    endsAt: DateTime
    createdAt: DateTime!
    summary: String!
    asyncUsageCount: Int!
    usageLimit: Int
    appliesOncePerCustomer: Boolean!
    codes(first: Int, after: String, last: Int, before: String): DiscountRedeemCodeConnection!
  }
  union DiscountCode = DiscountCodeBasic
  type DiscountCodeNode {
    id: ID!
    codeDiscount: DiscountCode!
  }
  enum DiscountErrorCode {
    BLANK
    INVALID
    TAKEN
    TOO_LONG
    TOO_SHORT
    PRESENT
    GREATER_THAN
    INTERNAL_ERROR
  }
  type DiscountUserError {
    field: [String!]
    message: String!
    code: DiscountErrorCode
    extraInfo: String
  }
  type DiscountCodeBasicCreatePayload {
    codeDiscountNode: DiscountCodeNode
    userErrors: [DiscountUserError!]!
  }
  input DiscountCodeBasicInput {
    title: String
    code: String
    startsAt: DateTime
    endsAt: DateTime
    usageLimit: Int
    appliesOncePerCustomer: Boolean
    customerSelection: JSON
    customerGets: JSON
    minimumRequirement: JSON
    combinesWith: JSON
    context: JSON
    recurringCycleLimit: Int
  }

  input MetafieldsSetInput {
    ownerId: ID!
    namespace: String
    key: String!
    value: String!
    type: String
    compareDigest: String
  }
  type MetafieldsSetUserError {
    field: [String!]
    message: String!
    code: String
    elementIndex: Int
  }
  type FlowTriggerReceivePayload {
    userErrors: [UserError!]!
  }
  type UserError {
    field: [String!]
    message: String!
  }
  type MetafieldsSetPayload {
    metafields: [Metafield!]
    userErrors: [MetafieldsSetUserError!]!
  }

  interface Node {
    id: ID!
  }
  enum BulkOperationStatus {
    CANCELED
    CANCELING
    COMPLETED
    CREATED
    EXPIRED
    FAILED
    RUNNING
  }
  enum BulkOperationErrorCode {
    ACCESS_DENIED
    INTERNAL_SERVER_ERROR
    TIMEOUT
  }
  enum BulkOperationType {
    MUTATION
    QUERY
  }
  type BulkOperation implements Node {
    id: ID!
    status: BulkOperationStatus!
    errorCode: BulkOperationErrorCode
    type: BulkOperationType!
    query: String!
    objectCount: UnsignedInt64!
    rootObjectCount: UnsignedInt64!
    fileSize: UnsignedInt64
    url: URL
    partialDataUrl: URL
    createdAt: DateTime!
    completedAt: DateTime
  }
  enum BulkOperationUserErrorCode {
    INVALID
    OPERATION_IN_PROGRESS
  }
  type BulkOperationUserError {
    field: [String!]
    message: String!
    code: BulkOperationUserErrorCode
  }
  type BulkOperationRunQueryPayload {
    bulkOperation: BulkOperation
    userErrors: [BulkOperationUserError!]!
  }
  enum CountPrecision {
    AT_LEAST
    EXACT
  }
  type Count {
    count: Int!
    precision: CountPrecision!
  }

  type QueryRoot {
    shop: Shop!
    shopLocales(published: Boolean = false): [ShopLocale!]!
    products(first: Int, after: String, last: Int, before: String, query: String, reverse: Boolean): ProductConnection!
    product(id: ID!): Product
    customers(first: Int, after: String, last: Int, before: String, query: String, reverse: Boolean): CustomerConnection!
    customer(id: ID!): Customer
    orders(first: Int, after: String, last: Int, before: String, query: String, sortKey: OrderSortKeys, reverse: Boolean): OrderConnection!
    order(id: ID!): Order
    ordersCount(query: String, limit: Int = 10000): Count
    node(id: ID!): Node
    currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
    codeDiscountNodeByCode(code: String!): DiscountCodeNode
  }
  type Mutation {
    discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
    metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
    bulkOperationRunQuery(query: String!, groupObjects: Boolean = false): BulkOperationRunQueryPayload
    flowTriggerReceive(handle: String, payload: JSON, body: String): FlowTriggerReceivePayload
  }
  schema {
    query: QueryRoot
    mutation: Mutation
  }
`;

export const adminSchema = buildSchema(ADMIN_SDL);
