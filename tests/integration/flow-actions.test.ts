// Trustloop's Shopify Flow actions end to end: runs signed as Flow signs them, POSTed to the real
// routes, applied by the worker — points on the ledger, the delay notice by email with its code,
// a pause that skips a due email — each once per run id; forged and malformed runs refused with
// nothing stored.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatDayInZone, formatInZone } from "../../app/engine/admin/format";
import { FLOW_ACTIONS } from "../../app/engine/flow/definitions";
import { actionRunBody, postFlowRequest } from "../../sandbox/emulator/flow-requests";
import { API_SECRET, type PlacedOrder, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

const OTHER_SHOP = "flow-other-shop.myshopify.com";
const { awardPoints, sendDelayApology, pauseEmails } = FLOW_ACTIONS;
type Action = (typeof FLOW_ACTIONS)[keyof typeof FLOW_ACTIONS];

let stack: Stack;
let shop: string;

useStack({ install: true, workers: 1 }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  expect((await stack.install(OTHER_SHOP)).status).toBe(200);
  // The emails are the subject here: no quiet hours or cap in the way.
  await stack.db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 10 } });
});

/** POSTs one run of `action` as Flow does (signed with the app's secret unless told). */
function flowRun(action: Action, properties: Record<string, unknown>, runId: string = randomUUID(), options: { secret?: string; shop?: string } = {}) {
  const body = actionRunBody({ domain: options.shop ?? shop, id: 1 }, action.handle, properties, runId);
  return postFlowRequest(stack.appUrl, action.path, body, options.secret ?? API_SECRET);
}

const runRow = (actionRunId: string) => stack.db.flowActionRun.findFirst({ where: { actionRunId } });
/** The run once the worker finished it (done or failed). */
async function finished(actionRunId: string) {
  await expect.poll(async () => (await runRow(actionRunId))?.status, { timeout: 30_000 }).not.toBe("accepted");
  return (await runRow(actionRunId))!;
}
const orderGid = (placed: PlacedOrder) => `gid://shopify/Order/${placed.orderId}`;
const flowMessages = (placed: PlacedOrder, flow: string) =>
  stack.db.message.findMany({ where: { order: { shopifyId: orderGid(placed) }, flow: { key: flow } }, include: { events: { orderBy: { at: "asc" } } } });
const statusOf = async (placed: PlacedOrder, flow: string) => (await flowMessages(placed, flow))[0]?.status;

