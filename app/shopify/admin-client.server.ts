// Admin GraphQL for background work (the worker has no request to authenticate): the shop's
// stored offline token, graphql-request, and the same sandbox seam as the Shopify library.
import type { PrismaClient } from "@prisma/client";
import { GraphQLClient, ClientError } from "graphql-request";
import { env } from "../env.server";
import { shopRequestsTo } from "./admin-api-seam.server";
import type { ShopGraphql } from "../engine/shopify/products";

export const ADMIN_API_VERSION = "2026-07";
/** A call that takes longer is abandoned (and retried by its caller): the worker must not hang. */
const REQUEST_TIMEOUT_MS = 20_000;

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

function adminFetch(): typeof fetch {
  const base = env().SHOPIFY_ADMIN_API_URL;
  const target = base ? shopRequestsTo(base) : fetch;
  return (input, init) => target(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

/** A GraphQL client for the shop, authenticated with its offline token. */
export async function adminClientFor(db: PrismaClient, shopDomain: string): Promise<GraphQLClient> {
  const session = await db.session.findFirst({ where: { shop: shopDomain, isOnline: false } });
  if (!session) throw new AdminApiError(`no offline session for ${shopDomain}`, false);
  return new GraphQLClient(`https://${shopDomain}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    headers: { "X-Shopify-Access-Token": session.accessToken },
    fetch: adminFetch(),
  });
}

/** Throttling, 5xx, 429 and network failures are worth retrying; the rest is not. */
export function toAdminApiError(error: unknown): AdminApiError {
  if (error instanceof AdminApiError) return error;
  if (error instanceof ClientError) {
    const throttled = error.response.errors?.some((e) => (e.extensions as { code?: string } | undefined)?.code === "THROTTLED");
    const status = error.response.status;
    return new AdminApiError(
      `Admin API ${status}${throttled ? " THROTTLED" : ""}: ${error.message.slice(0, 200)}`,
      throttled || status >= 500 || status === 429,
    );
  }
  return new AdminApiError(`Admin API unreachable: ${(error as Error).message}`, true);
}

export function shopGraphql(db: PrismaClient): ShopGraphql {
  return async (shopDomain, query, variables) => {
    const client = await adminClientFor(db, shopDomain);
    try {
      return await client.request(query, variables);
    } catch (error) {
      throw toAdminApiError(error);
    }
  };
}
