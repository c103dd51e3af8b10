import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { discountCodesOf } from "./graphql-order";
import { fulfillmentStatusFromDisplay, shipmentStatusFromDisplay, toOrderPayload, updatedSinceQuery, waitBeforeNextMs, type OrderNode } from "./index";

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "EUR" } });
/** A REST money set as the payload carries it (the buyer's side null when the query did not read it). */
const restSet = (shop: string, presentment: string | null = null) => ({ shop_money: { amount: shop }, presentment_money: { amount: presentment } });

function node(overrides: Partial<OrderNode> = {}): OrderNode {
  return {
    id: "gid://shopify/Order/5401000001",
    name: "#1001",
    confirmationNumber: "X7K2PQ9ZB",
    email: "chloe@example.com",
    createdAt: "2026-11-20T10:00:00Z",
    updatedAt: "2026-11-21T12:30:00Z",
    processedAt: "2026-11-20T10:00:01Z",
    cancelledAt: null,
    cancelReason: null,
    displayFinancialStatus: "PARTIALLY_REFUNDED",
    displayFulfillmentStatus: "PARTIALLY_FULFILLED",
    currencyCode: "EUR",
    customerLocale: "fr",
    test: false,
    customerAcceptsMarketing: true,
    customer: {
      id: "gid://shopify/Customer/6201000001",
      email: "chloe@example.com",
      firstName: "Chloé",
      lastName: "Martin",
      locale: "fr",
      tags: ["vip", "wholesale"],
      emailMarketingConsent: { marketingState: "SUBSCRIBED" },
    },
    shippingAddress: { countryCodeV2: "FR", provinceCode: null, latitude: 45.7578, longitude: 4.832 },
    subtotalPriceSet: money("34.00"),
    totalPriceSet: money("39.90"),
    totalDiscountsSet: money("0.00"),
    totalTaxSet: money("5.90"),
    totalShippingPriceSet: money("4.95"),
    lineItems: {
      pageInfo: { hasNextPage: false },
      nodes: [
        {
          id: "gid://shopify/LineItem/1301000001",
          title: "Socks",
          quantity: 2,
          sku: "SOCK-M",
          vendor: "Trail Co",
          variantTitle: "M",
          variant: { id: "gid://shopify/ProductVariant/4301000001" },
          product: { id: "gid://shopify/Product/7101000001" },
          originalUnitPriceSet: money("12.00"),
        },
        {
          id: "gid://shopify/LineItem/1301000002",
          title: "Gift wrap",
          quantity: 1,
          sku: null,
          variantTitle: null,
          variant: null,
          product: null,
          originalUnitPriceSet: money("10.00"),
        },
      ],
    },
    fulfillments: [
      {
        id: "gid://shopify/Fulfillment/4801000001",
        status: "SUCCESS",
        createdAt: "2026-11-21T09:00:00Z",
        updatedAt: "2026-11-21T11:00:00Z",
        estimatedDeliveryAt: "2026-11-24T18:00:00Z",
        deliveredAt: null,
        displayStatus: "IN_TRANSIT",
        trackingInfo: [{ company: "DHL", number: "PKG-1", url: "https://track.example/PKG-1" }],
        fulfillmentLineItems: { pageInfo: { hasNextPage: false }, nodes: [{ lineItem: { id: "gid://shopify/LineItem/1301000001" }, quantity: 2 }] },
      },
    ],
    refunds: [
      {
        id: "gid://shopify/Refund/8801000001",
        createdAt: "2026-11-21T12:30:00Z",
        note: null,
        totalRefundedSet: money("10.00"),
        refundLineItems: {
          pageInfo: { hasNextPage: false },
          nodes: [{ lineItem: { id: "gid://shopify/LineItem/1301000002" }, quantity: 1, subtotalSet: money("10.00") }],
        },
      },
    ],
    ...overrides,
  };
}