describe("Award loyalty points", () => {
  it("adds the points once per run id, even when Flow sends the run twice at once and again later", async () => {
    const placed = await stack.place({ email: "flow-points@example.com", firstName: "Pia", country: "FR" });
    const runId = randomUUID();
    const properties = { customer_id: Number(placed.customerId), points: 500, reason: "Birthday" };
    const answers = await Promise.all([flowRun(awardPoints, properties, runId), flowRun(awardPoints, properties, runId)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await finished(runId)).toMatchObject({
      status: "done",
      outcome: "500 points awarded",
      customerShopifyId: `gid://shopify/Customer/${placed.customerId}`,
    });
    expect((await flowRun(awardPoints, properties, runId)).status).toBe(200);
    await stack.idle();

    const entries = await stack.db.pointsEntry.findMany({ where: { member: { email: "flow-points@example.com" }, kind: "adjust" } });
    expect(entries).toMatchObject([{ points: 500, status: "approved", reason: "Birthday", actor: "Shopify Flow", dedupeKey: `flow:${runId}` }]);
    expect(await stack.db.flowActionRun.count({ where: { actionRunId: runId } })).toBe(1);
    expect(await stack.db.job.count({ where: { kind: "flow.run_action", key: (await runRow(runId))!.id } })).toBe(1);
  });

  it("enrols a known customer who is not a member yet, and the balance metafield follows", async () => {
    const store = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    const gid = "gid://shopify/Customer/880001";
    await stack.db.customer.create({ data: { shopId: store.id, shopifyId: gid, email: "Flow-New@Example.com", firstName: "Noa" } });
    const runId = randomUUID();
    expect((await flowRun(awardPoints, { customer_id: gid, points: 250 }, runId)).status).toBe(200);
    expect(await finished(runId)).toMatchObject({ status: "done", outcome: "250 points awarded" });
    const member = await stack.db.loyaltyMember.findFirstOrThrow({ where: { shopId: store.id, customerShopifyId: gid }, include: { entries: true } });
    expect(member).toMatchObject({ email: "flow-new@example.com", firstName: "Noa" });
    expect(member.entries).toMatchObject([{ points: 250, reason: "Shopify Flow", actor: "Shopify Flow" }]);
    expect(await stack.db.job.count({ where: { kind: "loyalty.sync_balance", key: { startsWith: `${member.id}:` } } })).toBe(1);
  });
});

describe("Send a delay apology", () => {
  it("sends the delay notice with its apology code once; a second run for the order plans nothing new", async () => {
    const placed = await stack.place({ email: "flow-apology@example.com", firstName: "Ada", country: "FR" });
    const first = randomUUID();
    const sent = await Promise.all([
      flowRun(sendDelayApology, { order_id: placed.orderId }, first),
      flowRun(sendDelayApology, { order_id: placed.orderId }, first),
    ]);
    expect(sent.map((a) => a.status)).toEqual([200, 200]);
    expect(await finished(first)).toMatchObject({ status: "done", outcome: "delay notice planned", orderShopifyId: orderGid(placed) });
    await expect.poll(() => statusOf(placed, "shipping_delay"), { timeout: 30_000 }).toBe("sent");

    const [mail] = stack.mailsTo("flow-apology@example.com", "An update on your order");
    const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: orderGid(placed) } });
    const code = await stack.db.discountCode.findFirstOrThrow({ where: { purpose: "apology", orderId: order.id } });
    expect(code.status).toBe("created");
    expect(mail.text).toContain(code.code);
    expect(await stack.db.delayIncident.findMany({ where: { order: { shopifyId: orderGid(placed) } } })).toMatchObject([
      { cause: "reported", detail: "reported through Shopify Flow" },
    ]);

    const second = randomUUID();
    expect((await flowRun(sendDelayApology, { order_id: orderGid(placed) }, second)).status).toBe(200);
    expect(await finished(second)).toMatchObject({ status: "done", outcome: "notice already planned for this order" });
    await stack.idle();
    expect(await stack.db.flowActionRun.count({ where: { orderShopifyId: orderGid(placed) } })).toBe(2);
    expect(await flowMessages(placed, "shipping_delay")).toHaveLength(1);
    expect(stack.mailsTo("flow-apology@example.com", "An update on your order")).toHaveLength(1);
  });
});

describe("Pause Trustloop emails for a customer", () => {
  it("skips the customer's due thank-you with the reason; after the pause a new order's thank-you goes", async () => {
    const email = "flow-pause@example.com";
    const first = await stack.place({ email, firstName: "Lou", country: "FR" });
    const runId = randomUUID();
    const properties = { customer_id: first.customerId, days: 2 };
    const sent = await Promise.all([flowRun(pauseEmails, properties, runId), flowRun(pauseEmails, properties, runId)]);
    expect(sent.map((a) => a.status)).toEqual([200, 200]);
    const run = await finished(runId);
    expect(await stack.db.flowActionRun.count({ where: { actionRunId: runId } })).toBe(1);
    const until = (await stack.db.emailPause.findFirstOrThrow({ where: { email } })).until;
    const reason = `paused by Shopify Flow until ${until.toISOString()}`;
    const { timezone } = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(run).toMatchObject({ status: "done", outcome: `emails paused until ${formatDayInZone(until, timezone)}` });

    await stack.advance(20 * 60);
    await expect.poll(() => statusOf(first, "thank_you"), { timeout: 30_000 }).toBe("skipped");
    const [thankYou] = await flowMessages(first, "thank_you");
    expect(thankYou.reason).toBe(reason);
    expect(thankYou.events.at(-1)).toMatchObject({ status: "skipped", reason });
    // The order's timeline reads the end of the pause in the shop's zone, like every time in the admin.
    expect(await stack.adminPage(`/app/orders/${thankYou.orderId}`)).toContain(`paused by Shopify Flow until ${formatInZone(until, timezone)}`);
    expect(stack.mailsTo(email)).toHaveLength(0);

    await stack.advanceTo(new Date(until.getTime() + 60_000));
    const second = await stack.place({ email, firstName: "Lou", country: "FR" });
    await stack.advance(20 * 60);
    await expect.poll(() => statusOf(second, "thank_you"), { timeout: 30_000 }).toBe("sent");
    expect(stack.mailsTo(email)).toHaveLength(1);
  });
});

