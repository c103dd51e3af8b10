// Trustloop's Shopify Flow triggers end to end: Flow's signed lifecycle callbacks through the real
// route, the events (carrier delay, review page, NPS page, loyalty tier) through webhooks, pages
// and the worker, and flowTriggerReceive as the Admin API emulator records it, faults included.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FLOW_LIFECYCLE_PATH, FLOW_TRIGGERS } from "../../app/engine/flow/definitions";
import { sign } from "../../app/engine/links/tokens";
import { numericId } from "../../app/engine/util/gid";
import { lifecycleBody, postFlowRequest, postLifecycle } from "../../sandbox/emulator/flow-requests";
import { API_SECRET, nextWeekdayUtc, orderGid, postForm, testLinkKeys, type PlacedOrder, type Stack } from "../support/stack";
import { setLoyaltyTiers } from "../support/loyalty-tiers";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;

const DAY = 86_400_000;
const DELAY = FLOW_TRIGGERS.delayDetected.handle;
const REVIEW = FLOW_TRIGGERS.reviewSubmitted.handle;
const NPS = FLOW_TRIGGERS.npsReceived.handle;
const TIER = FLOW_TRIGGERS.tierReached.handle;

useStack({ install: true, workers: 1 }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  // The emails that carry or lead to the events go out at once: no quiet hours, no cap in the way.
  await stack.db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 50 } });
});
beforeEach(() => stack.services.emulator.clearFaults());

// Flow's own clock for the callbacks: each one a minute after the previous, unless given.
let flowTime = Date.parse("2026-12-01T00:00:00Z");
const lifecycle = (handle: string, enabled: boolean, at = new Date((flowTime += 60_000))) =>
  postLifecycle(stack.appUrl, API_SECRET, { domain: shop, id: 1 }, handle, enabled, at);
const useOf = (handle: string) => stack.db.flowTriggerUse.findFirst({ where: { shop: { domain: shop }, handle } });

/** The payloads flowTriggerReceive was called with for `handle` (every call, failed ones included). */
function calls(handle: string, match: Record<string, unknown> = {}) {
  return stack.services.emulator
    .adminCalls(shop)
    .filter((c) => c.operationName === "TrustloopFlowTrigger" && c.variables?.handle === handle)
    .map((c) => c.variables!.payload as Record<string, unknown>)
    .filter((p) => Object.entries(match).every(([k, v]) => p[k] === v));
}
const deliveriesOf = (handle: string, where: { orderShopifyId?: string; customerShopifyId?: string } = {}) =>
  stack.db.flowTriggerDelivery.findMany({ where: { handle, ...where }, orderBy: { createdAt: "asc" } });

/** Waits until `count` deliveries of `handle` (matching `where`) are settled, and returns them. */
async function settled(handle: string, where: Parameters<typeof deliveriesOf>[1], count = 1) {
  const done = async () => (await deliveriesOf(handle, where)).filter((d) => !["pending", "sending"].includes(d.status)).length;
  await expect.poll(done, { timeout: 30_000 }).toBe(count);
  await stack.idle();
  return deliveriesOf(handle, where);
}

/** The numeric ids Flow gets for an order and its customer. */
async function refs(placed: PlacedOrder) {
  const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: orderGid(placed.orderId) } });
  return { order, order_id: Number(placed.orderId), customer_id: Number(numericId(order.customerShopifyId!)) };
}

const delayMessage = (placed: PlacedOrder) =>
  stack.db.message.findFirst({ where: { order: { shopifyId: orderGid(placed.orderId) }, flow: { key: "shipping_delay" } } });

/** An order on a weekday morning in New York whose carrier reports a delay. */
async function delayedOrder(email: string) {
  await stack.advanceTo(await nextWeekdayUtc(stack, 3, 15));
  const placed = await stack.place({ email, country: "US", province: "NY" });
  const { fulfillmentId } = await stack.fulfil(placed.orderId);
  const event = await stack.control<{ webhooks: { id: string; topic: string }[] }>(`/sandbox/api/fulfillments/${fulfillmentId}/events`, {
    status: "delayed",
  });
  return { placed, webhookId: event.webhooks.find((w) => w.topic === "fulfillment_events/create")!.id };
}

