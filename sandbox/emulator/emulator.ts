// The in-process Emulator handle: every control operation (state change + the webhooks Shopify
// would send, delivered in order and awaited). The HTTP control API is a thin layer over this.
import { HttpError } from "../http";
import { presentmentOf } from "./currency";
import { type FaultMode, FaultRegistry } from "./faults";
import { throttleBucket } from "./graphql-http";
import { mintIdToken } from "./id-token";
import {
  type FulfillInput,
  type FulfillmentEventInput,
  type PlaceOrderInput,
  addFulfillmentEvent,
  cancelOrder,
  createFulfillment,
  createOrder,
  createRefund,
  findFulfillment,
  findOrder,
} from "./mutations";
import { type PayloadContext, orderRest } from "./rest-order";
import { appTopicRest, fulfillmentEventRest, fulfillmentRest, refundRest, shopRest } from "./rest-resources";
import { DEMO_SHOP, ensureShop, isShopDomain, seedAddress } from "./seed";
import { seedManyHistoryOrders } from "./seed-history";
import { type BulkErrorCode, currentBulkOperation } from "./bulk";
import { type AdminCall, type EmulatorState, type Order, type ShopState, fulfillmentStatusOf, orderTotalCents, centsToAmount } from "./state";
import type { DeliveryLogEntry, DeliveryResult, WebhookDispatcher } from "./webhooks";

export interface EmulatorConfig {
  state: EmulatorState;
  webhooks: WebhookDispatcher;
  faults: FaultRegistry;
  apiKey: string;
  apiSecret: string;
  apiVersion: string;
  scopes: string;
}

/** `webhooks: false` changes the state without sending the webhooks (a missed delivery). */
export interface ControlOptions {
  webhooks?: boolean;
}

export type Deliveries = { webhooks: (DeliveryResult | { topic: string; status: "not-subscribed" })[] };

export interface OrderSummary {
  id: string;
  name: string;
  email: string;
  financialStatus: string;
  fulfillmentStatus: string | null;
  cancelled: boolean;
  createdAt: string;
  updatedAt: string;
  total: string;
  currency: string;
  fulfillments: { id: string; shipmentStatus: string | null; trackingNumber: string | null }[];
}

export class Emulator {
  readonly demoShop = DEMO_SHOP;
  constructor(private readonly cfg: EmulatorConfig) {}

  get state(): EmulatorState {
    return this.cfg.state;
  }

  status() {
    return { now: this.cfg.state.nowIso(), clockOffsetMs: this.cfg.state.clockOffsetMs, shops: [...this.cfg.state.shops.keys()], demoShop: DEMO_SHOP };
  }

  setClock(offsetMs: number): { now: string; clockOffsetMs: number } {
    if (!Number.isFinite(offsetMs)) throw new HttpError(400, "offsetMs must be a number");
    this.cfg.state.clockOffsetMs = Math.round(offsetMs);
    return { now: this.cfg.state.nowIso(), clockOffsetMs: this.cfg.state.clockOffsetMs };
  }

  /** The shop (created lazily with generic defaults when unknown). */
  shop(domain: string): ShopState {
    if (!isShopDomain(domain)) throw new HttpError(400, `not a shop domain: ${domain}`);
    return ensureShop(this.cfg.state, domain);
  }

  /** A session token as Shopify admin would give the embedded app. */
  idToken(shop: string, userId?: number): string {
    return mintIdToken({ shop, apiKey: this.cfg.apiKey, apiSecret: this.cfg.apiSecret, userId });
  }

  async placeOrder(shopDomain: string, input: PlaceOrderInput = {}, options: ControlOptions = {}) {
    const shop = this.shop(shopDomain);
    const order = createOrder(this.cfg.state, shop, input);
    const sent = await this.send(
      shop,
      [
        ["orders/create", () => this.orderPayload(shop, order, "orders/create")],
        ["orders/paid", () => this.orderPayload(shop, order, "orders/paid")],
      ],
      options,
    );
    return { orderId: String(order.id), orderName: order.name, customerId: String(order.customerId), email: order.email, ...sent };
  }

  async fulfillOrder(shopDomain: string, orderId: string | number, input: FulfillInput = {}, options: ControlOptions = {}) {
    const shop = this.shop(shopDomain);
    const order = findOrder(shop, orderId);
    const f = createFulfillment(this.cfg.state, shop, order, input);
    const fully = fulfillmentStatusOf(order) === "fulfilled";
    const sent = await this.send(
      shop,
      [
        ["fulfillments/create", () => fulfillmentRest(this.ctx(shop), order, f, "fulfillments/create")],
        ...(fully ? [["orders/fulfilled", () => this.orderPayload(shop, order, "orders/fulfilled")] as const] : []),
        ["orders/updated", () => this.orderPayload(shop, order, "orders/updated")],
      ],
      options,
    );
    return { fulfillmentId: String(f.id), trackingNumber: f.trackingNumber, ...sent };
  }

