// Shopify Flow in the admin and the sandbox console, through the real server: the admin page lists
// every trigger and action with the shop's own deliveries and runs (never another shop's); the
// console's Flow routes sign and send Flow's requests to the app and report its answer, and list the
// flowTriggerReceive calls the emulator received. The assertions on the app's Flow routes themselves
// run once those routes exist (they are built beside this page).
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { FLOW_ACTIONS, FLOW_TRIGGERS } from "../../app/engine/flow/definitions";
import { API_VERSION, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: Shop;
const SECOND = "second-flow-shop.myshopify.com";
const HAS_LIFECYCLE_ROUTE = fs.existsSync("app/routes/flow.lifecycle.ts");
const HAS_ACTION_ROUTE = fs.existsSync("app/routes/flow.actions.$handle.ts");
const DELAY = FLOW_TRIGGERS.delayDetected.handle;
const POINTS = FLOW_ACTIONS.awardPoints.handle;

useStack({ install: true, workers: 1 }, async (started) => {
  stack = started;
  shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: stack.services.demoShop } });
});

interface Answer {
  status: number;
  body: unknown;
  actionRunId?: string;
}

async function sandboxPost(pathname: string, body: unknown): Promise<{ status: number; json: Answer & { error?: string } }> {
  const response = await fetch(`${stack.appUrl}${pathname}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** The shop's seeded Flow rows, each carrying `marker` so a page shows whose they are. */
async function seedFlowRows(shopId: string, marker: string) {
  const order = await stack.db.order.create({
    data: { shopId, shopifyId: `gid://shopify/Order/${marker.length}0077`, placeholder: false, name: `#${marker}` },
  });
  await stack.db.flowTriggerUse.create({ data: { shopId, handle: DELAY, enabled: true, changedAt: new Date("2026-12-01T12:00:00Z") } });
  await stack.db.flowTriggerDelivery.create({
    data: { shopId, handle: DELAY, eventKey: marker, orderShopifyId: order.shopifyId, payload: {}, status: "failed", attempts: 3, error: `${marker}-error` },
  });
  await stack.db.flowActionRun.create({ data: { shopId, actionRunId: marker, handle: POINTS, properties: {}, status: "done", outcome: `${marker}-outcome` } });
  return order;
}

describe("Admin › Shopify Flow", () => {
  it("lists the four triggers and three actions, with the empty state before anything happened", async () => {
    const html = await stack.adminPage("/app/shopify-flow");
    for (const item of [...Object.values(FLOW_TRIGGERS), ...Object.values(FLOW_ACTIONS)]) expect(html).toContain(item.name);
    expect(html.match(/No workflow uses it/g)).toHaveLength(4);
    expect(html).toContain("Nothing has happened yet");
    expect(html).toContain("Create a workflow in the Shopify Flow app");
  });

  it("shows the shop's deliveries and runs, never another shop's", async () => {
    expect((await stack.install(SECOND)).status).toBe(200);
    const second = await stack.db.shop.findUniqueOrThrow({ where: { domain: SECOND } });
    const order = await seedFlowRows(shop.id, "MINE");
    await seedFlowRows(second.id, "THEIRS");

    const mine = await stack.adminPage("/app/shopify-flow");
    expect(mine).toContain("MINE-error");
    expect(mine).toContain("MINE-outcome");
    expect(mine).toContain(`/app/orders/${order.id}`);
    expect(mine).toContain("Used by a workflow");
    expect(mine).not.toContain("Nothing has happened yet");
    expect(mine).not.toContain("THEIRS");

    const theirs = await stack.adminPage("/app/shopify-flow", SECOND);
    expect(theirs).toContain("THEIRS-error");
    expect(theirs).not.toContain("MINE");
  });

  it("is behind authenticate.admin", async () => {
    const response = await fetch(`${stack.appUrl}/app/shopify-flow`, { redirect: "manual" });
    expect(response.status).not.toBe(200);
  });
});

