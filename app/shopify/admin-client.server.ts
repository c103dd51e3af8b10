// Admin GraphQL for background work (the worker has no request to authenticate): the shop's
// stored offline token, graphql-request, and the same sandbox seam as the Shopify library.
import type { PrismaClient } from "@prisma/client";
import { GraphQLClient, ClientError } from "graphql-request";
import { env } from "../env.server";
import { shopRequestsTo } from "./admin-api-seam.server";
import type { ShopGraphql } from "../engine/shopify/products";

export const ADMIN_API_VERSION = "2026-07";

export class AdminApiError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = "AdminApiError";
  }
}

function adminFetch(): typeof fetch {
  const base = env().SHOPIFY_ADMIN_API_URL;
  return base ? shopRequestsTo(base) : fetch;
}

export function shopGraphql(db: PrismaClient): ShopGraphql {
  return async (shopDomain, query, variables) => {
    const session = await db.session.findFirst({ where: { shop: shopDomain, isOnline: false } });
    if (!session) throw new AdminApiError(`no offline session for ${shopDomain}`, false);
    const client = new GraphQLClient(`https://${shopDomain}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
      headers: { "X-Shopify-Access-Token": session.accessToken },
      fetch: adminFetch(),
    });
    try {
      return await client.request(query, variables);
    } catch (error) {
      if (error instanceof ClientError) {
        const throttled = error.response.errors?.some((e) => (e.extensions as { code?: string } | undefined)?.code === "THROTTLED");
        const status = error.response.status;
        throw new AdminApiError(`Admin API ${status}${throttled ? " THROTTLED" : ""}: ${error.message.slice(0, 200)}`, throttled || status >= 500 || status === 429);
      }
      throw new AdminApiError(`Admin API unreachable: ${(error as Error).message}`, true);
    }
  };
}
