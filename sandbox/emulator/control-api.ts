// /_control/* — JSON control API over the Emulator (used by the app's /sandbox/api/* routes and tests).
import type { Router } from "express";
import { type RouteContext, HttpError, bodyObject, route } from "../http";
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
    .get(
      "/_control/status",
      route(() => ok(emulator.status())),
    )
    .post(
      "/_control/clock",
      route((ctx) => {
        const body = json(ctx);
        return ok(emulator.setClock(Number(body.offsetMs)));
      }),
    )
    .get(
      "/_control/shops/:shop/orders",
      route((ctx) => {
        const orders = emulator.listOrders(ctx.params.shop);
        const page = orderPageQuery(ctx.query);
        return ok(page ? orderPage(orders, page) : orders);
      }),
    )
    .post(
      "/_control/shops/:shop/orders",
      route(async (ctx) => ok(await emulator.placeOrder(ctx.params.shop, json(ctx) as PlaceOrderInput, options(ctx)))),
    )
    .post(
      "/_control/shops/:shop/orders/:id/fulfill",
      route(async (ctx) => ok(await emulator.fulfillOrder(ctx.params.shop, ctx.params.id, json(ctx) as FulfillInput, options(ctx)))),
    )
    .post(
      "/_control/shops/:shop/fulfillments/:id/events",
      route(async (ctx) => {
        const body = json(ctx);
        if (typeof body.status !== "string") throw new HttpError(400, "status is required");
        return ok(await emulator.addFulfillmentEvent(ctx.params.shop, ctx.params.id, body as unknown as FulfillmentEventInput, options(ctx)));
      }),
    )
    .post(
      "/_control/shops/:shop/orders/:id/cancel",
      route(async (ctx) => ok(await emulator.cancelOrder(ctx.params.shop, ctx.params.id, options(ctx)))),
    )
    .post(
      "/_control/shops/:shop/orders/:id/refund",
      route(async (ctx) => {
        const body = json(ctx);
        return ok(await emulator.refundOrder(ctx.params.shop, ctx.params.id, { amount: body.amount as string | number | undefined }, options(ctx)));
      }),
    )
    .post(
      "/_control/shops/:shop/scopes",
      route(async (ctx) => {
        const body = json(ctx);
        if (body.scopes !== null && typeof body.scopes !== "string")
          throw new HttpError(400, "scopes must be a comma-separated string (or null for the app's own)");
        return ok(await emulator.setGrantedScopes(ctx.params.shop, body.scopes as string | null, options(ctx)));
      }),
    )
    .post(
      "/_control/shops/:shop/history",
      route((ctx) => ok(emulator.seedHistory(ctx.params.shop, Number(json(ctx).orders)))),
    )
    .post(
      "/_control/shops/:shop/bulk/fail",
      route((ctx) => ok(emulator.failNextBulkOperation(ctx.params.shop, String(json(ctx).errorCode ?? "")))),
    )
    .post(
      "/_control/shops/:shop/bulk/expire",
      route((ctx) => ok(emulator.expireBulkOperation(ctx.params.shop))),
    )
    .post(
      "/_control/shops/:shop/uninstall",
      route(async (ctx) => ok(await emulator.uninstall(ctx.params.shop))),
    )
    .post(
      "/_control/shops/:shop/webhooks",
      route(async (ctx) => {
        const body = json(ctx);
        const payload = body.payload && typeof body.payload === "object" ? (body.payload as Record<string, unknown>) : undefined;
        return ok(await emulator.sendWebhook(ctx.params.shop, String(body.topic ?? ""), payload));
      }),
    )
    .get(
      "/_control/admin-calls",
      route((ctx) => ok(emulator.adminCalls(ctx.query.get("shop") ?? undefined))),
    )
    .delete(
      "/_control/admin-calls",
      route(() => {
        emulator.clearAdminCalls();
        return ok({ ok: true });
      }),
    )
    .get(
      "/_control/webhooks",
      route(() => ok(emulator.webhookLog())),
    )
    .post(
      "/_control/webhooks/redeliver",
      route(async (ctx) => {
        const body = json(ctx);
        if (typeof body.id !== "string") throw new HttpError(400, "id is required");
        return ok(await emulator.redeliver(body.id));
      }),
    )
    .post(
      "/_control/faults",
      route((ctx) => {
        const body = json(ctx);
        const times = body.times == null ? 1 : Number(body.times);
        const message = typeof body.message === "string" ? body.message : undefined;
        return ok(emulator.addFault(String(body.operation ?? ""), body.mode as FaultMode, times, message));
      }),
    )
    .post(
      "/_control/shops/:shop/throttle",
      route((ctx) => ok(emulator.setThrottle(ctx.params.shop, json(ctx)))),
    )
    .delete(
      "/_control/shops/:shop/throttle",
      route((ctx) => {
        emulator.resetThrottle(ctx.params.shop);
        return ok({ ok: true });
      }),
    )
    .delete(
      "/_control/faults",
      route(() => {
        emulator.clearFaults();
        return ok({ ok: true });
      }),
    );
}
