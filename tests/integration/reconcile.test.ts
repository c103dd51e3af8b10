// Reconciliation end to end: orders changed in the emulator with their webhooks never delivered
// are found through the real Admin GraphQL client (graphql-request over the sandbox seam) and
// applied to the real database by reconcileShop, called here directly (the worker is not running).
import { beforeEach, describe, expect, it } from "vitest";
import type { Job } from "@prisma/client";
import { OffsetClock } from "../../app/engine/clock";
import { readClockOffset } from "../../app/clock.server";
import type * as Reconcile from "../../app/engine/reconcile";
import { type Stack, type PlacedOrder, orderGid } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
let shopId: string;
let api: typeof Reconcile;
let graphql: Reconcile.ShopGraphqlRaw;
const clock = new OffsetClock(0);
const logs: Record<string, unknown>[] = [];

const silently = <T>(path: string, body: Record<string, unknown> = {}) => stack.emulator<T>(`/shops/${shop}${path}`, { ...body, webhooks: false });

function recordingSleep(real = true) {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    if (real) await new Promise((r) => setTimeout(r, ms));
  };
  return { sleeps, sleep };
}

async function reconcile(sleep?: (ms: number) => Promise<void>) {
  clock.setOffset(await readClockOffset(stack.db));
  const row = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  return api.reconcileShop({ db: stack.db, clock, graphql, log: (e) => void logs.push(e), sleep }, row);
}

const mirrored = (orderId: string) =>
  stack.db.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: orderGid(orderId) } },
    include: { lineItems: { orderBy: { shopifyId: "asc" } }, fulfillments: true, refunds: true, messages: { include: { flow: true, events: true } } },
  });

const messageOf = async (orderId: string, flowKey: string) => (await mirrored(orderId))?.messages.find((m) => m.flow.key === flowKey);

const reconcileCalls = () => stack.services.emulator.adminCalls(shop).filter((c) => c.operationName === "ReconcileOrders");

async function counts() {
  const where = { shopId };
  return {
    orders: await stack.db.order.count({ where }),
    lineItems: await stack.db.lineItem.count({ where: { order: where } }),
    fulfillments: await stack.db.fulfillment.count({ where }),
    refunds: await stack.db.refund.count({ where }),
    customers: await stack.db.customer.count({ where }),
    messages: await stack.db.message.count({ where }),
    messageEvents: await stack.db.messageEvent.count({ where: { message: where } }),
  };
}

useStack({ install: true }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  shopId = (await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
  // The app's modules read their configuration from process.env on first use.
  Object.assign(process.env, stack.env);
  api = await import("../../app/engine/reconcile");
  const { shopGraphqlRaw } = await import("../../app/shopify/admin-client-raw.server");
  graphql = shopGraphqlRaw(stack.db);
});
beforeEach(async () => {
  stack.services.emulator.clearFaults();
  // Shopify Plus limits with a full bucket, so pacing waits only where a test asks for them.
  stack.services.emulator.resetThrottle(shop);
  await stack.emulator(`/shops/${shop}/throttle`, { maximumAvailable: 20_000, restoreRate: 1000, currentlyAvailable: 20_000 });
});

