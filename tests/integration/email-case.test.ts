// One customer, one address, however they typed it: the mirror stores addresses normalised, so the
// frequency cap and customers/redact find every order of the address whatever its case.
import { describe, expect, it, vi } from "vitest";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;

const orderRow = (orderId: string) => stack.db.order.findFirst({ where: { shopifyId: `gid://shopify/Order/${orderId}` } });
const messageOf = async (orderId: string, flow: string) =>
  stack.db.message.findFirst({ where: { order: { shopifyId: `gid://shopify/Order/${orderId}` }, flow: { key: flow } } });

useStack({ install: true }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  // No quiet hours: only the cap decides when the survey goes.
  await stack.db.shop.update({
    where: { domain: shop },
    data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 1, frequencyCapHours: 24 },
  });
  await stack.startWorker();
  // The install's history import keeps the worker busy at first; the scenarios time the worker.
  const shopId = (await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
  // vi.waitFor, not expect.poll: this runs in the file's set-up, outside any test.
  await vi.waitFor(
    async () => {
      const status = (await stack.db.historyImport.findUnique({ where: { shopId } }))?.status;
      if (status !== "done") throw new Error(`history import ${status ?? "not started"}`);
    },
    { timeout: 90_000, interval: 250 },
  );
});

describe("addresses that differ only in case", () => {
  it("are one recipient for the frequency cap", async () => {
    const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    const survey = await stack.db.flow.create({
      data: {
        shopId: shopRow.id,
        key: "test_case_survey",
        name: "Survey",
        trigger: "order_created",
        category: "survey",
        delayMinutes: 20,
        subject: "Quick question",
        body: "How was it?",
      },
    });
    try {
      const first = await stack.place({ email: "Case.Mix@Example.com", country: "FR" });
      await stack.advance(16 * 60);
      await expect.poll(async () => (await messageOf(first.orderId, "thank_you"))?.status, { timeout: 15_000 }).toBe("sent");

      // The second order's only email is the survey; the first order's thank-you fills the cap.
      await stack.db.flow.updateMany({ where: { shopId: shopRow.id, key: "thank_you" }, data: { enabled: false } });
      const second = await stack.place({ email: "case.mix@example.com", country: "FR" });
      await stack.advance(25 * 60);
      await expect.poll(async () => (await messageOf(second.orderId, "test_case_survey"))?.status, { timeout: 15_000 }).toBe("deferred");
      expect((await messageOf(second.orderId, "test_case_survey"))!.reason).toMatch(/^frequency cap \(1 per 24 h\)/);
      expect((await orderRow(first.orderId))!.email).toBe("case.mix@example.com"); // stored in one form
    } finally {
      await stack.db.flow.updateMany({ where: { shopId: shopRow.id, key: "thank_you" }, data: { enabled: true } });
      await stack.db.message.deleteMany({ where: { flowId: survey.id } });
      await stack.db.flow.delete({ where: { id: survey.id } });
    }
  });

  it("are one customer for customers/redact", async () => {
    const placed = await stack.place({ email: "Redact.Me@Example.com", country: "FR" });
    expect(await orderRow(placed.orderId)).not.toBeNull();
    await stack.emulator(`/shops/${shop}/webhooks`, {
      topic: "customers/redact",
      payload: { shop_domain: shop, customer: { email: "REDACT.ME@example.com" }, orders_to_redact: [] },
    });
    expect(await orderRow(placed.orderId)).toBeNull();
    expect(await stack.db.message.count({ where: { recipient: { in: ["redact.me@example.com", "Redact.Me@Example.com"] } } })).toBe(0);
  });
});
