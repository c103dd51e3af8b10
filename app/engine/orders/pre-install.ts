// One rule for the orders a shop took before Trustloop was installed, whichever path mirrors them
// first (history import, webhook, reconciliation): they are imported — they feed the dashboard and
// never trigger a message, points, attribution or a redemption.
import type { Shop } from "@prisma/client";

/**
 * The order was placed before the shop's (latest) install. An order with no placement time yet is not.
 * Shopify gives `created_at` in whole seconds while the install time has milliseconds, so an order
 * placed in the install's own second counts as after it: a live order must never lose its messages.
 */
export function placedBeforeInstall(placedAt: Date | null, shop: Pick<Shop, "installedAt">): boolean {
  const installSecond = Math.floor(shop.installedAt.getTime() / 1000) * 1000;
  return placedAt !== null && placedAt.getTime() < installSecond;
}
