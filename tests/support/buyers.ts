// Orders a named buyer places in the demo shop through the sandbox, shipped to France (the review
// tests keep the sandbox clock in Paris daytime), of one of each product given.
import type { PlacedOrder, Stack } from "./stack";

export interface Buyer {
  email: string;
  firstName?: string;
  lastName?: string;
}

export const placeInFrance = (stack: Stack, buyer: Buyer, products: { id: number }[]): Promise<PlacedOrder> =>
  stack.place({ ...buyer, country: "FR", lineItems: products.map((p) => ({ productId: p.id })) });