/** The delay notice went out (or was settled otherwise) and the worker has nothing left to do. */
async function noticeSettled(placed: PlacedOrder) {
  await expect.poll(async () => (await delayMessage(placed))?.status, { timeout: 30_000 }).toMatch(/^(sent|skipped|failed)$/);
  await stack.idle();
}

/** Runs a trigger's job again, as a redelivered queue job or a retry would. */
async function rerunJob(deliveryId: string) {
  const job = await stack.db.job.findFirstOrThrow({ where: { kind: "flow.send_trigger", key: deliveryId } });
  await stack.db.job.update({ where: { id: job.id }, data: { status: "pending", finishedAt: null } });
  await stack.db.$executeRaw`SELECT graphile_worker.add_job('job_run', json_build_object('jobId', ${job.id}::text))`;
  await expect.poll(async () => (await stack.db.job.findUniqueOrThrow({ where: { id: job.id } })).status, { timeout: 20_000 }).toBe("done");
}

describe("before any workflow uses a trigger", () => {
  it("a delay records and sends nothing", async () => {
    const { placed } = await delayedOrder("no-workflow@example.com");
    await noticeSettled(placed);
    expect(await deliveriesOf(DELAY, { orderShopifyId: orderGid(placed.orderId) })).toEqual([]);
    expect(calls(DELAY)).toEqual([]);
  });
});

describe("lifecycle callbacks", () => {
  it("a forged callback is refused and records nothing; a GET is not a callback", async () => {
    const forged = await postFlowRequest(stack.appUrl, FLOW_LIFECYCLE_PATH, lifecycleBody({ domain: shop, id: 1 }, DELAY, true), "not-the-secret");
    expect(forged.status).toBe(400);
    expect((await fetch(new URL(FLOW_LIFECYCLE_PATH, stack.appUrl))).status).toBe(405);
    expect(await stack.db.flowTriggerUse.count()).toBe(0);
  });

  it("an unknown trigger is a 400 with a short reason", async () => {
    const response = await lifecycle("order-teleported", true);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("Unknown trigger 'order-teleported'.");
    expect(await stack.db.flowTriggerUse.count()).toBe(0);
  });

  it("records each trigger's use; an older callback arriving late changes nothing", async () => {
    for (const handle of [DELAY, REVIEW, NPS, TIER]) expect((await lifecycle(handle, true)).status).toBe(200);
    const enabled = await useOf(DELAY);
    expect(enabled).toMatchObject({ enabled: true, changedAt: new Date(flowTime - 3 * 60_000) });
    const late = await lifecycle(DELAY, false, new Date(enabled!.changedAt.getTime() - 1000));
    expect(late.status).toBe(200);
    expect(await useOf(DELAY)).toMatchObject({ enabled: true, changedAt: enabled!.changedAt });
  });
});