  async addFulfillmentEvent(shopDomain: string, fulfillmentId: string | number, input: FulfillmentEventInput, options: ControlOptions = {}) {
    const shop = this.shop(shopDomain);
    const { order, fulfillment } = findFulfillment(shop, fulfillmentId);
    const event = addFulfillmentEvent(this.cfg.state, order, fulfillment, input);
    const sent = await this.send(
      shop,
      [
        ["fulfillment_events/create", () => fulfillmentEventRest(this.ctx(shop), order, event)],
        ["fulfillments/update", () => fulfillmentRest(this.ctx(shop), order, fulfillment, "fulfillments/update")],
      ],
      options,
    );
    return { eventId: String(event.id), ...sent };
  }

  async cancelOrder(shopDomain: string, orderId: string | number, options: ControlOptions = {}) {
    const shop = this.shop(shopDomain);
    const order = findOrder(shop, orderId);
    cancelOrder(this.cfg.state, order);
    const sent = await this.send(
      shop,
      [
        ["orders/cancelled", () => this.orderPayload(shop, order, "orders/cancelled")],
        ["orders/updated", () => this.orderPayload(shop, order, "orders/updated")],
      ],
      options,
    );
    return { orderId: String(order.id), ...sent };
  }

  async refundOrder(shopDomain: string, orderId: string | number, input: { amount?: string | number } = {}, options: ControlOptions = {}) {
    const shop = this.shop(shopDomain);
    const order = findOrder(shop, orderId);
    const refund = createRefund(this.cfg.state, order, input.amount);
    const sent = await this.send(
      shop,
      [
        ["refunds/create", () => refundRest(this.ctx(shop), order, refund)],
        ["orders/updated", () => this.orderPayload(shop, order, "orders/updated")],
      ],
      options,
    );
    return { refundId: String(refund.id), amount: centsToAmount(refund.amountCents), financialStatus: order.financialStatus, ...sent };
  }

  async uninstall(shopDomain: string) {
    const shop = this.shop(shopDomain);
    for (const [token, t] of this.cfg.state.tokens) if (t.shop === shop.domain) this.cfg.state.tokens.delete(token);
    return this.send(shop, [["app/uninstalled", () => shopRest(this.ctx(shop), "app/uninstalled")]]);
  }

  /** Delivers any topic; the payload (shallow-merged over the filled-in example) is optional. */
  async sendWebhook(shopDomain: string, topic: string, payload?: Record<string, unknown>) {
    const shop = this.shop(shopDomain);
    if (!topic) throw new HttpError(400, "topic is required");
    const base = () => {
      if (topic === "app/uninstalled" || topic === "shop/update") return shopRest(this.ctx(shop), topic);
      return appTopicRest(this.ctx(shop), topic, this.scopesOf(shop), this.cfg.state.nowIso());
    };
    return this.send(shop, [[topic, () => ({ ...base(), ...(payload ?? {}) })]]);
  }

  /** The scopes the shop's installation has: what the app requests unless changed with setGrantedScopes. */
  scopesOf(shop: ShopState): string {
    return shop.grantedScopes ?? this.cfg.scopes;
  }

  /**
   * Changes what the installation is granted (e.g. without `read_all_orders`, as for a store
   * Shopify has not approved it for) and sends app/scopes_update as Shopify does. Tokens keep
   * working; what they may read changes at once. `null` goes back to the app's requested scopes.
   */
  async setGrantedScopes(shopDomain: string, scopes: string | null, options: ControlOptions = {}) {
    const shop = this.shop(shopDomain);
    const previous = this.scopesOf(shop).split(",").filter(Boolean);
    if (scopes === null) delete shop.grantedScopes;
    else
      shop.grantedScopes = scopes
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .join(",");
    const current = this.scopesOf(shop).split(",").filter(Boolean);
    const sent = await this.send(
      shop,
      [["app/scopes_update", () => ({ ...appTopicRest(this.ctx(shop), "app/scopes_update", current.join(","), this.cfg.state.nowIso()), previous, current })]],
      options,
    );
    return { scopes: current.join(","), ...sent };
  }

  adminCalls(shop?: string): AdminCall[] {
    return this.cfg.state.adminCalls.filter((c) => !shop || c.shop === shop);
  }

  clearAdminCalls(): void {
    this.cfg.state.adminCalls = [];
  }

  webhookLog(): DeliveryLogEntry[] {
    return [...this.cfg.webhooks.deliveries];
  }