describe("the sandbox console's Shopify Flow section", () => {
  it("renders on the console page", async () => {
    const html = await (await fetch(`${stack.appUrl}/sandbox/console`)).text();
    expect(html).toContain("Shopify Flow");
    for (const t of Object.values(FLOW_TRIGGERS)) expect(html).toContain(`${t.name}: a workflow uses this trigger`);
    for (const a of Object.values(FLOW_ACTIONS)) expect(html).toContain(a.name);
  });

  it("lists the flowTriggerReceive calls the emulator received, newest first, and the shop's orders", async () => {
    const { accessToken } = await stack.db.session.findFirstOrThrow({ where: { shop: shop.domain, isOnline: false } });
    const receive = (payload: Record<string, unknown>) =>
      fetch(`${stack.services.adminApiUrl}/admin/api/${API_VERSION}/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
        body: JSON.stringify({
          query:
            "mutation Receive($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }",
          variables: { handle: FLOW_TRIGGERS.npsReceived.handle, payload },
        }),
      }).then((r) => r.json());
    expect(await receive({ Score: 3, Category: "detractor" })).toMatchObject({ data: { flowTriggerReceive: { userErrors: [] } } });
    expect(await receive({ Score: 10, Category: "promoter" })).toMatchObject({ data: { flowTriggerReceive: { userErrors: [] } } });
    const placed = await stack.place({});

    const state = await (await fetch(`${stack.appUrl}/sandbox/api/flow/state`)).json();
    const nps = state.received.filter((r: { handle: string }) => r.handle === FLOW_TRIGGERS.npsReceived.handle);
    expect(nps.map((r: { payload: { Score: number } }) => r.payload.Score)).toEqual([10, 3]);
    expect(state.orders.map((o: { label: string }) => o.label)).toContainEqual(expect.stringContaining(placed.orderName));
    expect(state.customers.length).toBeGreaterThan(0);
  });

  it("sends Flow's lifecycle callback to the app and reports its answer; refuses an unknown trigger", async () => {
    const sent = await sandboxPost("/sandbox/api/flow/lifecycle", { handle: DELAY, enabled: false });
    expect(sent.status).toBe(200);
    expect(sent.json.status).toBe(HAS_LIFECYCLE_ROUTE ? 200 : 404);
    expect((await sandboxPost("/sandbox/api/flow/lifecycle", { handle: "no-such-trigger", enabled: true })).status).toBe(400);
  });

  it.skipIf(!HAS_LIFECYCLE_ROUTE)("the signed callback is accepted: the app records the trigger as used, then unused", async () => {
    const handle = FLOW_TRIGGERS.tierReached.handle;
    expect((await sandboxPost("/sandbox/api/flow/lifecycle", { handle, enabled: true })).json.status).toBe(200);
    expect(await stack.db.flowTriggerUse.findUnique({ where: { shopId_handle: { shopId: shop.id, handle } } })).toMatchObject({ enabled: true });
    await stack.advance(60); // a later callback: the newest timestamp wins
    expect((await sandboxPost("/sandbox/api/flow/lifecycle", { handle, enabled: false })).json.status).toBe(200);
    expect(await stack.db.flowTriggerUse.findUnique({ where: { shopId_handle: { shopId: shop.id, handle } } })).toMatchObject({ enabled: false });
  });

  it("runs an action as Flow would and reports the app's answer with the run id; refuses an unknown action", async () => {
    const run = await sandboxPost(`/sandbox/api/flow/actions/${POINTS}`, { properties: { customer_id: "gid://shopify/Customer/1", points: 5 } });
    expect(run.status).toBe(200);
    expect(run.json.actionRunId).toMatch(/\S/);
    expect(typeof run.json.status).toBe("number");
    if (!HAS_ACTION_ROUTE) expect(run.json.status).toBe(404);
    const again = await sandboxPost(`/sandbox/api/flow/actions/${POINTS}`, { properties: {}, actionRunId: "fixed-run-id" });
    expect(again.json.actionRunId).toBe("fixed-run-id");
    expect((await sandboxPost("/sandbox/api/flow/actions/no-such-action", { properties: {} })).status).toBe(404);
  });

  it.skipIf(!HAS_ACTION_ROUTE)("the signed run is applied once per run id; bad input gets the app's message", async () => {
    const placed = await stack.place({});
    const order = await stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, name: placed.orderName } });
    const properties = { customer_id: order.customerShopifyId, points: 25, reason: "Thanks" };
    const first = await sandboxPost(`/sandbox/api/flow/actions/${POINTS}`, { properties });
    expect(first.json.status).toBe(200);
    const repeat = await sandboxPost(`/sandbox/api/flow/actions/${POINTS}`, { properties, actionRunId: first.json.actionRunId });
    expect(repeat.json.status).toBe(200);
    await stack.idle();
    const runs = await stack.db.flowActionRun.findMany({ where: { shopId: shop.id, actionRunId: first.json.actionRunId } });
    expect(runs).toEqual([expect.objectContaining({ status: "done" })]);

    const bad = await sandboxPost(`/sandbox/api/flow/actions/${POINTS}`, { properties: { customer_id: order.customerShopifyId, points: -3 } });
    expect(bad.json.status).toBeGreaterThanOrEqual(400);
    expect(bad.json.status).toBeLessThan(500);
    expect(bad.json.body).toMatchObject({ message: expect.any(String) });
  });
});
