// Setup-checklist signals: instants recorded the first time something happens. Each is one
// conditional update (only while still unset), so calling it on every request is cheap and idempotent.
import type { Prisma, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";

type Tx = Prisma.TransactionClient | PrismaClient;

/** The checkout UI extension made an authenticated call for the shop. No write once it is known. */
export async function markExtensionSeen(db: Tx, clock: Clock, shop: Pick<Shop, "id" | "extensionSeenAt">): Promise<boolean> {
  if (shop.extensionSeenAt) return false;
  const { count } = await db.shop.updateMany({ where: { id: shop.id, extensionSeenAt: null }, data: { extensionSeenAt: clock.now() } });
  return count > 0;
}

/** The merchant saved a flow in the editor. */
export async function markFlowsReviewed(db: Tx, clock: Clock, shopId: string): Promise<boolean> {
  const { count } = await db.shop.updateMany({ where: { id: shopId, flowsReviewedAt: null }, data: { flowsReviewedAt: clock.now() } });
  return count > 0;
}
