// The only place that knows Shopify auth configuration.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { installFromAdmin } from "./shopify/install.server";
import { db } from "./db.server";
import { env } from "./env.server";
import { routeShopRequestsTo } from "./shopify/admin-api-seam.server";

export const API_VERSION = ApiVersion.July26;

const config = env();
if (config.SHOPIFY_ADMIN_API_URL) routeShopRequestsTo(config.SHOPIFY_ADMIN_API_URL);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    // Runs after token exchange stored the offline session: (re)install the shop.
    afterAuth: async ({ session, admin }) => {
      if (!session.isOnline) await installFromAdmin(db, admin, session.shop, session.scope ?? null);
    },
  },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