describe("toOrderPayload", () => {
  it("maps a GraphQL order onto the REST-shaped payload the mirror applies", () => {
    const p = toOrderPayload(node());
    expect(p).toMatchObject({
      id: "5401000001",
      name: "#1001",
      confirmation_number: "X7K2PQ9ZB",
      email: "chloe@example.com",
      customer: {
        id: "6201000001",
        first_name: "Chloé",
        last_name: "Martin",
        locale: "fr",
        tags: "vip, wholesale",
        email_marketing_consent: { state: "subscribed" },
      },
      customer_locale: "fr",
      shipping_address: { country_code: "FR", province_code: null, latitude: 45.7578, longitude: 4.832 },
      currency: "EUR",
      subtotal_price: "34.00",
      total_price: "39.90",
      total_discounts: "0.00",
      total_tax: "5.90",
      total_shipping_price_set: { shop_money: { amount: "4.95" } },
      financial_status: "partially_refunded",
      fulfillment_status: "partial",
      cancelled_at: null,
      cancel_reason: null,
      test: false,
      buyer_accepts_marketing: true,
    });
    expect(p.updated_at).toEqual(new Date("2026-11-21T12:30:00Z"));
    expect(p.processed_at).toEqual(new Date("2026-11-20T10:00:01Z"));
    expect(p.line_items).toEqual([
      {
        id: "1301000001",
        product_id: "7101000001",
        variant_id: "4301000001",
        title: "Socks",
        variant_title: "M",
        sku: "SOCK-M",
        vendor: "Trail Co",
        quantity: 2,
        price: "12.00",
        price_set: restSet("12.00"),
      },
      {
        id: "1301000002",
        product_id: null,
        variant_id: null,
        title: "Gift wrap",
        variant_title: null,
        sku: null,
        vendor: null,
        quantity: 1,
        price: "10.00",
        price_set: restSet("10.00"),
      },
    ]);
    expect(p.fulfillments).toEqual([
      {
        id: "4801000001",
        order_id: "5401000001",
        status: "success",
        shipment_status: "in_transit",
        tracking_company: "DHL",
        tracking_number: "PKG-1",
        tracking_numbers: ["PKG-1"],
        tracking_url: "https://track.example/PKG-1",
        tracking_urls: ["https://track.example/PKG-1"],
        estimated_delivery_at: new Date("2026-11-24T18:00:00Z"),
        line_items: [{ id: "1301000001", quantity: 2 }],
        created_at: new Date("2026-11-21T09:00:00Z"),
        updated_at: new Date("2026-11-21T11:00:00Z"),
      },
    ]);
    expect(p.refunds).toEqual([
      {
        id: "8801000001",
        order_id: "5401000001",
        created_at: new Date("2026-11-21T12:30:00Z"),
        note: null,
        refund_line_items: [{ line_item_id: "1301000002", quantity: 1, subtotal: "10.00" }],
        transactions: [{ kind: "refund", status: "success", amount: "10.00" }],
      },
    ]);
  });

  it("maps the buyer's currency and amounts of a multi-currency order", () => {
    const bag = (shop: string, presentment: string) => ({
      shopMoney: { amount: shop, currencyCode: "USD" },
      presentmentMoney: { amount: presentment, currencyCode: "EUR" },
    });
    const [item] = node().lineItems.nodes;
    const p = toOrderPayload(
      node({
        currencyCode: "USD",
        presentmentCurrencyCode: "EUR",
        totalPriceSet: bag("43.09", "39.90"),
        lineItems: { nodes: [{ ...item, originalUnitPriceSet: bag("12.96", "12.00") }] },
      }),
    );
    expect(p).toMatchObject({ currency: "USD", presentment_currency: "EUR", total_price: "43.09", total_price_set: restSet("43.09", "39.90") });
    expect(p.line_items[0]).toMatchObject({ price: "12.96", price_set: restSet("12.96", "12.00") });
  });

  it("keeps the discount codes the order used apart (the mirror has no field for them)", () => {
    expect(discountCodesOf(node({ discountCodes: ["SORRY-1"] }))).toEqual(["SORRY-1"]);
    expect(discountCodesOf(node())).toEqual([]);
    expect(toOrderPayload(node({ discountCodes: ["SORRY-1"] }))).not.toHaveProperty("discount_codes");
  });

  it("maps a cancelled order without customer, address or shipments", () => {
    const p = toOrderPayload(
      node({
        cancelledAt: "2026-11-21T13:00:00Z",
        cancelReason: "CUSTOMER",
        displayFinancialStatus: "VOIDED",
        displayFulfillmentStatus: "UNFULFILLED",
        customer: null,
        shippingAddress: null,
        fulfillments: [],
        refunds: [],
      }),
    );
    expect(p).toMatchObject({ cancel_reason: "customer", financial_status: "voided", fulfillment_status: null, customer: null, shipping_address: null });
    expect(p.cancelled_at).toEqual(new Date("2026-11-21T13:00:00Z"));
    expect(p.fulfillments).toEqual([]);
  });

  it("rejects what the mirror could not use (missing updatedAt, foreign ids)", () => {
    expect(() => toOrderPayload({ ...node(), updatedAt: undefined })).toThrow(ZodError);
    expect(() => toOrderPayload(node({ id: "gid://shopify/Customer/1" }))).toThrow(/must be a Order gid/);
    expect(() => toOrderPayload(null)).toThrow(ZodError);
  });
});

describe("status mappings", () => {
  it.each([
    ["FULFILLED", "fulfilled"],
    ["PARTIALLY_FULFILLED", "partial"],
    ["RESTOCKED", "restocked"],
    ["UNFULFILLED", null],
    ["ON_HOLD", null],
    [null, null],
  ])("displayFulfillmentStatus %s → %s", (display, rest) => {
    expect(fulfillmentStatusFromDisplay(display)).toBe(rest);
  });

  it.each([
    ["DELIVERED", "delivered"],
    ["IN_TRANSIT", "in_transit"],
    ["OUT_FOR_DELIVERY", "out_for_delivery"],
    ["ATTEMPTED_DELIVERY", "attempted_delivery"],
    ["DELAYED", "delayed"],
    ["FAILURE", "failure"],
    ["FULFILLED", null],
    ["CANCELED", null],
  ])("fulfillment displayStatus %s → shipment_status %s", (display, rest) => {
    expect(shipmentStatusFromDisplay(display)).toBe(rest);
  });
});

describe("query helpers", () => {
  it("filters on updated_at in Shopify search syntax, second precision, including since's own second", () => {
    // An update at 12:30:00.900 reads "12:30:00Z": it must match a run that starts at 12:30:00.750.
    expect(updatedSinceQuery(new Date("2026-11-21T12:30:00.750Z"))).toBe("updated_at:>'2026-11-21T12:29:59Z'");
    expect(updatedSinceQuery(new Date("2026-11-21T12:30:00.000Z"))).toBe("updated_at:>'2026-11-21T12:29:59Z'");
  });

  it("waits for the bucket only when the next query cannot be afforded", () => {
    const ext = (available: number) => ({
      cost: { requestedQueryCost: 702, actualQueryCost: 212, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 } },
    });
    expect(waitBeforeNextMs(ext(1500))).toBe(0);
    expect(waitBeforeNextMs(ext(502))).toBe(2000);
    expect(waitBeforeNextMs(undefined)).toBe(0);
  });
});
