// A burst of one shop's webhooks against a real worker (ten job slots): the shop's deliveries are
// applied by at most APPLY_LANES apply jobs at once (decision 034), never by one per slot, and
// every delivery is applied once.
import { describe, expect, it } from "vitest";
import { APPLY_LANES } from "../../app/engine/webhooks/inbox";
import { orderPayload } from "../support/order-payload";
import { postWebhook, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

const ORDERS = 160;
let stack: Stack;

useStack({ install: true, workers: 1, env: { TRUSTLOOP_WORKER_CONCURRENCY: "10" } }, (started) => void (stack = started));

/** Each order its own buyer, as in a flash sale. */
const burstOrder = (id: number) =>
  orderPayload(id, "2026-11-20T10:00:00Z", { email: `lane${id}@example.com`, customer: { id: id + 1, email: `lane${id}@example.com`, first_name: "Lane" } });

describe("a burst of one shop's webhooks", () => {
  it("is applied by at most one job per lane at a time, each delivery once", { timeout: 180_000 }, async () => {
    const shop = stack.services.demoShop;
    const lockedApplyJobs = () =>
      stack.db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
        WHERE t.identifier = 'webhooks_apply' AND j.locked_at IS NOT NULL`.then((rows) => rows[0].n);
    let most = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        most = Math.max(most, await lockedApplyJobs());
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const ids = Array.from({ length: ORDERS }, (_, i) => 880_000 + i * 10);
    try {
      for (let i = 0; i < ids.length; i += 8) {
        const answers = await Promise.all(ids.slice(i, i + 8).map((id) => postWebhook(stack.appUrl, "orders/create", burstOrder(id), { shop })));
        expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      }
      const applied = () => stack.db.webhookDelivery.count({ where: { status: "applied", resourceId: { in: ids.map((id) => `gid://shopify/Order/${id}`) } } });
      await expect.poll(applied, { timeout: 150_000, interval: 250 }).toBe(ORDERS);
    } finally {
      watching = false;
      await watcher;
    }

    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(APPLY_LANES);
    expect(await stack.db.order.count({ where: { shopifyId: { in: ids.map((id) => `gid://shopify/Order/${id}`) } } })).toBe(ORDERS);
  });
});
