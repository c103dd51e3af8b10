// What each Trustloop trigger sends to Flow for one event: pure builders, one per trigger. Reference
// fields go as `<object>_id` with Shopify's numeric id (Flow's convention), the others under their
// key in definitions.ts. Never a name or an email address: Flow reads those from the customer.
import { numericId } from "../util/gid";
import type { FlowTriggerKey } from "./definitions";

export type FlowTriggerPayload = Record<string, string | number | boolean>;

/** One event for one trigger: recorded once per (shop, trigger, eventKey). */
export interface FlowTriggerEvent {
  shopId: string;
  key: FlowTriggerKey;
  eventKey: string;
  customerShopifyId?: string | null;
  orderShopifyId?: string | null;
  payload: FlowTriggerPayload;
}

/** The numeric id of a gid ("gid://shopify/Order/123" → 123); null when there is none. */
export function referenceId(gid: string | null | undefined): number | null {
  if (!gid) return null;
  const n = Number(numericId(gid));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The reference fields that have an id (a guest's order has no customer: no customer_id). */
function references(refs: Partial<Record<"customer_id" | "order_id" | "product_id", string | null | undefined>>): FlowTriggerPayload {
  const out: FlowTriggerPayload = {};
  for (const [field, gid] of Object.entries(refs)) {
    const id = referenceId(gid);
    if (id !== null) out[field] = id;
  }
  return out;
}

export function reviewSubmittedEvent(review: {
  id: string;
  shopId: string;
  productId: string;
  customerShopifyId: string | null;
  rating: number;
  verifiedBuyer: boolean;
}): FlowTriggerEvent {
  return {
    shopId: review.shopId,
    key: "reviewSubmitted",
    eventKey: review.id,
    customerShopifyId: review.customerShopifyId,
    payload: {
      ...references({ product_id: review.productId, customer_id: review.customerShopifyId }),
      Rating: review.rating,
      "Verified buyer": review.verifiedBuyer,
    },
  };
}

export function npsReceivedEvent(response: {
  id: string;
  shopId: string;
  customerShopifyId: string | null;
  orderShopifyId: string;
  score: number;
  segment: "promoter" | "passive" | "detractor";
  comment: string | null;
}): FlowTriggerEvent {
  return {
    shopId: response.shopId,
    key: "npsReceived",
    eventKey: response.id,
    customerShopifyId: response.customerShopifyId,
    orderShopifyId: response.orderShopifyId,
    payload: {
      ...references({ customer_id: response.customerShopifyId, order_id: response.orderShopifyId }),
      Score: response.score,
      Category: response.segment,
      "Comment present": Boolean(response.comment?.trim()),
    },
  };
}

/** Once per member and tier: reaching a tier again after dropping below it sends nothing. */
export function tierReachedEvent(member: { id: string; shopId: string; customerShopifyId: string | null }, tier: string, balance: number): FlowTriggerEvent {
  return {
    shopId: member.shopId,
    key: "tierReached",
    eventKey: `${member.id}:${tier}`,
    customerShopifyId: member.customerShopifyId,
    payload: { ...references({ customer_id: member.customerShopifyId }), Tier: tier, Balance: balance },
  };
}

/** Once per incident; `apologyCode` is "" when the notice goes without one (or there is no notice). */
export function delayDetectedEvent(
  incident: { id: string; shopId: string; cause: string },
  order: { shopifyId: string; customerShopifyId: string | null },
  apologyCode: string,
): FlowTriggerEvent {
  return {
    shopId: incident.shopId,
    key: "delayDetected",
    eventKey: incident.id,
    customerShopifyId: order.customerShopifyId,
    orderShopifyId: order.shopifyId,
    payload: {
      ...references({ order_id: order.shopifyId, customer_id: order.customerShopifyId }),
      Cause: incident.cause,
      "Apology code": apologyCode,
    },
  };
}
