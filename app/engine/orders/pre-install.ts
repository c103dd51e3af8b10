// One rule for the orders a shop took before Trustloop was installed, whichever path mirrors them
// first (history import, webhook, reconciliation): they are imported — they feed the dashboard and
// never trigger a message, points, attribution or a redemption.
import type { Shop } from "@prisma/client";

/** The order was placed before the shop's (latest) install. An order with no placement time yet is not. */
export function placedBeforeInstall(placedAt: Date | null, shop: Pick<Shop, "installedAt">): boolean {
  return placedAt !== null && placedAt < shop.installedAt;
}
