// Flow action runs against a real database: accepted once per run id, and each handler safe to run
// twice (a worker that applied a run and died before recording it runs it again) — one points entry,
// one incident and notice, one pause; what became of a run is on its row.
import { describe, expect, it } from "vitest";
import type { Job, Shop } from "@prisma/client";
import { makeFlow, makeOrder, makeShop, makeShopPair } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { acceptFlowAction, FLOW_ACTION_JOB } from "./actions";
import { runFlowAction } from "./action-handlers";
import { FLOW_ACTIONS, type FlowActionKey } from "./definitions";

let temp: TempDb;
let mine: Shop;
let theirs: Shop;
const clock = new ManualClock(new Date("2026-12-05T10:00:00Z"));
const logs: Record<string, unknown>[] = [];
const deps = (at: ManualClock = clock) => ({ db: temp.db, clock: at, log: (event: Record<string, unknown>) => void logs.push(event) });

useTempDb("flow_actions", async (created) => {
  temp = created;
  [mine, theirs] = await makeShopPair(temp.db, { installedAt: clock.now() });
  await makeFlow(temp.db, mine, { key: "shipping_delay", trigger: "delay_detected" });
});

let runs = 0;
function body(shop: Shop, action: FlowActionKey, properties: Record<string, unknown>, runId = `run-${++runs}`) {
  const { handle } = FLOW_ACTIONS[action];
  return { shop_id: 1, shopify_domain: shop.domain, action_run_id: runId, handle, action_definition_id: handle, properties };
}

/** Accepts the run, then runs its job twice, the second time as if the first had died before recording the outcome. */
async function acceptAndRunTwice(action: FlowActionKey, properties: Record<string, unknown>, shop = mine, at = clock) {
  const request = body(shop, action, properties);
  expect(await acceptFlowAction(deps(at), request.handle, request)).toEqual({ status: 200, body: { message: "accepted" } });
  expect(await acceptFlowAction(deps(at), request.handle, request)).toEqual({ status: 200, body: { message: "this run was already accepted" } });
  const run = await temp.db.flowActionRun.findFirstOrThrow({ where: { shopId: shop.id, actionRunId: request.action_run_id } });
  const job = await temp.db.job.findUniqueOrThrow({ where: { kind_key: { kind: FLOW_ACTION_JOB, key: run.id } } });
  const attempt = { ...job, attempts: 1 } satisfies Job;
  await runFlowAction(attempt, { ...deps(at), workerId: "test" });
  await temp.db.flowActionRun.update({ where: { id: run.id }, data: { status: "accepted", outcome: null, finishedAt: null } });
  await runFlowAction(attempt, { ...deps(at), workerId: "test" });
  return temp.db.flowActionRun.findUniqueOrThrow({ where: { id: run.id } });
}

describe("each action applied twice has one effect", () => {
  it("award points: one entry, on the customer's member", async () => {
    const order = await makeOrder(temp.db, mine);
    const done = await acceptAndRunTwice("awardPoints", { customer_id: order.customerShopifyId, points: 40 });
    expect(done).toMatchObject({ status: "done", outcome: "40 points awarded" });
    const entries = await temp.db.pointsEntry.findMany({ where: { dedupeKey: `flow:${done.actionRunId}` }, include: { member: true } });
    expect(entries).toMatchObject([{ points: 40, kind: "adjust", member: { customerShopifyId: order.customerShopifyId, email: order.email } }]);
  });

  it("delay apology: one reported incident and one notice", async () => {
    const order = await makeOrder(temp.db, mine);
    const done = await acceptAndRunTwice("sendDelayApology", { order_id: order.shopifyId });
    expect(done).toMatchObject({ status: "done", outcome: "notice already planned for this order" });
    expect(await temp.db.delayIncident.findMany({ where: { orderId: order.id } })).toMatchObject([{ cause: "reported" }]);
    expect(await temp.db.message.findMany({ where: { orderId: order.id } })).toMatchObject([{ step: "reported", status: "scheduled" }]);
  });

  it("pause: one pause, its end not moved by the second run", async () => {
    const order = await makeOrder(temp.db, mine);
    const done = await acceptAndRunTwice("pauseEmails", { customer_id: order.customerShopifyId, days: 3 });
    expect(done).toMatchObject({ status: "done", outcome: "emails paused until Dec 8, 2026" });
    expect(await temp.db.emailPause.findMany({ where: { email: order.email! } })).toMatchObject([{ shopId: mine.id, until: new Date("2026-12-08T10:00:00Z") }]);
  });
});

describe("the pause's outcome", () => {
  it.each([
    // Three days from 15:30 UTC end at 00:30 the day after in Tokyo (UTC+9).
    ["Asia/Tokyo", "2026-12-05T15:30:00Z", "Dec 9, 2026"],
    // Three days from 07:30 UTC end at 23:30 the day before in Los Angeles (UTC−8).
    ["America/Los_Angeles", "2026-12-06T07:30:00Z", "Dec 8, 2026"],
  ])("names the day the pause ends in the shop's time zone, %s", async (timezone, now, day) => {
    const shop = await makeShop(temp.db, { timezone, installedAt: clock.now() });
    const order = await makeOrder(temp.db, shop);
    const done = await acceptAndRunTwice("pauseEmails", { customer_id: order.customerShopifyId, days: 3 }, shop, new ManualClock(new Date(now)));
    expect(done).toMatchObject({ status: "done", outcome: `emails paused until ${day}` });
  });
});

describe("runs that cannot be applied", () => {
  it("a customer redacted after the run was accepted fails the run with the reason", async () => {
    const order = await makeOrder(temp.db, mine);
    const request = body(mine, "pauseEmails", { customer_id: order.customerShopifyId, days: 3 });
    await acceptFlowAction(deps(), request.handle, request);
    await temp.db.customer.deleteMany({ where: { shopId: mine.id, shopifyId: order.customerShopifyId! } });
    const run = await temp.db.flowActionRun.findFirstOrThrow({ where: { actionRunId: request.action_run_id } });
    const job = await temp.db.job.findUniqueOrThrow({ where: { kind_key: { kind: FLOW_ACTION_JOB, key: run.id } } });
    await runFlowAction({ ...job, attempts: 1 }, { ...deps(), workerId: "test" });
    expect(await temp.db.flowActionRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "failed",
      error: `customer ${order.customerShopifyId!.split("/").pop()} is not known to Trustloop yet`,
    });
  });

  it("imported history, an order without email and a shop without the delay flow are refused before anything is stored", async () => {
    const imported = await makeOrder(temp.db, mine, { imported: true, name: "#1042" });
    const noEmail = await makeOrder(temp.db, mine, { customer: null, name: "#1043" });
    const elsewhere = await makeOrder(temp.db, theirs);
    const cases: [Shop, string, string][] = [
      [mine, imported.shopifyId, "order #1042 was placed before Trustloop was installed: imported history gets no delay apology"],
      [mine, noEmail.shopifyId, "order #1043 has no email address to send the apology to"],
      [theirs, elsewhere.shopifyId, "the shipping delay flow is turned off"],
    ];
    for (const [shop, orderGid, message] of cases) {
      const request = body(shop, "sendDelayApology", { order_id: orderGid });
      expect(await acceptFlowAction(deps(), request.handle, request)).toEqual({ status: 422, body: { message } });
      expect(await temp.db.flowActionRun.count({ where: { actionRunId: request.action_run_id } })).toBe(0);
    }
    expect(logs.filter((l) => l.msg === "flow action refused").map((l) => l.reason)).toEqual(cases.map(([, , message]) => message));
  });
});
