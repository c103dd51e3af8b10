// /api/checkout/order — called by the thank-you / order-status extension with the checkout session
// token. Every call names the order and proves the caller is looking at it (decision 017):
//   GET ?orderId=<gid>&confirmation=<number>[&subtotal=12.34] — reads only: the order's points and the
//     offer already presented for it.
//   POST {orderId, confirmation, subtotal?, event: "view"} — the block is on screen: marks the extension
//     as seen, presents the offer (its code is created once) and counts an impression; answers like GET.
//   POST {orderId, confirmation, event: "click"} — the shopper clicked the offer.
//   OPTIONS — CORS preflight.
// The shop comes from the verified token (dest). An order of another shop or customer, or one whose
// confirmation number does not match, is a 404; one older than TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS a 410;
// one not mirrored yet is "pending" with points estimated from the checkout's subtotal. Every answer
// is CORS-wrapped.
import type { Shop } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { currentClock } from "~/clock.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { authenticate } from "~/shopify.server";
import { shopGraphql } from "~/shopify/admin-client.server";
import { checkoutAccess, checkoutCaller } from "~/engine/offers/checkout-access";
import { estimatedPointsFor, pointsForOrder, presentedOffer, presentOffer, recordOfferClick, type OfferView } from "~/engine/offers/grants";
import { parseAmountToCents } from "~/engine/offers/rules";
import { markExtensionSeen } from "~/engine/shops/setup";

const ORDER_GID = /^gid:\/\/shopify\/(Order|OrderIdentity)\/(\d+)$/;
const NO_STORE = { "Cache-Control": "no-store" };
const DAY_MS = 86_400_000;

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

function orderGidOf(value: unknown): string | null {
  const m = typeof value === "string" ? ORDER_GID.exec(value.trim()) : null;
  return m ? `gid://shopify/Order/${m[2]}` : null;
}

/** What a call names: from the query string (GET) or the JSON body (POST). */
interface Call {
  orderGid: string | null;
  confirmation: unknown;
  subtotal: unknown;
  event?: unknown;
}

type MirroredOrder = NonNullable<Awaited<ReturnType<typeof mirroredOrder>>>;
type Lookup =
  | { kind: "refused"; status: 404 | 410; error: string; shop: Shop | null }
  | { kind: "pending"; shop: Shop }
  | { kind: "order"; shop: Shop; order: MirroredOrder };

const installedShop = async (domain: string) => {
  const shop = await db.shop.findUnique({ where: { domain } });
  return shop && shop.status === "installed" ? shop : null;
};
const mirroredOrder = (shopId: string, orderGid: string) =>
  db.order.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: orderGid } }, include: { lineItems: { select: { productId: true } } } });

/** The order of the token's shop that this caller may see, or why not. */
async function lookUp(shopDomain: string, orderGid: string, tokenSub: unknown, confirmation: unknown): Promise<Lookup> {
  const shop = await installedShop(shopDomain);
  if (!shop) return { kind: "refused", status: 404, error: "not found", shop };
  const order = await mirroredOrder(shop.id, orderGid);
  if (!order || order.placeholder) {
    // Order gids are global: one mirrored for another shop is not this token's order.
    const elsewhere = await db.order.findFirst({ where: { shopifyId: orderGid, shopId: { not: shop.id } }, select: { id: true } });
    return elsewhere ? { kind: "refused", status: 404, error: "not found", shop } : { kind: "pending", shop };
  }
  const config = env();
  const now = (await currentClock(db, config.TRUSTLOOP_SANDBOX)).now();
  const access = checkoutAccess(order, checkoutCaller(tokenSub, confirmation), now, config.TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS * DAY_MS);
  if (access === "not-yours") return { kind: "refused", status: 404, error: "not found", shop };
  if (access === "too-old") return { kind: "refused", status: 410, error: "order too old", shop };
  return { kind: "order", shop, order };
}

/** The answer for a GET or a view: pending with an estimate, or the points and the offer. */
async function answer(cors: Cors, found: Lookup, call: Call, offerOf: (found: Extract<Lookup, { kind: "order" }>) => Promise<OfferView | null>) {
  if (found.kind === "refused") return json(cors, { error: found.error }, found.status);
  if (found.kind === "pending") {
    // The thank-you page can come before orders/create: estimate from the checkout's subtotal.
    const subtotal = parseAmountToCents(typeof call.subtotal === "string" || typeof call.subtotal === "number" ? String(call.subtotal) : null);
    return json(cors, { status: "pending", estimatedPoints: await estimatedPointsFor(db, found.shop.id, subtotal) });
  }
  const points = await pointsForOrder(db, found.shop.id, found.order);
  let offer: OfferView | null = null;
  try {
    offer = await offerOf(found);
  } catch (error) {
    log({ level: "warn", msg: "offer unavailable", shop: found.shop.domain, order: found.order.shopifyId, error: (error as Error).message });
  }
  return json(cors, {
    status: "ready",
    points,
    offer: offer ? { title: offer.title, percent: offer.percent, code: offer.code, cartUrl: offer.cartUrl, expiresAt: offer.expiresAt } : null,
  });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { sessionToken, cors, shop: shopDomain } = await authenticated(request);
  const params = new URL(request.url).searchParams;
  const call: Call = { orderGid: orderGidOf(params.get("orderId")), confirmation: params.get("confirmation"), subtotal: params.get("subtotal") };
  if (!call.orderGid || !shopDomain) return json(cors, { error: "orderId required" }, 400);
  const found = await lookUp(shopDomain, call.orderGid, sessionToken.sub, call.confirmation);
  return answer(cors, found, call, (f) => presentedOffer(db, f.shop.id, f.order.shopifyId));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors, shop: shopDomain } = await authenticated(request);
  if (request.method !== "POST") return json(cors, { error: "method not allowed" }, 405);
  let body: Record<string, unknown>;
  try {
    body = (await request.json()) as Record<string, unknown>;
  } catch {
    return json(cors, { error: "invalid JSON" }, 400);
  }
  const call: Call = { orderGid: orderGidOf(body?.orderId), confirmation: body?.confirmation, subtotal: body?.subtotal, event: body?.event };
  if (!call.orderGid || !shopDomain || (call.event !== "view" && call.event !== "click")) {
    return json(cors, { error: "orderId and event (view or click) required" }, 400);
  }
  const found = await lookUp(shopDomain, call.orderGid, sessionToken.sub, call.confirmation);
  const config = env();
  const clock = await currentClock(db, config.TRUSTLOOP_SANDBOX);
  if (found.shop) await markExtensionSeen(db, clock, found.shop); // setup checklist
  if (call.event === "view") {
    return answer(cors, found, call, (f) => presentOffer({ db, clock, graphql: shopGraphql(db) }, f.shop, f.order));
  }
  if (found.kind !== "order") return json(cors, { error: found.kind === "refused" ? found.error : "not found" }, found.kind === "refused" ? found.status : 404);
  const grant = await db.offerGrant.findFirst({ where: { shopId: found.shop.id, orderGid: call.orderGid }, orderBy: { createdAt: "asc" } });
  const recorded = grant?.code ? await recordOfferClick(db, found.shop.id, grant.code) : false;
  return json(cors, { recorded });
};
