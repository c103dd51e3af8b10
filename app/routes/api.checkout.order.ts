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
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { log } from "~/log.server";
import { publicContext } from "~/route-context.server";
import { authenticate } from "~/shopify.server";
import { shopGraphql } from "~/shopify/admin-client.server";
import { checkoutOrderGid, checkoutView, lookUpCheckoutOrder, recordCheckoutClick, type CheckoutLookup, type FoundOrder } from "~/engine/offers/checkout-order";
import { presentedOffer, presentOffer, type OfferView } from "~/engine/offers/grants";
import { markExtensionSeen } from "~/engine/shops/setup";

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

/** What a call names: from the query string (GET) or the JSON body (POST). Values are checked by the engine. */
const callSchema = z.object({
  orderId: z.unknown().transform(checkoutOrderGid),
  confirmation: z.unknown(),
  subtotal: z.unknown(),
  event: z.unknown(),
});
type Call = z.infer<typeof callSchema>;

type Context = Awaited<ReturnType<typeof publicContext>>;

function lookUp({ db, clock, config }: Context, shopDomain: string, orderGid: string, tokenSub: unknown, call: Call) {
  return lookUpCheckoutOrder(db, clock, {
    shopDomain,
    orderGid,
    tokenSub,
    confirmation: call.confirmation,
    maxAgeMs: config.TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS * DAY_MS,
  });
}

/** The answer for a GET or a view: pending with an estimate, or the points and the offer. */
async function answer({ db }: Context, cors: Cors, found: CheckoutLookup, call: Call, offerOf: (found: FoundOrder) => Promise<OfferView | null>) {
  const view = await checkoutView(db, found, call.subtotal, offerOf, (error) => {
    if (found.kind === "order")
      log({ level: "warn", msg: "offer unavailable", shop: found.shop.domain, order: found.order.shopifyId, error: (error as Error).message });
  });
  if (view.kind === "refused") return json(cors, { error: view.error }, view.status);
  if (view.kind === "pending") return json(cors, { status: "pending", estimatedPoints: view.estimatedPoints });
  const { offer } = view;
  return json(cors, {
    status: "ready",
    points: view.points,
    offer: offer ? { title: offer.title, percent: offer.percent, code: offer.code, cartUrl: offer.cartUrl, expiresAt: offer.expiresAt } : null,
  });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { sessionToken, cors, shop: shopDomain } = await authenticated(request);
  const params = new URL(request.url).searchParams;
  const call = callSchema.parse({ orderId: params.get("orderId"), confirmation: params.get("confirmation"), subtotal: params.get("subtotal") });
  if (!call.orderId || !shopDomain) return json(cors, { error: "orderId required" }, 400);
  const context = await publicContext();
  const found = await lookUp(context, shopDomain, call.orderId, sessionToken.sub, call);
  return answer(context, cors, found, call, (f) => presentedOffer(context.db, f.shop.id, f.order.shopifyId));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors, shop: shopDomain } = await authenticated(request);
  if (request.method !== "POST") return json(cors, { error: "method not allowed" }, 405);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json(cors, { error: "invalid JSON" }, 400);
  }
  const call = callSchema.parse(typeof body === "object" && body !== null && !Array.isArray(body) ? body : {});
  if (!call.orderId || !shopDomain || (call.event !== "view" && call.event !== "click")) {
    return json(cors, { error: "orderId and event (view or click) required" }, 400);
  }
  const context = await publicContext();
  const { db, clock } = context;
  const found = await lookUp(context, shopDomain, call.orderId, sessionToken.sub, call);
  if (found.shop) await markExtensionSeen(db, clock, found.shop); // setup checklist
  if (call.event === "view") {
    return answer(context, cors, found, call, (f) => presentOffer({ db, clock, graphql: shopGraphql(db) }, f.shop, f.order));
  }
  if (found.kind !== "order") return json(cors, { error: found.kind === "refused" ? found.error : "not found" }, found.kind === "refused" ? found.status : 404);
  return json(cors, { recorded: await recordCheckoutClick(db, found) });
};
