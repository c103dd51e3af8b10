// Installs (or re-installs) a shop with settings read through its Admin API client.
import type { PrismaClient } from "@prisma/client";
import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { clock } from "../clock.server";
import { installShop } from "../engine/shops/install";
import { readShopLanguages, readShopSettings } from "../engine/shops/settings";
import { log } from "../log.server";

export async function installFromAdmin(db: PrismaClient, admin: AdminApiContext, shop: string, scope: string | null) {
  const graphql = async (query: string, variables?: Record<string, unknown>) => {
    const response = await admin.graphql(query, { variables });
    return ((await response.json()) as { data: unknown }).data;
  };
  const settings = await readShopSettings(graphql);
  const languages = await readShopLanguages(graphql).catch((error: unknown) => {
    log({ level: "warn", msg: "shop languages unreadable; keeping the ones on record", shop, error: error instanceof Error ? error.message : String(error) });
    return null;
  });
  const installed = await installShop(db, clock, shop, { ...settings, ...languages }, scope);
  log({ msg: "shop installed", shop });
  return installed;
}
