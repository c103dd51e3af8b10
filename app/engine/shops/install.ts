// Install and uninstall. Both are idempotent: Shopify may run them more than once, and at once
// (every token exchange installs): both hold the shop row's lock, so they apply one after the other.
import type { Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { markEveryDayDirty } from "../dashboard/rezone";
import { FLOW_PRESETS } from "../flows/presets";
import { startHistoryImport } from "../history/import";
import { cancelPendingMessages } from "../messages/ledger";
import { cancelPendingJobs } from "../queue/jobs";
import { lockRow, retryingTransaction } from "../util/locks";
import type { ShopSettings } from "./settings";

export async function installShop(db: PrismaClient, clock: Clock, domain: string, settings: ShopSettings, scopes: string | null) {
  return retryingTransaction(db, async (tx) => {
    // INSERT … ON CONFLICT DO NOTHING, then the row's lock: a concurrent install waits here and
    // then finds the shop installed (an upsert would be a read then an insert, and collide).
    const { count } = await tx.shop.createMany({
      data: [{ domain, ...settings, scopes, status: "installed", installedAt: clock.now() }],
      skipDuplicates: true,
    });
    const { id } = await tx.shop.findUniqueOrThrow({ where: { domain }, select: { id: true } });
    await lockRow(tx, "Shop", id);
    const existing = count === 1 ? null : await tx.shop.findUniqueOrThrow({ where: { id } });
    const reinstalling = !existing || existing.status !== "installed";
    const shop = await tx.shop.update({
      where: { id },
      data: {
        ...settings,
        scopes,
        status: "installed",
        ...(reinstalling ? { installedAt: clock.now(), uninstalledAt: null } : {}),
      },
    });
    // The dashboard's days are the shop's local days: a new time zone regroups every figure.
    if (existing && existing.timezone !== shop.timezone) await markEveryDayDirty(tx, shop.id);
    // Presets are created once; a merchant's later edits survive re-installs.
    await tx.flow.createMany({
      // A preset is exactly a flow's columns (its optional ones left out are null).
      data: FLOW_PRESETS.map((preset) => ({ ...preset, shopId: shop.id, enabled: true })),
      skipDuplicates: true,
    });
    // The first install, and a reinstall, import the order history; an install that runs again
    // (every token exchange) leaves the import alone.
    await startHistoryImport(tx, clock, shop, { restart: reinstalling });
    return shop;
  });
}

/**
 * app/uninstalled: the tokens are dead, so sessions go; the shop's pending work is cancelled.
 * `triggeredAt` (X-Shopify-Triggered-At) is when Shopify raised the event: an uninstall raised
 * before the current install is a late delivery about an earlier installation, and is ignored —
 * applying it would delete the new install's tokens and cancel its work.
 */
export async function uninstallShop(tx: Prisma.TransactionClient, clock: Clock, domain: string, triggeredAt: Date | null) {
  const found = await tx.shop.findUnique({ where: { domain }, select: { id: true } });
  if (found) await lockRow(tx, "Shop", found.id); // after a concurrent install, or before it: never half-way
  const shop = found ? await tx.shop.findUnique({ where: { id: found.id } }) : null;
  if (shop && isBeforeInstall(triggeredAt, shop)) return { ignored: true as const, cancelledJobs: 0, cancelledMessages: 0 };
  await tx.session.deleteMany({ where: { shop: domain } });
  if (!shop) return { cancelledJobs: 0, cancelledMessages: 0 };
  await tx.shop.update({ where: { id: shop.id }, data: { status: "uninstalled", uninstalledAt: clock.now() } });
  const cancelledJobs = await cancelPendingJobs(tx, { shopId: shop.id }, "shop uninstalled", clock);
  const cancelledMessages = await cancelPendingMessages(tx, clock, { shopId: shop.id }, "shop uninstalled");
  return { cancelledJobs, cancelledMessages };
}

function isBeforeInstall(triggeredAt: Date | null, shop: { status: string; installedAt: Date | null }): boolean {
  return shop.status === "installed" && triggeredAt !== null && shop.installedAt !== null && triggeredAt.getTime() < shop.installedAt.getTime();
}
