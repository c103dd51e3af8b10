// Admin › Shopify Flow's data, against a real database: each trigger's use and last deliveries and
// each action's last runs, of this shop only, with the order and customer they name.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeOrder, makeShopPair } from "../../../tests/support/factories";
import { FLOW_ACTIONS, FLOW_TRIGGERS } from "../flow/definitions";
import { customerAdminUrl, RECENT_PER_ITEM, runView, shopifyFlowPage } from "./shopify-flow";

let temp: TempDb;
let mine: Shop;
let theirs: Shop;
const AT = new Date("2026-12-04T15:30:00Z"); // 10:30 AM in New York
const DELAY = FLOW_TRIGGERS.delayDetected.handle;
const POINTS = FLOW_ACTIONS.awardPoints.handle;

useTempDb("shopify-flow-admin", async (created) => {
  temp = created;
  [mine, theirs] = await makeShopPair(temp.db, { timezone: "America/New_York" });
});

const page = (shop: Shop) => shopifyFlowPage(temp.db, shop);

describe("shopifyFlowPage", () => {
  it("lists every trigger and action, empty before anything happened", async () => {
    const view = await page(mine);
    expect(view.empty).toBe(true);
    expect(view.triggers.map((t) => t.handle)).toEqual(Object.values(FLOW_TRIGGERS).map((t) => t.handle));
    expect(view.actions.map((a) => a.name)).toEqual(Object.values(FLOW_ACTIONS).map((a) => a.name));
    expect(view.triggers.every((t) => !t.used && t.changedAt === null && t.deliveries.length === 0)).toBe(true);
  });

  it("shows the shop's own uses, deliveries and runs, the newest ten, never another shop's", async () => {
    const db = temp.db;
    const order = await makeOrder(db, mine, { name: "#4242", customer: { email: "jane@example.com" } });
    await db.flowTriggerUse.create({ data: { shopId: mine.id, handle: DELAY, enabled: true, changedAt: AT } });
    await db.flowTriggerUse.create({ data: { shopId: theirs.id, handle: FLOW_TRIGGERS.reviewSubmitted.handle, enabled: true, changedAt: AT } });
    for (let i = 0; i < RECENT_PER_ITEM + 2; i++) {
      await db.flowTriggerDelivery.create({
        data: {
          shopId: mine.id,
          handle: DELAY,
          eventKey: `e${i}`,
          orderShopifyId: order.shopifyId,
          customerShopifyId: order.customerShopifyId,
          payload: {},
          status: i === RECENT_PER_ITEM + 1 ? "failed" : "sent",
          attempts: i === RECENT_PER_ITEM + 1 ? 3 : 1,
          error: i === RECENT_PER_ITEM + 1 ? "Invalid handle" : null,
          createdAt: new Date(AT.getTime() + i * 60_000),
        },
      });
    }
    await db.flowTriggerDelivery.create({ data: { shopId: theirs.id, handle: DELAY, eventKey: "theirs", payload: {}, createdAt: AT } });
    await db.flowActionRun.create({
      data: { shopId: mine.id, actionRunId: "run-1", handle: POINTS, properties: {}, status: "done", outcome: "500 points awarded", createdAt: AT },
    });
    await db.flowActionRun.create({ data: { shopId: theirs.id, actionRunId: "run-1", handle: POINTS, properties: {}, outcome: "theirs", createdAt: AT } });

    const view = await page(mine);
    expect(view.empty).toBe(false);
    const delay = view.triggers.find((t) => t.handle === DELAY)!;
    expect(delay).toMatchObject({ used: true, changedAt: "Dec 4, 2026, 10:30 AM" });
    expect(view.triggers.find((t) => t.handle === FLOW_TRIGGERS.reviewSubmitted.handle)).toMatchObject({ used: false });
    expect(delay.deliveries).toHaveLength(RECENT_PER_ITEM);
    expect(delay.deliveries[0]).toMatchObject({
      at: "Dec 4, 2026, 10:41 AM",
      status: "failed",
      attempts: 3,
      error: "Invalid handle",
      order: { label: "#4242", url: `/app/orders/${order.id}` },
      customer: { label: "j•••@example.com", url: customerAdminUrl(order.customerShopifyId!) },
    });
    expect(delay.deliveries.at(-1)!.at).toBe("Dec 4, 2026, 10:32 AM");
    const points = view.actions.find((a) => a.handle === POINTS)!;
    expect(points.runs).toEqual([expect.objectContaining({ status: "done", detail: "500 points awarded", at: "Dec 4, 2026, 10:30 AM" })]);

    const other = await page(theirs);
    expect(other.triggers.find((t) => t.handle === DELAY)!).toMatchObject({
      used: false,
      deliveries: [expect.objectContaining({ status: "pending", order: null })],
    });
    expect(other.actions.find((a) => a.handle === POINTS)!.runs.map((r) => r.detail)).toEqual(["theirs"]);
  });
});

describe("the pure parts", () => {
  it("links a customer gid to the Shopify admin, nothing else", () => {
    expect(customerAdminUrl("gid://shopify/Customer/42")).toBe("shopify://admin/customers/42");
    expect(customerAdminUrl("gid://shopify/Order/42")).toBeNull();
  });

  it("shows a failed run's error and any other run's outcome; an unknown order by its id", () => {
    const known = { orders: new Map(), customers: new Map() };
    const run = { id: "r", createdAt: AT, customerShopifyId: null, orderShopifyId: "gid://shopify/Order/9", outcome: "ignored", error: "Order not found" };
    expect(runView({ ...run, status: "failed" }, "UTC", known)).toMatchObject({ detail: "Order not found", order: { label: "Order 9", url: null } });
    expect(runView({ ...run, status: "done" }, "UTC", known).detail).toBe("ignored");
  });
});
