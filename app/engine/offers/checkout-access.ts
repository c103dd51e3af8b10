// Whether a checkout extension call may see a mirrored order (decision 017). A session token proves
// the shop (`dest`) and, when the shopper is logged in, the customer (`sub`); a guest's token names no
// one. So the call must also show that the caller is looking at this order: the token's customer is
// the order's, or the caller knows the order's confirmation number (shown on the thank-you and
// order-status pages, random, never in the order id). And the order must be recent enough for those pages.
import { timingSafeEqual } from "node:crypto";

export interface CheckoutCaller {
  /** The token's `sub` when it is a customer gid, else null (a guest). */
  customerGid: string | null;
  /** The confirmation number the extension read from the page, if any. */
  confirmation: string | null;
}

export interface BindableOrder {
  customerShopifyId: string | null;
  confirmationNumber: string | null;
  placedAt: Date | null;
  createdAt: Date;
}

export type CheckoutAccess = "allowed" | "not-yours" | "too-old";

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d+$/;

/** The caller as the token and the request describe it. */
export function checkoutCaller(tokenSub: unknown, confirmation: unknown): CheckoutCaller {
  return {
    customerGid: typeof tokenSub === "string" && CUSTOMER_GID.test(tokenSub) ? tokenSub : null,
    confirmation: typeof confirmation === "string" && confirmation.trim() ? confirmation.trim() : null,
  };
}

function sameConfirmation(a: string, b: string): boolean {
  const x = Buffer.from(a.trim().toUpperCase());
  const y = Buffer.from(b.trim().toUpperCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

export function checkoutAccess(order: BindableOrder, caller: CheckoutCaller, now: Date, maxAgeMs: number): CheckoutAccess {
  const confirmed = caller.confirmation !== null && order.confirmationNumber !== null && sameConfirmation(caller.confirmation, order.confirmationNumber);
  // A number that does not match, or a logged-in customer asking for someone else's order, is refused
  // even when the other proof would pass.
  if (caller.confirmation !== null && order.confirmationNumber !== null && !confirmed) return "not-yours";
  if (caller.customerGid && order.customerShopifyId && caller.customerGid !== order.customerShopifyId) return "not-yours";
  const ownCustomer = caller.customerGid !== null && caller.customerGid === order.customerShopifyId;
  if (!ownCustomer && !confirmed) return "not-yours";
  const placed = order.placedAt ?? order.createdAt;
  if (now.getTime() - placed.getTime() > maxAgeMs) return "too-old";
  return "allowed";
}
