// /api/checkout/order — called by the thank-you / order-status extension with the checkout session
// token. GET ?orderId=<gid>[&subtotal=12.34]: the points of that order and its post-purchase offer.
// POST {orderId, event: "click"}: the shopper clicked the offer. OPTIONS: CORS preflight.
// The shop comes from the verified token (dest); an order not mirrored for that shop is a 404 (or
// "pending" with estimated points while orders/create has not arrived yet). Every answer is CORS-wrapped.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { currentClock } from "~/clock.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { authenticate } from "~/shopify.server";
import { shopGraphql } from "~/shopify/admin-client.server";
import { estimatedPointsFor, offerForOrder, pointsForOrder, recordOfferClick, type OfferView } from "~/engine/offers/grants";
import { parseAmountToCents } from "~/engine/offers/rules";
import { markExtensionSeen } from "~/engine/shops/setup";

const ORDER_GID = /^gid:\/\/shopify\/(Order|OrderIdentity)\/(\d+)$/;
const NO_STORE = { "Cache-Control": "no-store" };

type Cors = (response: Response) => Response;

function json(cors: Cors, body: unknown, status = 200): Response {
  return cors(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...NO_STORE } }));
}

/** authenticate.public.checkout throws Responses (204 preflight, 401): add CORS to those too. */
async function authenticated(request: Request) {
  try {
    const { sessionToken, cors } = await authenticate.public.checkout(request);
    const shop = typeof sessionToken.dest === "string" ? sessionToken.dest.replace(/^https?:\/\//, "").replace(/\/.*$/, "") : "";
    return { sessionToken, cors: cors as Cors, shop };
  } catch (thrown) {
    if (thrown instanceof Response) {
      const response = new Response(thrown.body, { status: thrown.status, statusText: thrown.statusText, headers: thrown.headers });
      if (request.headers.get("Origin") && !response.headers.has("Access-Control-Allow-Origin")) {
        response.headers.set("Access-Control-Allow-Origin", "*");
        response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
      }
      throw response;
    }
    throw thrown;
  }
}

function orderGidOf(value: string | null): string | null {
  const m = value ? ORDER_GID.exec(value.trim()) : null;
  return m ? `gid://shopify/Order/${m[2]}` : null;
}

/** The mirrored order of the token's shop, or null; also null when the token names another customer. */
async function findOrder(shopDomain: string, orderGid: string, tokenSub: unknown) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop || shop.status !== "installed") return { shop: null, order: null };
  const order = await db.order.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: orderGid } }, include: { lineItems: { select: { productId: true } } } });
  if (order && typeof tokenSub === "string" && tokenSub.startsWith("gid://shopify/Customer/") && order.customerShopifyId && order.customerShopifyId !== tokenSub) {
    return { shop, order: null, foreign: true };
  }
  if (!order) {
    // Order gids are global: one mirrored for another shop is not this token's order.
    const elsewhere = await db.order.findFirst({ where: { shopifyId: orderGid, shopId: { not: shop.id } }, select: { id: true } });
    if (elsewhere) return { shop, order: null, foreign: true };
  }
  return { shop, order };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { sessionToken, cors, shop: shopDomain } = await authenticated(request);
  const url = new URL(request.url);
  const orderGid = orderGidOf(url.searchParams.get("orderId"));
  if (!orderGid || !shopDomain) return json(cors, { error: "orderId required" }, 400);
  const found = await findOrder(shopDomain, orderGid, sessionToken.sub);
  if (found.shop) await markExtensionSeen(db, await currentClock(db, env().TRUSTLOOP_SANDBOX), found.shop); // setup checklist
  if (!found.shop || found.foreign) return json(cors, { error: "not found" }, 404);
  const order = found.order && !found.order.placeholder ? found.order : null;
  if (!order) {
    // The thank-you page can come before orders/create: estimate from the checkout's subtotal.
    const subtotal = parseAmountToCents(url.searchParams.get("subtotal"));
    const estimatedPoints = await estimatedPointsFor(db, found.shop.id, subtotal);
    return json(cors, { status: "pending", estimatedPoints });
  }
  const points = await pointsForOrder(db, found.shop.id, order);
  let offer: OfferView | null = null;
  try {
    const config = env();
    const clock = await currentClock(db, config.TRUSTLOOP_SANDBOX);
    offer = await offerForOrder({ db, clock, graphql: shopGraphql(db) }, found.shop, order);
  } catch (error) {
    log({ level: "warn", msg: "offer unavailable", shop: shopDomain, order: orderGid, error: (error as Error).message });
  }
  return json(cors, {
    status: "ready",
    points,
    offer: offer ? { title: offer.title, percent: offer.percent, code: offer.code, cartUrl: offer.cartUrl, expiresAt: offer.expiresAt } : null,
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors, shop: shopDomain } = await authenticated(request);
  if (request.method !== "POST") return json(cors, { error: "method not allowed" }, 405);
  let body: { orderId?: unknown; event?: unknown } = {};
  try {
    body = (await request.json()) as typeof body;
  } catch {
    return json(cors, { error: "invalid JSON" }, 400);
  }
  const orderGid = orderGidOf(typeof body.orderId === "string" ? body.orderId : null);
  if (!orderGid || body.event !== "click") return json(cors, { error: "orderId and event=click required" }, 400);
  const found = await findOrder(shopDomain, orderGid, sessionToken.sub);
  if (found.shop) await markExtensionSeen(db, await currentClock(db, env().TRUSTLOOP_SANDBOX), found.shop); // setup checklist
  if (!found.shop || found.foreign || !found.order) return json(cors, { error: "not found" }, 404);
  const grant = await db.offerGrant.findFirst({ where: { shopId: found.shop.id, orderGid }, orderBy: { createdAt: "asc" } });
  const recorded = grant?.code ? await recordOfferClick(db, found.shop.id, grant.code) : false;
  return json(cors, { recorded });
};