describe("an order whose webhooks never arrived", () => {
  let placed: PlacedOrder;
  let fulfillmentId: string;

  it("is mirrored after reconciliation: items, customer, address, shipment, and its thank-you planned", async () => {
    placed = await silently<PlacedOrder>("/orders", {
      email: "missed@example.com",
      firstName: "Chloé",
      country: "FR",
      marketingConsent: true,
      lineItems: [{}, { title: "Gift wrap", price: "3.50" }],
    });
    ({ fulfillmentId } = await silently<{ fulfillmentId: string }>(`/orders/${placed.orderId}/fulfill`, { trackingNumber: "MISSED-1", company: "DHL" }));
    await silently(`/fulfillments/${fulfillmentId}/events`, { status: "in_transit" });
    expect(await mirrored(placed.orderId)).toBeNull();
    expect(await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({ ordersSyncedAt: null });

    const result = await reconcile();
    expect(result.complete).toBe(true);
    expect(result.orders).toBeGreaterThanOrEqual(1);

    const order = (await mirrored(placed.orderId))!;
    expect(order).toMatchObject({
      placeholder: false,
      name: placed.orderName,
      email: "missed@example.com",
      shipCountry: "FR",
      currency: "USD",
      financialStatus: "paid",
      fulfillmentStatus: "fulfilled",
      buyerAcceptsMarketing: true,
      cancelledAt: null,
    });
    expect(order.lineItems).toHaveLength(2);
    const [product, wrap] = order.lineItems;
    expect(product.productId).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(product.variantId).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
    expect(wrap).toMatchObject({ title: "Gift wrap", priceCents: 350, quantity: 1, productId: null });
    expect(order.totalCents).toBe(product.priceCents + 350);

    const customer = await stack.db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId, shopifyId: `gid://shopify/Customer/${placed.customerId}` } },
    });
    expect(customer).toMatchObject({ email: "missed@example.com", firstName: "Chloé", marketingConsent: "SUBSCRIBED" });

    expect(order.fulfillments).toHaveLength(1);
    const shipment = order.fulfillments[0];
    expect(shipment).toMatchObject({
      shopifyId: `gid://shopify/Fulfillment/${fulfillmentId}`,
      placeholder: false,
      trackingCompany: "DHL",
      shipmentStatus: "in_transit",
      deliveredAt: null,
    });
    expect(shipment.trackingNumbers).toEqual(["MISSED-1"]);
    expect(shipment.lineItems).toEqual(order.lineItems.map((li) => ({ lineItemId: li.shopifyId, quantity: li.quantity })));

    // Reconciled minutes after the order: the 15-minute thank-you is still ahead (far within the
    // two days after which a message found late is recorded as missed), so it is scheduled.
    const thankYou = (await messageOf(placed.orderId, "thank_you"))!;
    expect(thankYou).toMatchObject({ status: "scheduled", reason: null, anchor: "order_created", recipient: "missed@example.com" });
    expect(thankYou.dueAt.getTime() - order.placedAt!.getTime()).toBe(15 * 60_000);
    expect(await messageOf(placed.orderId, "check_in")).toMatchObject({ status: "scheduled", anchor: "fallback" });

    // Nothing came in through the webhook routes for this order, and the watermark moved.
    expect(await stack.db.webhookDelivery.count({ where: { resourceId: orderGid(placed.orderId) } })).toBe(0);
    expect(result.syncedTo).not.toBeNull();
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } })).ordersSyncedAt).toEqual(result.syncedTo);
  });

  it("a second reconciliation changes nothing (idempotent: same rows, no duplicate or re-planned messages)", async () => {
    const before = await counts();
    const events = (await messageOf(placed.orderId, "thank_you"))!.events.length;
    const result = await reconcile();
    expect(result).toMatchObject({ pages: 1, complete: true });
    expect(await counts()).toEqual(before);
    expect((await messageOf(placed.orderId, "thank_you"))!.events).toHaveLength(events);
  });

  it("a carrier scan that was missed too (delivered) reaches the mirror and re-plans the check-in", async () => {
    await silently(`/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
    await reconcile();
    const order = (await mirrored(placed.orderId))!;
    expect(order.fulfillments[0]).toMatchObject({ shipmentStatus: "delivered", deliveredAt: expect.any(Date) });
    expect(await messageOf(placed.orderId, "check_in")).toMatchObject({ status: "scheduled", anchor: "delivered" });
  });

  it("found more than two days late › its thank-you is recorded as missed, not sent late", async () => {
    const late = await silently<PlacedOrder>("/orders", { email: "late@example.com", country: "DE" });
    await stack.advance(2 * 86_400 + 3600);
    await reconcile();
    const thankYou = (await messageOf(late.orderId, "thank_you"))!;
    // Due 15 minutes after the order, found 49 hours after it: more than MAX_LATENESS (2 days).
    expect(thankYou.status).toBe("skipped");
    expect(thankYou.reason).toMatch(/^missed: was due .+, before the order reached Trustloop$/);
  });
});

describe("delay detection for orders known only through reconciliation", () => {
  it("a missed carrier event (delayed) › the shipment's status opens a carrier-exception incident, once", async () => {
    const placed = await silently<PlacedOrder>("/orders", { email: "delayed-missed@example.com", country: "FR" });
    const { fulfillmentId } = await silently<{ fulfillmentId: string }>(`/orders/${placed.orderId}/fulfill`, {});
    await silently(`/fulfillments/${fulfillmentId}/events`, { status: "delayed" });

    await reconcile();
    await stack.advance(120); // the overlap minute is applied once more, changing nothing
    await reconcile();

    const order = (await mirrored(placed.orderId))!;
    expect(order.fulfillments[0].shipmentStatus).toBe("delayed");
    const incidents = await stack.db.delayIncident.findMany({ where: { orderId: order.id } });
    expect(incidents).toMatchObject([{ cause: "carrier_exception", detail: "carrier reported delayed", fulfillmentId: order.fulfillments[0].id }]);
  });

  it("never shipped › the periodic detection finds it once the threshold passed", async () => {
    const placed = await silently<PlacedOrder>("/orders", { email: "unshipped-missed@example.com", country: "US", province: "NY" });
    await reconcile();
    await stack.advance(8 * 86_400); // past 3 business days, whatever the weekday
    clock.setOffset(await readClockOffset(stack.db));
    const { detectDelays } = await import("../../app/engine/delays/detect");
    await detectDelays(stack.db, clock);
    const order = (await mirrored(placed.orderId))!;
    expect(await stack.db.delayIncident.findMany({ where: { orderId: order.id } })).toMatchObject([{ cause: "not_shipped" }]);
  });
});

describe("pagination and cost", () => {
  it("120 orders › every page fetched in sorted order, the cost bucket waited for (never throttled), the watermark advanced", async () => {
    // A smaller bucket than the standard plan's, so the run has to pace itself.
    await stack.emulator(`/shops/${shop}/throttle`, { maximumAvailable: 1000, restoreRate: 500 });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push((await silently<PlacedOrder>("/orders", { email: `bulk${i}@example.com` })).orderId);
    stack.services.emulator.clearAdminCalls();
    const { sleeps, sleep } = recordingSleep();
    const startedAt = await stack.now();

    const result = await reconcile(sleep);

    expect(result.complete).toBe(true);
    expect(result.orders).toBeGreaterThanOrEqual(120); // plus the orders of the watermark's overlap second
    expect(result.pages).toBe(Math.ceil(result.orders / api.ORDERS_PAGE_SIZE));
    expect(result.pages).toBeGreaterThanOrEqual(12);
    expect(reconcileCalls()).toHaveLength(result.pages); // no THROTTLED answer, no retry
    expect(sleeps.length).toBeGreaterThan(0); // it waited for the bucket instead
    expect(Math.max(...sleeps)).toBeLessThan(2000);
    expect(await stack.db.order.count({ where: { shopId, shopifyId: { in: ids.map((id) => orderGid(id)) }, placeholder: false } })).toBe(120);

    // The watermark: the newest order seen minus 1 s, but never later than a minute before the
    // run started (Shopify's search index trails writes). These orders are a few seconds old…
    const all = await stack.emulator<{ id: string; updatedAt: string }[]>(`/shops/${shop}/orders`);
    const newest = Math.max(...all.filter((o) => ids.includes(o.id)).map((o) => Date.parse(o.updatedAt)));
    const syncedTo = (await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } })).ordersSyncedAt!;
    expect(result.syncedTo).toEqual(syncedTo);
    expect(syncedTo.getTime()).toBeLessThan(newest - 1000);
    expect(syncedTo.getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - api.SEARCH_LAG_MS - 1000);

    // …so the next run (two minutes later) applies them once more, changing nothing, and moves
    // the watermark to just before the newest of them.
    await stack.advance(120);
    const before = await counts();
    const again = await reconcile(sleep);
    expect(again.orders).toBeGreaterThanOrEqual(120);
    expect(await counts()).toEqual(before);
    expect(again.syncedTo).toEqual(
      new Date(Math.max(...(await stack.emulator<{ updatedAt: string }[]>(`/shops/${shop}/orders`)).map((o) => Date.parse(o.updatedAt))) - 1000),
    );
  });

  it("THROTTLED once › backs off 1 s and succeeds; the emulator saw the retry", async () => {
    const placed = await silently<PlacedOrder>("/orders", { email: "throttled@example.com" });
    await stack.emulator("/faults", { operation: "ReconcileOrders", mode: "throttled", times: 1 });
    stack.services.emulator.clearAdminCalls();
    const { sleeps, sleep } = recordingSleep();

    const result = await reconcile(sleep);

    expect(sleeps[0]).toBe(1000);
    expect(reconcileCalls()).toHaveLength(result.pages + 1);
    expect(reconcileCalls()[0].variables).toEqual(reconcileCalls()[1].variables); // the same page, asked again
    expect(await mirrored(placed.orderId)).toMatchObject({ placeholder: false, email: "throttled@example.com" });
    expect(logs).toContainEqual(expect.objectContaining({ msg: "reconcile throttled", attempt: 1, waitMs: 1000 }));
  });

  it("THROTTLED five times › 1, 2, 4, 8 s of backoff, then gives up for this run and keeps the watermark", async () => {
    const placed = await silently<PlacedOrder>("/orders", { email: "gives-up@example.com" });
    const watermark = (await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } })).ordersSyncedAt;
    await stack.emulator("/faults", { operation: "ReconcileOrders", mode: "throttled", times: 5 });
    stack.services.emulator.clearAdminCalls();
    const { sleeps, sleep } = recordingSleep(false);

    await expect(reconcile(sleep)).rejects.toMatchObject({ name: "AdminApiError", retryable: true, message: expect.stringContaining("THROTTLED") });

    expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(reconcileCalls()).toHaveLength(5);
    expect(await mirrored(placed.orderId)).toBeNull();
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } })).ordersSyncedAt).toEqual(watermark);
    await reconcile(); // the next run picks it up
    expect(await mirrored(placed.orderId)).toMatchObject({ placeholder: false });
  });
});

describe("changes to known orders whose webhooks were missed", () => {
  it("cancelled › the mirror shows it cancelled and the pending thank-you is cancelled (order cancelled)", async () => {
    const placed = await stack.place({ email: "cancel-missed@example.com", country: "FR" });
    expect(await messageOf(placed.orderId, "thank_you")).toMatchObject({ status: "scheduled" }); // via the webhooks
    await silently(`/orders/${placed.orderId}/cancel`);
    expect((await mirrored(placed.orderId))!.cancelledAt).toBeNull();

    await reconcile();

    expect(await mirrored(placed.orderId)).toMatchObject({ cancelledAt: expect.any(Date), cancelReason: "customer" });
    expect(await messageOf(placed.orderId, "thank_you")).toMatchObject({ status: "cancelled", reason: "order cancelled" });
  });

  it("fully refunded › the refund is mirrored and the pending thank-you is cancelled (order fully refunded)", async () => {
    const placed = await stack.place({ email: "refund-missed@example.com", lineItems: [{ title: "Lamp", price: "40.00" }] });
    await silently(`/orders/${placed.orderId}/refund`);

    await reconcile();

    const order = (await mirrored(placed.orderId))!;
    expect(order.financialStatus).toBe("refunded");
    expect(order.refunds.map((r) => r.amountCents)).toEqual([4000]);
    expect(await messageOf(placed.orderId, "thank_you")).toMatchObject({ status: "cancelled", reason: "order fully refunded" });
  });
});

describe("redemptions of our codes", () => {
  it("an order that used one of our codes, with its webhooks missed › recorded as a redemption with the order's revenue", async () => {
    const code = "SORRY-RECON-1";
    const now = await stack.now();
    const created = (await graphql(
      shop,
      `
        mutation Create($input: DiscountCodeBasicInput!) {
          discountCodeBasicCreate(basicCodeDiscount: $input) {
            userErrors {
              message
            }
          }
        }
      `,
      {
        input: {
          title: "Sorry",
          code,
          startsAt: new Date(now.getTime() - 3600_000).toISOString(),
          customerSelection: { all: true },
          customerGets: { value: { percentage: 0.1 }, items: { all: true } },
          usageLimit: 1,
        },
      },
    )) as { data: { discountCodeBasicCreate: { userErrors: unknown[] } } };
    expect(created.data.discountCodeBasicCreate.userErrors).toEqual([]);
    await stack.db.discountCode.create({
      data: {
        shopId,
        purpose: "apology",
        code,
        valueType: "percentage",
        value: 10,
        estimatedValueCents: 500,
        endsAt: new Date(now.getTime() + 30 * 86_400_000),
        status: "created",
      },
    });

    const placed = await silently<PlacedOrder>("/orders", {
      email: "redeems@example.com",
      discountCode: code,
      lineItems: [{ title: "Boots", price: "50.00" }],
    });
    await reconcile();

    const order = (await mirrored(placed.orderId))!;
    expect(order.totalCents).toBe(4500);
    expect(await stack.db.discountCode.findUniqueOrThrow({ where: { shopId_code: { shopId, code } } })).toMatchObject({
      redeemedOrderGid: orderGid(placed.orderId),
      redeemedRevenueCents: 4500,
      redeemedAt: order.placedAt,
    });
  });
});

describe("the orders.reconcile job", () => {
  it("is enqueued once per installed shop per 10 minutes, and its handler reconciles the shop", async () => {
    clock.setOffset(await readClockOffset(stack.db));
    const installed = await stack.db.shop.count({ where: { status: "installed" } });
    expect(await api.enqueueReconciliation(stack.db, clock)).toBe(installed);
    expect(await api.enqueueReconciliation(stack.db, clock)).toBe(0);
    const bucket = Math.floor(clock.now().getTime() / api.RECONCILE_EVERY_MS);
    const job: Job = await stack.db.job.findFirstOrThrow({ where: { kind: api.RECONCILE_JOB_KIND, shopId } });
    expect(job).toMatchObject({ key: `${shopId}:${bucket}`, status: "pending" });
    expect(job.payload).toEqual({ shopId });

    const placed = await silently<PlacedOrder>("/orders", { email: "job@example.com" });
    const jobLogs: Record<string, unknown>[] = [];
    await api.reconcileJobHandler(graphql)(job, {
      db: stack.db,
      clock,
      log: (e) => void jobLogs.push(e),
      workerId: "test",
    });
    expect(await mirrored(placed.orderId)).toMatchObject({ placeholder: false, email: "job@example.com" });
    expect(jobLogs).toContainEqual(expect.objectContaining({ msg: "orders reconciled", shopId, complete: true }));

    await stack.advance(10 * 60);
    clock.setOffset(await readClockOffset(stack.db));
    // One at a time per shop: while a shop's reconciliation waits or runs, the next bucket adds none.
    expect(await api.enqueueReconciliation(stack.db, clock)).toBe(0);
    await stack.db.job.updateMany({ where: { kind: api.RECONCILE_JOB_KIND }, data: { status: "done" } });
    expect(await api.enqueueReconciliation(stack.db, clock)).toBe(installed); // the next bucket
  });
});
