// Recording and sending one Flow trigger against a real database and a scripted Admin API: what
// each answer does to the delivery, and when the job asks the queue for a retry.
import { describe, expect, it } from "vitest";
import { useShopDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { MAX_JOB_ATTEMPTS } from "../queue/jobs";
import type { ShopGraphql } from "../shopify/products";
import { FLOW_TRIGGERS } from "./definitions";
import { tierReachedEvent } from "./payloads";
import { flowTriggerJobHandlers } from "./send-trigger";
import { FLOW_TRIGGER_JOB, recordFlowTrigger } from "./triggers";

const t = useShopDb("flow_triggers");
const clock = new ManualClock(new Date("2026-12-05T12:00:00Z"));
const HANDLE = FLOW_TRIGGERS.tierReached.handle;
const log = () => {};
let seq = 0;

const use = (enabled: boolean) =>
  t.db.flowTriggerUse.upsert({
    where: { shopId_handle: { shopId: t.shop.id, handle: HANDLE } },
    create: { shopId: t.shop.id, handle: HANDLE, enabled, changedAt: clock.now() },
    update: { enabled },
  });
const event = (memberId = `m${++seq}`) => tierReachedEvent({ id: memberId, shopId: t.shop.id, customerShopifyId: "gid://shopify/Customer/7" }, "Gold", 10);
const record = (e = event()) => t.db.$transaction((tx) => recordFlowTrigger(tx, e, clock));

/** Records one delivery and runs its job at `attempt` with `answer` as the Admin API. */
async function sendWith(answer: () => unknown, attempt = 1) {
  await use(true);
  const e = event();
  expect(await record(e)).toBe(true);
  const delivery = await t.db.flowTriggerDelivery.findFirstOrThrow({ where: { eventKey: e.eventKey } });
  const job = await t.db.job.findFirstOrThrow({ where: { kind: FLOW_TRIGGER_JOB, key: delivery.id } });
  let calls = 0;
  const graphql: ShopGraphql = async () => {
    calls++;
    return answer();
  };
  const run = flowTriggerJobHandlers(graphql)[FLOW_TRIGGER_JOB]({ ...job, attempts: attempt }, { db: t.db, clock, log, workerId: "test" });
  const thrown = await run.then(
    () => null,
    (error: Error) => error,
  );
  return { thrown, calls, delivery: await t.db.flowTriggerDelivery.findUniqueOrThrow({ where: { id: delivery.id } }), job };
}

const adminError = (message: string, retryable: boolean) => () => {
  throw Object.assign(new Error(message), { name: "AdminApiError", retryable });
};

describe("recordFlowTrigger", () => {
  it("records nothing while no workflow uses the trigger, or for an uninstalled shop", async () => {
    expect(await record()).toBe(false);
    await use(false);
    expect(await record()).toBe(false);
    await use(true);
    await t.db.shop.update({ where: { id: t.shop.id }, data: { status: "uninstalled" } });
    try {
      expect(await record()).toBe(false);
    } finally {
      await t.db.shop.update({ where: { id: t.shop.id }, data: { status: "installed" } });
    }
  });

  it("records one delivery and one job per event, however often the event is recorded", async () => {
    await use(true);
    const e = event();
    expect(await record(e)).toBe(true);
    expect(await record(e)).toBe(false);
    const deliveries = await t.db.flowTriggerDelivery.findMany({ where: { eventKey: e.eventKey } });
    expect(deliveries).toMatchObject([{ handle: HANDLE, status: "pending", customerShopifyId: "gid://shopify/Customer/7", payload: e.payload }]);
    expect(await t.db.job.count({ where: { kind: FLOW_TRIGGER_JOB, key: deliveries[0].id } })).toBe(1);
  });
});

describe("the flow.send_trigger job", () => {
  it.each([
    { answer: () => ({ flowTriggerReceive: { userErrors: [] } }), attempt: 1, status: "sent", retries: false, error: null },
    {
      answer: () => ({ flowTriggerReceive: { userErrors: [{ field: ["handle"], message: "Invalid handle" }] } }),
      attempt: 1,
      status: "failed",
      retries: false,
      error: "Flow refused the trigger: Invalid handle",
    },
    {
      answer: adminError("Admin API 200 THROTTLED: Throttled", true),
      attempt: 1,
      status: "pending",
      retries: true,
      error: "Admin API 200 THROTTLED: Throttled",
    },
    { answer: adminError("Admin API 500: Internal", true), attempt: MAX_JOB_ATTEMPTS, status: "failed", retries: true, error: "Admin API 500: Internal" },
    { answer: adminError("Admin API 401: Unauthorized", false), attempt: 1, status: "failed", retries: false, error: "Admin API 401: Unauthorized" },
    {
      answer: adminError("Admin API unreachable: The operation was aborted due to timeout", true),
      attempt: 1,
      status: "unknown",
      retries: false,
      error: "no answer from Shopify: Admin API unreachable: The operation was aborted due to timeout",
    },
  ])("attempt $attempt answered → $status (retry asked: $retries)", async ({ answer, attempt, status, retries, error }) => {
    const result = await sendWith(answer, attempt);
    expect(result.calls).toBe(1);
    expect(result.delivery).toMatchObject({ status, attempts: 1, error });
    expect(result.delivery.sentAt !== null).toBe(status === "sent");
    expect(result.thrown !== null).toBe(retries);
  });

  it("a delivery left `sending` becomes unknown without a second call; a settled one is left alone", async () => {
    const sent = await sendWith(() => ({ flowTriggerReceive: { userErrors: [] } }));
    let calls = 0;
    const handler = flowTriggerJobHandlers(async () => {
      calls++;
      return { flowTriggerReceive: { userErrors: [] } };
    })[FLOW_TRIGGER_JOB];
    const deps = { db: t.db, clock, log, workerId: "test" };
    await handler(sent.job, deps);
    expect(await t.db.flowTriggerDelivery.findUniqueOrThrow({ where: { id: sent.delivery.id } })).toMatchObject({ status: "sent", attempts: 1 });
    await t.db.flowTriggerDelivery.update({ where: { id: sent.delivery.id }, data: { status: "sending" } });
    await handler(sent.job, deps);
    expect(await t.db.flowTriggerDelivery.findUniqueOrThrow({ where: { id: sent.delivery.id } })).toMatchObject({ status: "unknown", attempts: 1 });
    expect(calls).toBe(0);
  });
});
