// Shopify's mandatory compliance webhooks about one buyer, sent by the Admin API emulator as Shopify
// sends them: the customer's id and email, and the order the buyer placed.
import type { PlacedOrder, Stack } from "./stack";

type Buyer = Pick<PlacedOrder, "customerId" | "email" | "orderId">;
const customer = (buyer: Buyer) => ({ id: Number(buyer.customerId), email: buyer.email });

/** customers/data_request for `buyer` in `shop`, as Shopify's request number `requestId`. */
export const requestCustomerData = (stack: Stack, shop: string, buyer: Buyer, requestId: number) =>
  stack.emulator(`/shops/${shop}/webhooks`, {
    topic: "customers/data_request",
    payload: { shop_domain: shop, customer: customer(buyer), orders_requested: [Number(buyer.orderId)], data_request: { id: requestId } },
  });

/** customers/redact for `buyer` in `shop`, with their order. */
export const redactBuyer = (stack: Stack, shop: string, buyer: Buyer) =>
  stack.emulator(`/shops/${shop}/webhooks`, {
    topic: "customers/redact",
    payload: { shop_domain: shop, customer: customer(buyer), orders_to_redact: [Number(buyer.orderId)] },
  });
