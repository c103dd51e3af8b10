// An order as the engine loads it (with line items, fulfillments and refunds), in memory, for tests of
// pure logic that takes one: every column filled, so a test names only what it is about.
import type { Fulfillment, LineItem, Order, Refund } from "@prisma/client";
import type { OrderWithShipments } from "../../app/engine/flows/anchors";

export interface OrderRowParts {
  placedAt: Date;
  /** Default: one item "li1" × 1 at 20.00. */
  lineItems?: Partial<LineItem>[];
  fulfillments?: Partial<Fulfillment>[];
  refunds?: Partial<Refund>[];
  /** Any other column of the order (country, status, cancellation…). */
  extra?: Partial<Order>;
}

export function orderRow({ placedAt, lineItems = [{}], fulfillments = [], refunds = [], extra = {} }: OrderRowParts): OrderWithShipments {
  const at = { createdAt: placedAt, updatedAt: placedAt };
  /** The ids of the order's i-th fulfillment or refund. */
  const child = (kind: "Fulfillment" | "Refund", i: number) => ({
    id: `${kind[0].toLowerCase()}${i}`,
    shopId: "s",
    orderId: "o1",
    shopifyId: `gid://shopify/${kind}/${i}`,
  });
  return {
    id: "o1",
    shopId: "s",
    shopifyId: "gid://shopify/Order/1",
    placeholder: false,
    name: "#1001",
    confirmationNumber: null,
    customerShopifyId: null,
    email: "a@example.com",
    locale: null,
    shipCountry: "FR",
    shipProvince: null,
    shipLatitude: null,
    shipLongitude: null,
    currency: "EUR",
    subtotalCents: 2000,
    totalCents: 2500,
    presentmentCurrency: null,
    presentmentTotalCents: null,
    totalDiscountCents: 0,
    totalShippingCents: 500,
    totalTaxCents: 0,
    financialStatus: "paid",
    fulfillmentStatus: null,
    cancelledAt: null,
    cancelReason: null,
    test: false,
    imported: false,
    statsKey: null,
    buyerAcceptsMarketing: null,
    placedAt,
    shopifyUpdatedAt: placedAt,
    ...at,
    ...extra,
    lineItems: lineItems.map((li) => {
      const shopifyId = li.shopifyId ?? "li1";
      return {
        id: shopifyId,
        orderId: "o1",
        shopifyId,
        productId: null,
        variantId: null,
        title: "x",
        variant: null,
        sku: null,
        vendor: null,
        quantity: 1,
        priceCents: 2000,
        presentmentPriceCents: null,
        ...li,
      };
    }),
    fulfillments: fulfillments.map((f, i) => ({
      ...child("Fulfillment", i),
      placeholder: false,
      status: "success",
      shipmentStatus: null,
      shipmentStatusAt: null,
      trackingCompany: null,
      trackingNumbers: [],
      trackingUrls: [],
      lineItems: [],
      estimatedDeliveryAt: null,
      deliveredAt: null,
      shopifyCreatedAt: null,
      shopifyUpdatedAt: null,
      ...at,
      ...f,
    })),
    refunds: refunds.map((r, i) => ({
      ...child("Refund", i),
      amountCents: 0,
      note: null,
      lineItems: [],
      shopifyCreatedAt: null,
      createdAt: placedAt,
      ...r,
    })),
  };
}