describe("Shipment delay detected", () => {
  let sentId = "";

  it("is sent once with the notice's apology code; a redelivered carrier event adds nothing", async () => {
    const { placed, webhookId } = await delayedOrder("late-parcel@example.com");
    const [delivery] = await settled(DELAY, { orderShopifyId: orderGid(placed.orderId) });
    const { order, order_id, customer_id } = await refs(placed);
    const code = await stack.db.discountCode.findFirstOrThrow({ where: { orderId: order.id, purpose: "apology" } });
    const payload = { order_id, customer_id, Cause: "carrier_exception", "Apology code": code.code };
    expect(delivery).toMatchObject({ status: "sent", attempts: 1, payload });
    expect(calls(DELAY, { order_id })).toEqual([payload]);
    expect(JSON.stringify(calls(DELAY))).not.toContain("@");

    await stack.services.emulator.redeliver(webhookId);
    await stack.applyWebhooks();
    await stack.idle();
    expect(await deliveriesOf(DELAY, { orderShopifyId: order.shopifyId })).toHaveLength(1);
    expect(calls(DELAY, { order_id })).toHaveLength(1);
    sentId = delivery.id;
  });

  it("is never sent twice: a re-run job leaves a sent delivery alone; a claim left by a dead worker becomes unknown", async () => {
    const before = calls(DELAY).length;
    await rerunJob(sentId);
    expect(await stack.db.flowTriggerDelivery.findUniqueOrThrow({ where: { id: sentId } })).toMatchObject({ status: "sent", attempts: 1 });
    // As if a worker had claimed it and died during the call.
    await stack.db.flowTriggerDelivery.update({ where: { id: sentId }, data: { status: "sending" } });
    await rerunJob(sentId);
    expect(await stack.db.flowTriggerDelivery.findUniqueOrThrow({ where: { id: sentId } })).toMatchObject({ status: "unknown", attempts: 1 });
    expect(calls(DELAY)).toHaveLength(before);
  });

  it("is sent at detection, without a code, when no notice is planned", async () => {
    const where = { shop: { domain: shop }, key: "shipping_delay" };
    await stack.db.flow.updateMany({ where, data: { enabled: false } });
    try {
      const { placed } = await delayedOrder("no-notice@example.com");
      const [delivery] = await settled(DELAY, { orderShopifyId: orderGid(placed.orderId) });
      const { order_id, customer_id } = await refs(placed);
      expect(delivery).toMatchObject({ status: "sent", payload: { order_id, customer_id, Cause: "carrier_exception", "Apology code": "" } });
      expect(await delayMessage(placed)).toBeNull();
    } finally {
      await stack.db.flow.updateMany({ where, data: { enabled: true } });
    }
  });

  it("is sent again after a server error, with backoff, and then only once", async () => {
    await stack.emulator("/faults", { operation: "TrustloopFlowTrigger", mode: "server-error", times: 1 });
    const { placed } = await delayedOrder("retried@example.com");
    const [delivery] = await settled(DELAY, { orderShopifyId: orderGid(placed.orderId) });
    expect(delivery).toMatchObject({ status: "sent", attempts: 2 });
    expect(calls(DELAY, { order_id: Number(placed.orderId) })).toHaveLength(2); // the 500, then the one Flow took
    expect(await stack.db.job.findFirstOrThrow({ where: { key: delivery.id } })).toMatchObject({ status: "done", attempts: 2 });
  });

  it("is failed, not retried, when Flow answers with userErrors", async () => {
    await stack.emulator("/faults", { operation: "TrustloopFlowTrigger", mode: "user-error", times: 1, message: "Trigger is not enabled" });
    const { placed } = await delayedOrder("refused@example.com");
    const [delivery] = await settled(DELAY, { orderShopifyId: orderGid(placed.orderId) });
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery.error).toContain("Trigger is not enabled");
    expect(calls(DELAY, { order_id: Number(placed.orderId) })).toHaveLength(1);
  });

  it("is not sent once the shop's workflows stopped using it", async () => {
    expect((await lifecycle(DELAY, false)).status).toBe(200);
    expect(await useOf(DELAY)).toMatchObject({ enabled: false });
    const { placed } = await delayedOrder("disabled@example.com");
    await noticeSettled(placed);
    expect(await deliveriesOf(DELAY, { orderShopifyId: orderGid(placed.orderId) })).toEqual([]);
    expect(calls(DELAY, { order_id: Number(placed.orderId) })).toEqual([]);
  });
});

