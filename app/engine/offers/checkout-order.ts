// The order a thank-you / order-status extension call names (decision 017): found only in the token's
// shop, shown only to a caller who proves it is looking at it, and what the block shows for it —
// points (estimated while the order is not mirrored yet) and the offer. Also the offer click.
import type { PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { checkoutAccess, checkoutCaller } from "./checkout-access";
import { estimatedPointsFor, pointsForOrder, type OfferView, type PointsView } from "./grants";
import { recordOfferClick } from "./performance";
import { parseAmountToCents } from "./rules";

const ORDER_GID = /^gid:\/\/shopify\/(Order|OrderIdentity)\/(\d+)$/;

/** The order gid a call names: the extension may give the order's identity gid, which has the same number. */
export function checkoutOrderGid(value: unknown): string | null {
  const m = typeof value === "string" ? ORDER_GID.exec(value.trim()) : null;
  return m ? `gid://shopify/Order/${m[2]}` : null;
}

export interface CheckoutCall {
  shopDomain: string;
  orderGid: string;
  /** The session token's `sub`. */
  tokenSub: unknown;
  confirmation: unknown;
  /** How old an order may be and still be shown (TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS). */
  maxAgeMs: number;
}

type MirroredOrder = NonNullable<Awaited<ReturnType<typeof mirroredOrder>>>;
export type CheckoutLookup =
  | { kind: "refused"; status: 404 | 410; error: string; shop: Shop | null }
  | { kind: "pending"; shop: Shop }
  | { kind: "order"; shop: Shop; order: MirroredOrder };
export type FoundOrder = Extract<CheckoutLookup, { kind: "order" }>;

async function installedShop(db: PrismaClient, domain: string) {
  const shop = await db.shop.findUnique({ where: { domain } });
  return shop && shop.status === "installed" ? shop : null;
}

function mirroredOrder(db: PrismaClient, shopId: string, orderGid: string) {
  return db.order.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: orderGid } }, include: { lineItems: { select: { productId: true } } } });
}

/** The order of the token's shop that this caller may see, or why not. */
export async function lookUpCheckoutOrder(db: PrismaClient, clock: Clock, call: CheckoutCall): Promise<CheckoutLookup> {
  const shop = await installedShop(db, call.shopDomain);
  if (!shop) return { kind: "refused", status: 404, error: "not found", shop };
  const order = await mirroredOrder(db, shop.id, call.orderGid);
  if (!order || order.placeholder) {
    // Order gids are global: one mirrored for another shop is not this token's order.
    const elsewhere = await db.order.findFirst({ where: { shopifyId: call.orderGid, shopId: { not: shop.id } }, select: { id: true } });
    return elsewhere ? { kind: "refused", status: 404, error: "not found", shop } : { kind: "pending", shop };
  }
  const access = checkoutAccess(order, checkoutCaller(call.tokenSub, call.confirmation), clock.now(), call.maxAgeMs);
  if (access === "not-yours") return { kind: "refused", status: 404, error: "not found", shop };
  if (access === "too-old") return { kind: "refused", status: 410, error: "order too old", shop };
  return { kind: "order", shop, order };
}

export type CheckoutView =
  | { kind: "refused"; status: 404 | 410; error: string }
  | { kind: "pending"; estimatedPoints: number }
  | { kind: "ready"; points: PointsView; offer: OfferView | null };

/**
 * What the block shows: a refusal, pending with points estimated from the checkout's subtotal (the
 * thank-you page can come before orders/create), or the points and the offer. An offer that fails
 * (the Admin API is slow or down) is left out, reported through `offerFailed`, never the points.
 */
export async function checkoutView(
  db: PrismaClient,
  found: CheckoutLookup,
  subtotal: unknown,
  offerOf: (found: FoundOrder) => Promise<OfferView | null>,
  offerFailed: (error: unknown) => void,
): Promise<CheckoutView> {
  if (found.kind === "refused") return { kind: "refused", status: found.status, error: found.error };
  if (found.kind === "pending") {
    const cents = parseAmountToCents(typeof subtotal === "string" || typeof subtotal === "number" ? String(subtotal) : null);
    return { kind: "pending", estimatedPoints: await estimatedPointsFor(db, found.shop.id, cents) };
  }
  const points = await pointsForOrder(db, found.shop.id, found.order);
  let offer: OfferView | null = null;
  try {
    offer = await offerOf(found);
  } catch (error) {
    offerFailed(error);
  }
  return { kind: "ready", points, offer };
}

/** A click on the offer shown for this order: counted on the order's first grant. False when it has none. */
export async function recordCheckoutClick(db: PrismaClient, found: FoundOrder): Promise<boolean> {
  const grant = await db.offerGrant.findFirst({ where: { shopId: found.shop.id, orderGid: found.order.shopifyId }, orderBy: { createdAt: "asc" } });
  return grant?.code ? recordOfferClick(db, found.shop.id, grant.code) : false;
}
