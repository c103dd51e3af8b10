// /_control/* — JSON control API over the Emulator (used by the app's /sandbox/api/* routes and tests).
import { type RouteContext, type Router, HttpError, bodyObject } from "../http";
import type { ControlOptions, Emulator } from "./emulator";
import type { FaultMode } from "./faults";
import type { FulfillInput, FulfillmentEventInput, PlaceOrderInput } from "./mutations";
import { orderPage, orderPageQuery } from "./order-page";

export function registerControlApi(router: Router, emulator: Emulator): void {
  const json = (ctx: RouteContext) => bodyObject(ctx);
  const ok = (value: unknown) => ({ json: value });
  // `"webhooks": false` in the body: change the state but send no webhooks (a missed delivery).
  const options = (ctx: RouteContext): ControlOptions => ({ webhooks: json(ctx).webhooks !== false });

  router
    .add("GET", "/_control/status", () => ok(emulator.status()))
    .add("POST", "/_control/clock", (ctx) => {
      const body = json(ctx);
      return ok(emulator.setClock(Number(body.offsetMs)));
    })
    .add("GET", "/_control/shops/:shop/orders", (ctx) => {
      const orders = emulator.listOrders(ctx.params.shop);
      const page = orderPageQuery(ctx.query);
      return ok(page ? orderPage(orders, page) : orders);
    })
    .add("POST", "/_control/shops/:shop/orders", async (ctx) => ok(await emulator.placeOrder(ctx.params.shop, json(ctx) as PlaceOrderInput, options(ctx))))
    .add("POST", "/_control/shops/:shop/orders/:id/fulfill", async (ctx) =>
      ok(await emulator.fulfillOrder(ctx.params.shop, ctx.params.id, json(ctx) as FulfillInput, options(ctx))),
    )
    .add("POST", "/_control/shops/:shop/fulfillments/:id/events", async (ctx) => {
      const body = json(ctx);
      if (typeof body.status !== "string") throw new HttpError(400, "status is required");
      return ok(await emulator.addFulfillmentEvent(ctx.params.shop, ctx.params.id, body as unknown as FulfillmentEventInput, options(ctx)));
    })
    .add("POST", "/_control/shops/:shop/orders/:id/cancel", async (ctx) => ok(await emulator.cancelOrder(ctx.params.shop, ctx.params.id, options(ctx))))
    .add("POST", "/_control/shops/:shop/orders/:id/refund", async (ctx) => {
      const body = json(ctx);
      return ok(await emulator.refundOrder(ctx.params.shop, ctx.params.id, { amount: body.amount as string | number | undefined }, options(ctx)));
    })
    .add("POST", "/_control/shops/:shop/scopes", async (ctx) => {
      const body = json(ctx);
      if (body.scopes !== null && typeof body.scopes !== "string") throw new HttpError(400, "scopes must be a comma-separated string (or null for the app's own)");
      return ok(await emulator.setGrantedScopes(ctx.params.shop, body.scopes as string | null, options(ctx)));
    })
    .add("POST", "/_control/shops/:shop/history", (ctx) => ok(emulator.seedHistory(ctx.params.shop, Number(json(ctx).orders))))
    .add("POST", "/_control/shops/:shop/bulk/fail", (ctx) => ok(emulator.failNextBulkOperation(ctx.params.shop, String(json(ctx).errorCode ?? ""))))
    .add("POST", "/_control/shops/:shop/bulk/expire", (ctx) => ok(emulator.expireBulkOperation(ctx.params.shop)))
    .add("POST", "/_control/shops/:shop/uninstall", async (ctx) => ok(await emulator.uninstall(ctx.params.shop)))
    .add("POST", "/_control/shops/:shop/webhooks", async (ctx) => {
      const body = json(ctx);
      const payload = body.payload && typeof body.payload === "object" ? (body.payload as Record<string, unknown>) : undefined;
      return ok(await emulator.sendWebhook(ctx.params.shop, String(body.topic ?? ""), payload));
    })
    .add("GET", "/_control/admin-calls", (ctx) => ok(emulator.adminCalls(ctx.query.get("shop") ?? undefined)))
    .add("DELETE", "/_control/admin-calls", () => {
      emulator.clearAdminCalls();
      return ok({ ok: true });
    })
    .add("GET", "/_control/webhooks", () => ok(emulator.webhookLog()))
    .add("POST", "/_control/webhooks/redeliver", async (ctx) => {
      const body = json(ctx);
      if (typeof body.id !== "string") throw new HttpError(400, "id is required");
      return ok(await emulator.redeliver(body.id));
    })
    .add("POST", "/_control/faults", (ctx) => {
      const body = json(ctx);
      const times = body.times == null ? 1 : Number(body.times);
      const message = typeof body.message === "string" ? body.message : undefined;
      return ok(emulator.addFault(String(body.operation ?? ""), body.mode as FaultMode, times, message));
    })
    .add("POST", "/_control/shops/:shop/throttle", (ctx) => ok(emulator.setThrottle(ctx.params.shop, json(ctx))))
    .add("DELETE", "/_control/shops/:shop/throttle", (ctx) => {
      emulator.resetThrottle(ctx.params.shop);
      return ok({ ok: true });
    })
    .add("DELETE", "/_control/faults", () => {
      emulator.clearFaults();
      return ok({ ok: true });
    });
}