describe("Review submitted and NPS response received", () => {
  let placed: PlacedOrder;
  let ids: Awaited<ReturnType<typeof refs>>;
  const secret = testLinkKeys();
  const messageOf = (flow: string, step?: string) =>
    stack.db.message.findFirstOrThrow({ where: { order: { shopifyId: orderGid(placed.orderId) }, flow: { key: flow }, ...(step ? { step } : {}) } });

  /** Moves the clock to the flow's email and waits until it went out. */
  async function sentEmail(flow: string, step?: string) {
    await expect.poll(async () => (await messageOf(flow, step)).status, { timeout: 20_000 }).toBe("scheduled");
    await stack.advanceTo(new Date((await messageOf(flow, step)).dueAt.getTime() + 5 * 60_000));
    await expect.poll(async () => (await messageOf(flow, step)).status, { timeout: 30_000 }).toBe("sent");
    return messageOf(flow, step);
  }

  beforeAll(async () => {
    const products = stack.services.emulator.shop(shop).products.slice(0, 2);
    placed = await stack.place({ email: "reviewer@example.com", country: "FR", lineItems: products.map((p) => ({ productId: p.id })) });
    const { fulfillmentId } = await stack.fulfil(placed.orderId);
    await stack.shipmentEvent(fulfillmentId, "delivered");
    ids = await refs(placed);
  });

  it("one Review submitted per reviewed product, once", async () => {
    const main = await sentEmail("review_request", "main");
    const page = `${stack.appUrl}/r/${sign(secret, { t: "r", m: main.id })}`;
    expect((await postForm(page, { "rating-1": "5", "rating-2": "2" })).status).toBe(200);
    const reviews = await stack.db.review.findMany({ where: { messageId: main.id } });
    const where = { customerShopifyId: ids.order.customerShopifyId! };
    const deliveries = await settled(REVIEW, where, 2);
    const expected = reviews.map((r) => ({
      product_id: Number(numericId(r.productId)),
      customer_id: ids.customer_id,
      Rating: r.rating,
      "Verified buyer": true,
    }));
    expect(deliveries.map((d) => d.status)).toEqual(["sent", "sent"]);
    expect(deliveries.map((d) => d.eventKey).sort()).toEqual(reviews.map((r) => r.id).sort());
    expect(calls(REVIEW, { customer_id: ids.customer_id })).toEqual(expect.arrayContaining(expected));
    expect(calls(REVIEW, { customer_id: ids.customer_id })).toHaveLength(2);

    await postForm(page, { "rating-1": "1", "rating-2": "1" }); // "we already have your review"
    await stack.idle();
    expect(await deliveriesOf(REVIEW, where)).toHaveLength(2);
    expect(calls(REVIEW, { customer_id: ids.customer_id })).toHaveLength(2);
  });

  it("one NPS response received per answer, with its category, once", async () => {
    const survey = await sentEmail("nps");
    const page = `${stack.appUrl}/n/${sign(secret, { t: "n", m: survey.id })}`;
    expect((await postForm(page, { score: "3", comment: "Arrived late" })).status).toBe(200);
    const [delivery] = await settled(NPS, { orderShopifyId: ids.order.shopifyId });
    const response = await stack.db.npsResponse.findFirstOrThrow({ where: { messageId: survey.id } });
    const payload = { customer_id: ids.customer_id, order_id: ids.order_id, Score: 3, Category: "detractor", "Comment present": true };
    expect(delivery).toMatchObject({ status: "sent", eventKey: response.id, payload });
    expect(calls(NPS, { order_id: ids.order_id })).toEqual([payload]);

    await postForm(page, { score: "10", comment: "" }); // the first answer stands
    await stack.idle();
    expect(await deliveriesOf(NPS, { orderShopifyId: ids.order.shopifyId })).toHaveLength(1);
    expect(calls(NPS, { order_id: ids.order_id })).toHaveLength(1);
  });
});

describe("Loyalty tier reached", () => {
  it("is sent once per member and tier, with the balance when it was reached", async () => {
    await setLoyaltyTiers(stack, shop);
    const email = "climber@example.com";
    const order = (price: string) => stack.place({ email, country: "FR", lineItems: [{ title: "Coat", price, quantity: 1 }] });

    const first = await order("60.00");
    const { customer_id, order: row } = await refs(first);
    const where = { customerShopifyId: row.customerShopifyId! };
    const [silver] = await settled(TIER, where);
    expect(silver).toMatchObject({ status: "sent", payload: { customer_id, Tier: "Silver", Balance: 0 } });

    await stack.advance(15 * (DAY / 1000)); // the first order's points are approved
    await expect
      .poll(async () => (await stack.db.pointsEntry.findMany({ where: { member: { email }, status: "approved" } })).length, { timeout: 20_000 })
      .toBe(1);
    const balance = (await stack.db.pointsEntry.findFirstOrThrow({ where: { member: { email }, status: "approved" } })).points;
    await order("200.00");
    await order("15.00"); // still Gold: nothing more
    const deliveries = await settled(TIER, where, 2);
    expect(deliveries.map((d) => d.payload)).toEqual([
      { customer_id, Tier: "Silver", Balance: 0 },
      { customer_id, Tier: "Gold", Balance: balance },
    ]);
    expect(calls(TIER, { customer_id }).map((p) => p.Tier)).toEqual(["Silver", "Gold"]);
    expect(JSON.stringify(calls(TIER))).not.toContain("@");
  });
});
