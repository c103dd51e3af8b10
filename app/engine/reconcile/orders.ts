// Reconciliation: webhooks can be missed. Ask the Admin API for the orders updated since the last
// sync and apply each to the mirror exactly as the webhook path does (same mirror, same planner and
// delay detection, one transaction per order), so detection and every flow also see orders whose
// webhooks never arrived. Paginated and cost-aware: waits for the bucket before a query it cannot
// afford, and backs off when Shopify answers THROTTLED anyway.
import { setTimeout as delay } from "node:timers/promises";
import pRetry from "p-retry";
import type { PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { CARRIER_EXCEPTIONS, detectCarrierException } from "../delays/detect";
import { afterOrderChanged } from "../orders/after-change";
import { recordRedemptions } from "../discounts/redemptions";
import { recordOfferConversions } from "../offers/performance";
import { applyOrder } from "../orders/mirror";
import type { OrderPayload } from "../orders/payloads";
import { discountCodesOf, hasTruncatedItems, ordersPage, parseOrderNode, singleOrder, toOrderPayload } from "./graphql-order";
import { ORDER_NESTED_ITEMS, ORDER_QUERY, ORDERS_PAGE_SIZE, ORDERS_QUERY, PAGE_NESTED_ITEMS, updatedSinceQuery } from "./order-query";
import { loggableIssues } from "../util/loggable";

/** Admin GraphQL with the whole response body: `extensions.cost` is needed to pace the pages. */
export type ShopGraphqlRaw = (shopDomain: string, query: string, variables?: Record<string, unknown>) => Promise<{ data: unknown; extensions?: unknown }>;

export interface ReconcileDeps {
  db: PrismaClient;
  clock: Clock;
  graphql: ShopGraphqlRaw;
  log: (event: { msg: string } & Record<string, unknown>) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Stop starting new pages after this much wall time; default 40 s. */
  budgetMs?: number;
  /** The worker is shutting down: cut a wait for the cost bucket short, stop at the next page boundary (the next run continues). */
  signal?: AbortSignal;
}

export interface ReconcileResult {
  pages: number;
  orders: number;
  /** The shop's sync watermark after the run (null: nothing was ever synced). */
  syncedTo: Date | null;
  /** False when the time budget ran out with pages left; the next run continues from syncedTo. */
  complete: boolean;
}

/** First run: look back this far, never the whole history (that is the history import's job, engine/history). */
export const FIRST_SYNC_LOOKBACK_MS = 3 * 86_400_000;
/** The watermark stays this far behind the newest order seen, so same-second updates are not lost. */
export const SYNC_OVERLAP_MS = 1000;
/**
 * …and never passes the run's start minus this: Shopify's search index trails writes (an order
 * updated just before the query may not be listed yet), and clocks differ. Orders of that last
 * minute are applied once more by the next run, which changes nothing.
 */
export const SEARCH_LAG_MS = 60_000;
/** THROTTLED answers: wait 1 s, 2 s, 4 s, 8 s between five tries, then give up for this run. */
export const MAX_TRIES = 5;
const BACKOFF_BASE_MS = 1000;

const throttleStatus = z.object({
  cost: z.object({
    requestedQueryCost: z.number(),
    throttleStatus: z.object({ currentlyAvailable: z.number(), restoreRate: z.number().positive(), maximumAvailable: z.number().optional() }),
  }),
});

/**
 * How long to wait before sending a query like the last one, from the last response's cost.
 * `reserve`: points to leave in the bucket for the app's other calls (never more than it holds).
 */
export function waitBeforeNextMs(extensions: unknown, reserve = 0): number {
  const parsed = throttleStatus.safeParse(extensions);
  if (!parsed.success) return 0;
  const { requestedQueryCost, throttleStatus: t } = parsed.data.cost;
  const needed = Math.min(requestedQueryCost + reserve, Math.max(requestedQueryCost, t.maximumAvailable ?? Infinity));
  if (t.currentlyAvailable >= needed) return 0;
  return Math.ceil(((needed - t.currentlyAvailable) / t.restoreRate) * 1000);
}

/** Throttling and other failures worth retrying (AdminApiError.retryable, or a THROTTLED GraphQL error). */
export function isThrottled(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  if ((error as { retryable?: unknown }).retryable === true) return true;
  const errors = (error as { response?: { errors?: { extensions?: { code?: unknown } }[] } }).response?.errors;
  return Array.isArray(errors) && errors.some((e) => e?.extensions?.code === "THROTTLED");
}

/**
 * Sends the run's queries one after another, each only when the bucket can afford it. Shared by
 * reconciliation and the history import; `label` names the caller in the log lines, `reserve`
 * leaves that many points to the app's other calls (background work must not starve them).
 */
export class Pacer {
  private waitMs = 0;
  constructor(
    private readonly deps: ReconcileDeps,
    private readonly shop: Shop,
    readonly label = "reconcile",
    private readonly reserve = 0,
  ) {}

  /** Waits, unless the worker is shutting down: then the query is not sent (the job runs again later). */
  private async sleep(ms: number) {
    const { signal } = this.deps;
    if (this.deps.sleep) await this.deps.sleep(ms);
    else await delay(ms, undefined, { signal }).catch(() => {});
    if (signal?.aborted) throw new Error(`${this.label} stopped: the worker is shutting down`);
  }

  /** How long the next query will wait for the bucket (a caller that can come back later may stop instead). */
  get pendingWaitMs(): number {
    return this.waitMs;
  }

  /** One query; on THROTTLED (or another retryable failure) backs off, and throws after MAX_TRIES. */
  async query(text: string, variables: Record<string, unknown>) {
    if (this.waitMs > 0) {
      this.deps.log({ msg: `${this.label} waits for the cost bucket`, shopId: this.shop.id, waitMs: this.waitMs });
      await this.sleep(this.waitMs);
    }
    const response = await pRetry(() => this.deps.graphql(this.shop.domain, text, variables), {
      retries: MAX_TRIES - 1,
      // The pause is taken in shouldRetry through the injected sleep (tests, the shutdown signal), not by p-retry's timer.
      minTimeout: 0,
      shouldRetry: async ({ error, attemptNumber: attempt }) => {
        if (!isThrottled(error)) return false;
        const waitMs = BACKOFF_BASE_MS * 2 ** (attempt - 1);
        this.deps.log({ msg: `${this.label} throttled`, level: "warn", shopId: this.shop.id, attempt, waitMs });
        await this.sleep(waitMs);
        return true;
      },
    });
    this.waitMs = waitBeforeNextMs(response.extensions, this.reserve);
    return response;
  }
}

/**
 * Applies one order and everything that follows (afterOrderChanged) in one transaction, as the
 * webhook path does. Carrier events arrive here only as a
 * shipment's current status, so a shipment now in an exception state is treated as its event.
 * Codes the order used are redemptions of ours (as the order webhooks' `discount_codes`).
 */
async function applyOne(deps: ReconcileDeps, shopId: string, { payload, discountCodes }: Fetched) {
  await deps.db.$transaction(async (tx) => {
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
    const { orderGid, imported } = await applyOrder(tx, shop, payload);
    const order = await tx.order.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: orderGid } }, select: { id: true } });
    if (!order) return;
    const full = await afterOrderChanged(tx, deps.clock, shop, order.id);
    if (discountCodes.length && !imported) {
      await recordRedemptions(tx, shopId, { shopifyId: orderGid, totalCents: full.totalCents, placedAt: full.placedAt ?? deps.clock.now() }, discountCodes);
      await recordOfferConversions(tx, shopId, { shopifyId: orderGid, totalCents: full.totalCents }, discountCodes);
    }
    for (const f of full.fulfillments) {
      if (f.shipmentStatus && CARRIER_EXCEPTIONS.has(f.shipmentStatus)) {
        await detectCarrierException(tx, deps.clock, shop, order.id, {
          status: f.shipmentStatus,
          fulfillmentId: f.id,
          estimatedDeliveryAt: f.estimatedDeliveryAt,
        });
      }
    }
  });
}

