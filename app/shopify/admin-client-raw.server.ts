// Admin GraphQL for background work that needs the whole response (data + extensions.cost), e.g.
// reconciliation pacing its pages. Same token, seam and error mapping as admin-client.server.ts.
import type { PrismaClient } from "@prisma/client";
import type { ShopGraphqlRaw } from "../engine/reconcile/orders";
import { adminClientFor, toAdminApiError } from "./admin-client.server";

export function shopGraphqlRaw(db: PrismaClient): ShopGraphqlRaw {
  return async (shopDomain, query, variables) => {
    const client = await adminClientFor(db, shopDomain);
    try {
      const { data, extensions } = await client.rawRequest<unknown>(query, variables);
      return { data, extensions };
    } catch (error) {
      throw toAdminApiError(error);
    }
  };
}