describe("refused runs", () => {
  const stored = async () => ({ runs: await stack.db.flowActionRun.count(), jobs: await stack.db.job.count({ where: { kind: "flow.run_action" } }) });

  it("a forged signature, a GET and a malformed body are refused, and nothing is stored", async () => {
    const before = await stored();
    expect((await flowRun(awardPoints, { customer_id: 1, points: 5 }, randomUUID(), { secret: "not-the-app-secret" })).status).toBe(400);
    expect((await fetch(new URL(awardPoints.path, stack.appUrl))).status).toBe(405);
    const malformed = await postFlowRequest(stack.appUrl, awardPoints.path, "{not json", API_SECRET);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: "the request body is not valid JSON" });
    expect(await stored()).toEqual(before);
  });

  it("bad properties, unknown or foreign customers and orders get a clear message for the merchant, and nothing is stored", async () => {
    const mine = await stack.place({ email: "flow-refused@example.com", country: "FR" });
    const theirs = await stack.place({ email: "flow-theirs@example.com", country: "FR" }, OTHER_SHOP);
    const before = await stored();
    const cases: [Action | { handle: string; path: string }, Record<string, unknown>, number, string][] = [
      [awardPoints, { customer_id: mine.customerId }, 422, "points must be a whole number from 1 to 100 000"],
      [awardPoints, { customer_id: mine.customerId, points: 100_001 }, 422, "points must be a whole number from 1 to 100 000"],
      [awardPoints, { points: 5 }, 422, "customer_id is missing"],
      [awardPoints, { customer_id: "999999991", points: 5 }, 422, "customer 999999991 is not known to Trustloop yet"],
      [awardPoints, { customer_id: theirs.customerId, points: 5 }, 422, `customer ${theirs.customerId} is not known to Trustloop yet`],
      [pauseEmails, { customer_id: theirs.customerId, days: 3 }, 422, `customer ${theirs.customerId} is not known to Trustloop yet`],
      [pauseEmails, { customer_id: mine.customerId, days: 0 }, 422, "days must be a whole number from 1 to 365"],
      [sendDelayApology, { order_id: "999999992" }, 422, "order 999999992 is not known to Trustloop yet"],
      [sendDelayApology, { order_id: theirs.orderId }, 422, `order ${theirs.orderId} is not known to Trustloop yet`],
      [{ handle: "no-such-action", path: "/flow/actions/no-such-action" }, {}, 404, 'Trustloop has no action "no-such-action"'],
    ];
    for (const [action, properties, status, message] of cases) {
      const response = await flowRun(action as Action, properties);
      expect({ status: response.status, body: await response.json() }).toEqual({ status, body: { message } });
    }
    // The body names another action than the URL's.
    const misrouted = actionRunBody({ domain: shop, id: 1 }, pauseEmails.handle, { customer_id: mine.customerId, days: 3 });
    const answer = await postFlowRequest(stack.appUrl, awardPoints.path, misrouted, API_SECRET);
    expect([answer.status, (await answer.json()).message]).toEqual([
      400,
      `this run is for the action "pause-trustloop-emails", sent to the URL of "award-loyalty-points"`,
    ]);
    expect(await stored()).toEqual(before);
  });

  it("an apology while the shipping delay flow is off is refused", async () => {
    const placed = await stack.place({ email: "flow-off@example.com", country: "FR" });
    const store = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    await stack.db.flow.updateMany({ where: { shopId: store.id, key: "shipping_delay" }, data: { enabled: false } });
    try {
      const runId = randomUUID();
      const response = await flowRun(sendDelayApology, { order_id: placed.orderId }, runId);
      expect([response.status, await response.json()]).toEqual([422, { message: "the shipping delay flow is turned off" }]);
      expect(await runRow(runId)).toBeNull();
    } finally {
      await stack.db.flow.updateMany({ where: { shopId: store.id, key: "shipping_delay" }, data: { enabled: true } });
    }
  });
});
