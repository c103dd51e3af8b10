// POST /admin/oauth/access_token — OAuth 2.0 token exchange (id token -> access token) as Shopify does it.
import { randomBytes } from "node:crypto";
import { HttpError, type HttpResult, type RouteContext, bodyObject } from "../http";
import { IdTokenError, verifyIdToken } from "./id-token";
import { ensureShop, isShopDomain } from "./seed";
import type { EmulatorState } from "./state";

const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface TokenExchangeConfig {
  state: EmulatorState;
  apiKey: string;
  apiSecret: string;
  scopes: string;
}

export function tokenExchangeHandler(cfg: TokenExchangeConfig) {
  return (ctx: RouteContext): HttpResult => {
    const body = bodyObject(ctx);
    const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
    if (str("client_id") !== cfg.apiKey || str("client_secret") !== cfg.apiSecret) {
      throw new HttpError(400, "invalid_client", { error: "invalid_client" });
    }
    if (str("grant_type") !== GRANT) {
      throw new HttpError(400, "unsupported_grant_type", { error: "unsupported_grant_type" });
    }
    let shop: string;
    let userId: number | null;
    try {
      const claims = verifyIdToken(str("subject_token"), { apiKey: cfg.apiKey, apiSecret: cfg.apiSecret });
      shop = claims.shop;
      userId = Number(claims.sub) || null;
    } catch (err) {
      if (err instanceof IdTokenError) throw new HttpError(400, "invalid_subject_token", { error: "invalid_subject_token" });
      throw err;
    }
    if (!isShopDomain(shop)) throw new HttpError(400, "invalid_subject_token", { error: "invalid_subject_token" });
    const shopState = ensureShop(cfg.state, shop);
    const online = str("requested_token_type") === ONLINE;
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    // What the installation granted: the app's requested scopes unless the shop says otherwise.
    const scope = shopState.grantedScopes ?? cfg.scopes;
    cfg.state.tokens.set(token, { token, shop, online, userId, issuedAt: cfg.state.nowIso(), scope });
    if (!online) return { json: { access_token: token, scope } };
    return {
      json: {
        access_token: token,
        scope,
        expires_in: 86400,
        associated_user_scope: scope,
        associated_user: staffMember(shopState.contactEmail, userId ?? 1),
      },
    };
  };
}

/**
 * The staff member a session token names: user 1 is the account owner, with the shop's email;
 * any other id is a staff member with an address of their own at the shop's email domain.
 */
export function staffMember(shopEmail: string, userId: number) {
  const owner = userId === 1;
  const domain = shopEmail.split("@")[1] ?? "example.com";
  return {
    id: userId,
    first_name: owner ? "Demo" : "Staff",
    last_name: owner ? "Merchant" : String(userId),
    email: owner ? shopEmail : `staff-${userId}@${domain}`,
    email_verified: true,
    account_owner: owner,
    locale: "en",
    collaborator: false,
  };
}
