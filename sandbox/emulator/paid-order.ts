// A new paid order of a customer, as checkout, the demo seed and its history place them: the next
// order number, the customer's email, locale, consent and address, nothing fulfilled or refunded.
import { randomBytes } from "node:crypto";
import type { Customer, EmulatorState, LineItem, Order, Product, ShopState, Variant } from "./state";

export interface PaidOrderInput {
  /** Placed, processed and last updated at this time (ISO). */
  at: string;
  lineItems: LineItem[];
  /** The buyer's currency (the line items' prices are in it); default the shop's. */
  presentmentCurrency?: string;
  test?: boolean;
  /** The order's status-page token (default: random). */
  token?: string;
}

/** A line item of one of a product's variants, at the variant's price. */
export function variantLineItem(state: EmulatorState, product: Product, variant: Variant, quantity: number): LineItem {
  return {
    id: state.nextId("lineItem"),
    productId: product.id,
    variantId: variant.id,
    title: product.title,
    variantTitle: variant.title,
    sku: variant.sku,
    quantity,
    priceCents: variant.priceCents,
  };
}

export function paidOrder(state: EmulatorState, shop: ShopState, customer: Customer, input: PaidOrderInput): Order {
  const number = shop.nextOrderNumber++;
  return {
    id: state.nextId("order"),
    number,
    name: `#${number}`,
    token: input.token ?? randomBytes(16).toString("hex"),
    email: customer.email,
    customerId: customer.id,
    createdAt: input.at,
    updatedAt: input.at,
    processedAt: input.at,
    cancelledAt: null,
    cancelReason: null,
    financialStatus: "paid",
    currency: shop.currencyCode,
    ...(input.presentmentCurrency && input.presentmentCurrency !== shop.currencyCode ? { presentmentCurrency: input.presentmentCurrency } : {}),
    customerLocale: customer.locale,
    buyerAcceptsMarketing: customer.marketingState === "SUBSCRIBED",
    test: input.test ?? false,
    shippingAddress: { ...customer.address },
    lineItems: input.lineItems,
    fulfillments: [],
    refunds: [],
  };
}