  async redeliver(webhookId: string): Promise<DeliveryResult> {
    const result = await this.cfg.webhooks.redeliver(webhookId);
    if (!result) throw new HttpError(404, `no delivery with id ${webhookId}`);
    return result;
  }

  sentWebhook(webhookId: string) {
    return this.cfg.webhooks.sentWebhook(webhookId);
  }

  listOrders(shopDomain: string): OrderSummary[] {
    return this.shop(shopDomain).orders.map((o: Order) => ({
      id: String(o.id),
      name: o.name,
      email: o.email,
      financialStatus: o.financialStatus,
      fulfillmentStatus: fulfillmentStatusOf(o),
      cancelled: o.cancelledAt !== null,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      // What the buyer paid, in their currency.
      total: centsToAmount(orderTotalCents(o)),
      currency: presentmentOf(o),
      fulfillments: o.fulfillments.map((f) => ({ id: String(f.id), shipmentStatus: f.shipmentStatus, trackingNumber: f.trackingNumber })),
    }));
  }

  addFault(operation: string, mode: FaultMode, times?: number, message?: string) {
    try {
      return this.cfg.faults.add(operation, mode, times, message);
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
  }

  clearFaults(): void {
    this.cfg.faults.clear();
  }

  /** The shop's GraphQL cost bucket: other plan limits, or a drained bucket. */
  setThrottle(shopDomain: string, input: { maximumAvailable?: unknown; restoreRate?: unknown; currentlyAvailable?: unknown }) {
    const shop = this.shop(shopDomain);
    const positive = (v: unknown, name: string) => {
      if (v === undefined) return undefined;
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new HttpError(400, `${name} must be a non-negative number`);
      return v;
    };
    const b = throttleBucket(this.cfg.state, shop.domain);
    b.maximumAvailable = positive(input.maximumAvailable, "maximumAvailable") ?? b.maximumAvailable;
    b.restoreRate = positive(input.restoreRate, "restoreRate") ?? b.restoreRate;
    b.available = Math.min(b.maximumAvailable, positive(input.currentlyAvailable, "currentlyAvailable") ?? b.available);
    return { maximumAvailable: b.maximumAvailable, restoreRate: b.restoreRate, currentlyAvailable: Math.floor(b.available) };
  }

  /** `orders` more past orders for the shop (spread over the last year), without webhooks: history to import. */
  seedHistory(shopDomain: string, orders: number) {
    if (!Number.isSafeInteger(orders) || orders < 1 || orders > 1_000_000) throw new HttpError(400, "orders must be a whole number from 1 to 1000000");
    const shop = this.shop(shopDomain);
    seedManyHistoryOrders(this.cfg.state, shop, orders, seedAddress);
    return { orders: shop.orders.length, customers: shop.customers.length };
  }

  /** The shop's next bulk operation ends FAILED with this error code (ACCESS_DENIED, INTERNAL_SERVER_ERROR, TIMEOUT). */
  failNextBulkOperation(shopDomain: string, errorCode: string) {
    const codes: BulkErrorCode[] = ["ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT"];
    if (!codes.includes(errorCode as BulkErrorCode)) throw new HttpError(400, `errorCode must be one of ${codes.join(", ")}`);
    this.cfg.state.bulkFailures.set(this.shop(shopDomain).domain, errorCode as BulkErrorCode);
    return { errorCode };
  }

  /** The file URL of the shop's latest bulk operation expires now (downloads answer 403). */
  expireBulkOperation(shopDomain: string) {
    const op = currentBulkOperation(this.cfg.state, this.shop(shopDomain).domain);
    if (!op) throw new HttpError(404, "the shop has no bulk operation");
    op.expired = true;
    return { id: `gid://shopify/BulkOperation/${op.id}`, expired: true };
  }

  /** Back to the standard limits with a full bucket. */
  resetThrottle(shopDomain: string): void {
    this.cfg.state.throttle.delete(this.shop(shopDomain).domain);
  }

  private ctx(shop: ShopState): PayloadContext {
    return { shop, version: this.cfg.apiVersion };
  }

  private orderPayload(shop: ShopState, order: Order, topic: string) {
    return orderRest(this.ctx(shop), order, topic);
  }

  /** Builds each payload at send time and delivers in order; unsubscribed topics are skipped. */
  private async send(shop: ShopState, topics: (readonly [string, () => unknown])[], options: ControlOptions = {}): Promise<Deliveries> {
    const webhooks: Deliveries["webhooks"] = [];
    if (options.webhooks === false) return { webhooks };
    for (const [topic, build] of topics) {
      const result = await this.cfg.webhooks.deliver(shop.domain, topic, build());
      webhooks.push(result ?? { topic, status: "not-subscribed" });
    }
    return { webhooks };
  }
}
