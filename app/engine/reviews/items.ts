// Which products a review request asks about: what the customer kept (line items minus refunded
// quantities), one entry per product, in the order's line-item order.
import type { LineItem, Refund } from "@prisma/client";

export interface KeptProduct {
  productId: string;
  title: string;
}

function refundedQuantities(refunds: Pick<Refund, "lineItems">[]): Map<string, number> {
  const refunded = new Map<string, number>();
  for (const r of refunds) {
    const parsed = r.lineItems;
    if (!Array.isArray(parsed)) continue;
    for (const li of parsed as { lineItemId?: unknown; quantity?: unknown }[]) {
      if (typeof li?.lineItemId !== "string" || typeof li.quantity !== "number") continue;
      refunded.set(li.lineItemId, (refunded.get(li.lineItemId) ?? 0) + li.quantity);
    }
  }
  return refunded;
}

export function keptProducts(order: {
  lineItems: Pick<LineItem, "shopifyId" | "productId" | "title" | "quantity">[];
  refunds: Pick<Refund, "lineItems">[];
}): KeptProduct[] {
  const refunded = refundedQuantities(order.refunds);
  const kept = new Map<string, KeptProduct>();
  for (const li of order.lineItems) {
    if (!li.productId) continue; // custom items have no product page to review
    if (li.quantity - (refunded.get(li.shopifyId) ?? 0) <= 0) continue;
    if (!kept.has(li.productId)) kept.set(li.productId, { productId: li.productId, title: li.title });
  }
  return [...kept.values()];
}

/** "Ada Lovelace" → "Ada L."; nothing known → "Verified buyer". */
export function publicAuthorName(firstName: string | null | undefined, lastName: string | null | undefined): string {
  const first = firstName?.trim();
  const initial = lastName?.trim().charAt(0);
  if (!first) return "Verified buyer";
  return initial ? `${first} ${initial.toUpperCase()}.` : first;
}