const withGid = z.object({ id: z.string() });

export interface Fetched {
  payload: OrderPayload;
  discountCodes: string[];
}

/**
 * The order's payload; fetched again alone when the page cut its items short. A node that does
 * not validate is logged and skipped (like a rejected webhook): one odd order must not stop the sync.
 */
export async function wholeOrder(deps: ReconcileDeps, pacer: Pacer, shop: Shop, raw: unknown): Promise<Fetched | null> {
  const gid = withGid.safeParse(raw).data?.id ?? null;
  try {
    let node = raw;
    if (hasTruncatedItems(parseOrderNode(raw))) {
      const single = await pacer.query(ORDER_QUERY, { id: gid, items: ORDER_NESTED_ITEMS });
      node = singleOrder.parse(single.data).order ?? raw;
      if (hasTruncatedItems(parseOrderNode(node))) {
        deps.log({ msg: `${pacer.label}: order has more items than fetched`, level: "warn", shopId: shop.id, orderGid: gid });
      }
    }
    return { payload: toOrderPayload(node), discountCodes: discountCodesOf(node) };
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    deps.log({ msg: `${pacer.label}: order skipped`, level: "warn", shopId: shop.id, orderGid: gid, issues: loggableIssues(error) });
    return null;
  }
}

/** Pages through the orders updated since `shop.ordersSyncedAt` and mirrors each of them. */
export async function reconcileShop(deps: ReconcileDeps, shop: Shop): Promise<ReconcileResult> {
  const startedAt = Date.now();
  const budgetMs = deps.budgetMs ?? 40_000;
  const settledBefore = deps.clock.now().getTime() - SEARCH_LAG_MS;
  // The first run starts at the install: reconciliation covers missed webhooks, it does not import
  // history (orders from before the install must never trigger messages). Capped to a few days.
  const since = shop.ordersSyncedAt ?? new Date(Math.max(shop.installedAt.getTime(), deps.clock.now().getTime() - FIRST_SYNC_LOOKBACK_MS));
  const pacer = new Pacer(deps, shop);
  let syncedTo = shop.ordersSyncedAt;
  let after: string | null = null;
  let pages = 0;
  let orders = 0;

  for (;;) {
    const response = await pacer.query(ORDERS_QUERY, { first: ORDERS_PAGE_SIZE, after, query: updatedSinceQuery(since), items: PAGE_NESTED_ITEMS });
    pages++;
    const page = ordersPage.parse(response.data).orders;

    let newest: Date | null = null;
    for (const raw of page.nodes) {
      const fetched = await wholeOrder(deps, pacer, shop, raw);
      if (!fetched) continue;
      await applyOne(deps, shop.id, fetched);
      orders++;
      if (!newest || fetched.payload.updated_at > newest) newest = fetched.payload.updated_at;
    }

    // Pages come sorted by updated_at: the watermark advances after each page, so a run cut short
    // (time budget, crash, throttling) keeps its progress.
    if (newest) {
      const watermark = new Date(Math.min(newest.getTime() - SYNC_OVERLAP_MS, settledBefore));
      if (!syncedTo || watermark > syncedTo) {
        syncedTo = watermark;
        await deps.db.shop.update({ where: { id: shop.id }, data: { ordersSyncedAt: watermark } });
      }
    }

    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return { pages, orders, syncedTo, complete: true };
    after = page.pageInfo.endCursor;
    if (Date.now() - startedAt > budgetMs || deps.signal?.aborted) {
      const why = deps.signal?.aborted ? "the worker is shutting down" : "time budget used";
      deps.log({ msg: `reconcile: ${why}, continuing next run`, shopId: shop.id, pages, orders });
      return { pages, orders, syncedTo, complete: false };
    }
  }
}
