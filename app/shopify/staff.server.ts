// The signed-in staff member's email address. The session token names the user only by id
// (`sub`); an online access token from token exchange carries the user's email and whether it is
// verified (decision 019). Nothing is stored: the online token is used for this and dropped.
import { LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { env } from "../env.server";
import { API_VERSION } from "../shopify.server";

// shopifyApp() keeps its library instance to itself; this one shares its configuration (and the
// sandbox's request seam, which is process-wide).
let api: ReturnType<typeof shopifyApi> | undefined;
function shopifyLibrary() {
  const config = env();
  api ??= shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    scopes: config.SCOPES.split(","),
    hostName: new URL(config.SHOPIFY_APP_URL).host,
    hostScheme: new URL(config.SHOPIFY_APP_URL).protocol === "http:" ? "http" : "https",
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
  return api;
}

/** The session token the embedded admin sent: Bearer header (fetches) or id_token (documents). */
function sessionTokenOf(request: Request): string | null {
  const bearer = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  return bearer ?? new URL(request.url).searchParams.get("id_token");
}

/** The staff member's verified email, or null when Shopify does not give one. */
export async function staffEmail(request: Request, shop: string): Promise<string | null> {
  const sessionToken = sessionTokenOf(request);
  if (!sessionToken) return null;
  try {
    const { session } = await shopifyLibrary().auth.tokenExchange({ shop, sessionToken, requestedTokenType: RequestedTokenType.OnlineAccessToken });
    const user = session.onlineAccessInfo?.associated_user;
    return user?.email && user.email_verified ? user.email.toLowerCase() : null;
  } catch {
    // Without it the shop's own address remains; the editor says whose addresses it offers.
    return null;
  }
}
