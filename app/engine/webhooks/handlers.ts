// What each topic does to the database. Every handler runs inside the transaction that records
// the delivery, so a delivery is either recorded and applied, or neither (and Shopify retries).
import type { Prisma, Shop } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { afterOrderChanged } from "../orders/after-change";
import { detectCarrierException } from "../delays/detect";
import { toGid } from "../util/gid";
import { toMinorUnits } from "../util/money";
import { recordRedemptions } from "../discounts/redemptions";
import { recordOfferConversions } from "../offers/performance";
import { applyFulfillment, applyFulfillmentEvent, applyOrder, applyRefund } from "../orders/mirror";
import { fulfillmentEventPayload, fulfillmentPayload, orderPayload, refundPayload } from "../orders/payloads";
import { customerRedactPayload, dataRequestPayload, recordDataRequest, redactCustomer, redactShop } from "../privacy/redact";
import { uninstallShop } from "../shops/install";
import type { WebhookTopic } from "./topics";
import { grantsAllOrders, startHistoryImport } from "../history";

type Tx = Prisma.TransactionClient;

export interface HandlerContext {
  tx: Tx;
  clock: Clock;
  shopDomain: string;
  /** The installed shop, when there is one. */
  shopId: string | null;
  receivedAt: Date;
  /** X-Shopify-Triggered-At: when Shopify raised the event (null when absent or unreadable). */
  triggeredAt: Date | null;
}

/** What a handler reports back for the delivery log. */
export interface Applied {
  resourceId?: string | null;
  /** Why an accepted delivery changed nothing, shown with it in the delivery log. */
  note?: string;
}

interface Handler<T> {
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** Mirror topics need an installed shop; compliance and app topics do not. */
  needsInstalledShop: boolean;
  apply(ctx: HandlerContext & { shopId: string | null }, payload: T): Promise<Applied>;
}

function handler<T>(h: Handler<T>): Handler<unknown> {
  return h as Handler<unknown>;
}

/** After the mirror changed: (re)plan the order's messages in the same transaction. */
async function replan(
  ctx: HandlerContext,
  orderGid: string,
  carrierEvent?: { status: string; fulfillmentGid: string; estimatedDeliveryAt: Date | null },
  loaded?: Shop,
): Promise<Applied> {
  const shop = loaded ?? (await ctx.tx.shop.findUniqueOrThrow({ where: { id: ctx.shopId! } }));
  const order = await ctx.tx.order.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: orderGid } }, select: { id: true } });
  if (order) {
    await afterOrderChanged(ctx.tx, ctx.clock, shop, order.id);
    if (carrierEvent) {
      const fulfillment = await ctx.tx.fulfillment.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: carrierEvent.fulfillmentGid } } });
      if (fulfillment) {
        await detectCarrierException(ctx.tx, ctx.clock, shop, order.id, {
          status: carrierEvent.status,
          fulfillmentId: fulfillment.id,
          estimatedDeliveryAt: carrierEvent.estimatedDeliveryAt,
        });
      }
    }
  }
  return { resourceId: orderGid };
}

const order = handler({
  schema: orderPayload,
  needsInstalledShop: true,
  async apply(ctx, payload) {
    const shop = await ctx.tx.shop.findUniqueOrThrow({ where: { id: ctx.shopId! } });
    const { orderGid, imported } = await applyOrder(ctx.tx, shop, payload);
    const codes = (payload.discount_codes ?? []).map((d) => d.code);
    if (codes.length && !imported) {
      const placedAt = payload.processed_at ?? payload.created_at ?? ctx.receivedAt;
      const totalCents = toMinorUnits(payload.total_price, payload.currency);
      await recordRedemptions(ctx.tx, ctx.shopId!, { shopifyId: orderGid, totalCents, placedAt }, codes);
      await recordOfferConversions(ctx.tx, ctx.shopId!, { shopifyId: orderGid, totalCents }, codes);
    }
    return replan(ctx, orderGid, undefined, shop);
  },
});

const fulfillment = handler({
  schema: fulfillmentPayload,
  needsInstalledShop: true,
  async apply(ctx, payload) {
    const { orderGid } = await applyFulfillment(ctx.tx, ctx.shopId!, payload);
    return replan(ctx, orderGid);
  },
});

const scopesUpdate = z.object({ current: z.array(z.string()) });

export const HANDLERS: Record<WebhookTopic, Handler<unknown>> = {
  "orders/create": order,
  "orders/updated": order,
  "orders/paid": order,
  "orders/cancelled": order,
  "orders/fulfilled": order,
  "fulfillments/create": fulfillment,
  "fulfillments/update": fulfillment,
  "fulfillment_events/create": handler({
    schema: fulfillmentEventPayload,
    needsInstalledShop: true,
    async apply(ctx, payload) {
      const { orderGid } = await applyFulfillmentEvent(ctx.tx, ctx.shopId!, payload, ctx.receivedAt);
      return replan(ctx, orderGid, {
        status: payload.status,
        fulfillmentGid: toGid("Fulfillment", payload.fulfillment_id),
        estimatedDeliveryAt: payload.estimated_delivery_at ?? null,
      });
    },
  }),
  "refunds/create": handler({
    schema: refundPayload,
    needsInstalledShop: true,
    async apply(ctx, payload) {
      const { orderGid } = await applyRefund(ctx.tx, ctx.shopId!, payload);
      return replan(ctx, orderGid);
    },
  }),
  "app/uninstalled": handler({
    schema: z.unknown(),
    needsInstalledShop: false,
    async apply(ctx) {
      const result = await uninstallShop(ctx.tx, ctx.clock, ctx.shopDomain, ctx.triggeredAt);
      return "ignored" in result ? { note: "ignored: raised before the current install" } : {};
    },
  }),
  "app/scopes_update": handler({
    schema: scopesUpdate,
    needsInstalledShop: false,
    async apply(ctx, payload) {
      const scope = payload.current.join(",");
      const shop = await ctx.tx.shop.findUnique({ where: { domain: ctx.shopDomain }, select: { id: true, scopes: true, status: true } });
      await ctx.tx.session.updateMany({ where: { shop: ctx.shopDomain }, data: { scope } });
      await ctx.tx.shop.updateMany({ where: { domain: ctx.shopDomain }, data: { scopes: scope } });
      // Newly granted read_all_orders: the history import can now reach past 60 days.
      if (shop?.status === "installed" && grantsAllOrders(scope) && !grantsAllOrders(shop.scopes)) {
        await startHistoryImport(ctx.tx, ctx.clock, { id: shop.id, scopes: scope }, { restart: true });
      }
      return {};
    },
  }),
  "customers/data_request": handler({
    schema: dataRequestPayload,
    needsInstalledShop: false,
    async apply(ctx, payload) {
      const row = await recordDataRequest(ctx.tx, ctx.clock, ctx.shopDomain, payload);
      return { resourceId: row?.id ?? null };
    },
  }),
  "customers/redact": handler({
    schema: customerRedactPayload,
    needsInstalledShop: false,
    async apply(ctx, payload) {
      await redactCustomer(ctx.tx, ctx.clock, ctx.shopDomain, payload);
      return {};
    },
  }),
  "shop/redact": handler({
    schema: z.unknown(),
    needsInstalledShop: false,
    async apply(ctx) {
      await redactShop(ctx.tx, ctx.shopDomain);
      return {};
    },
  }),
};
