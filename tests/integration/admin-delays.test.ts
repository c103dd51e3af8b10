// Admin › Delays through the real server: the page with an incident (notice + code), the settings
// form's validation, and tenant isolation (page and order card).
import { describe, expect, it } from "vitest";
import type { Order, Shop } from "@prisma/client";
import { orderDelays } from "../../app/engine/admin/delays";
import { postAdminAction } from "../support/admin-actions";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: Shop;
let order: Order;
const SECOND = "second-delays-shop.myshopify.com";
const DAY = 86_400_000;

const post = (pathname: string, fields: Record<string, string>, asShop = shop.domain) => postAdminAction(stack.appUrl, pathname, fields, asShop);

const form = {
  notShippedDomesticDays: "2",
  notShippedInternationalDays: "6",
  lateInTransitDays: "1",
  holidays: "2026-12-25\n2026-12-24",
  discountType: "fixed_amount",
  discountValue: "7.50",
  discountExpiryDays: "14",
  monthlyMaxCodes: "3",
  monthlyMaxValue: "",
};

useStack({ install: true }, async (started) => {
  stack = started;
  shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: stack.services.demoShop } });
  const now = await stack.now();
  order = await stack.db.order.create({
    data: {
      shopId: shop.id,
      shopifyId: "gid://shopify/Order/880001",
      placeholder: false,
      name: "#8801",
      placedAt: new Date(now.getTime() - 6 * DAY),
      currency: "USD",
      subtotalCents: 4000,
      totalCents: 4000,
    },
  });
  await stack.db.delayIncident.create({
    data: {
      shopId: shop.id,
      orderId: order.id,
      cause: "not_shipped",
      detail: "not shipped 6 days after the order",
      detectedAt: new Date(now.getTime() - 2 * DAY - 3600_000),
      expectedAt: new Date(now.getTime() + 3 * DAY),
    },
  });
  const flow = await stack.db.flow.findFirstOrThrow({ where: { shopId: shop.id, key: "shipping_delay" } });
  const key = `${shop.id}:${order.shopifyId}:shipping_delay:not_shipped`;
  const message = await stack.db.message.create({
    data: {
      shopId: shop.id,
      orderId: order.id,
      flowId: flow.id,
      step: "not_shipped",
      dedupeKey: key,
      category: "service",
      status: "sent",
      recipient: "late@example.com",
      anchor: "delay_detected",
      anchorAt: now,
      dueAt: now,
      sendAt: now,
      sentAt: now,
      rfcMessageId: `test-${key}`,
    },
  });
  await stack.db.discountCode.create({
    data: {
      shopId: shop.id,
      purpose: "apology",
      messageId: message.id,
      orderId: order.id,
      code: "SORRY-TESTCODE",
      valueType: "percentage",
      value: 10,
      currency: "USD",
      estimatedValueCents: 400,
      endsAt: new Date(now.getTime() + 30 * DAY),
      status: "created",
      createdAt: now,
      createdInShopifyAt: now,
    },
  });
});

describe("Delays page", () => {
  it("lists the delayed order with cause, age, notice and code, and this month's figures", async () => {
    const html = await stack.adminPage("/app/delays");
    expect(html).toContain("Orders currently delayed");
    expect(html).toContain(`/app/orders/${order.id}`);
    expect(html).toContain("#8801");
    expect(html).toContain("Not shipped");
    expect(html).toContain("not shipped 6 days after the order");
    expect(html).toContain("SORRY-TESTCODE");
    expect(html).toContain("10%");
    expect(html).toMatch(/>sent</);
    expect(html).toContain("Notices sent");
    expect(html).toContain("Codes left");
    expect(html).toContain("$4.00 committed");
  });

  it("refuses a negative threshold and a bad holiday, saving nothing; then saves a valid form", async () => {
    const before = await stack.db.delaySettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    const bad = await post("/app/delays", { ...form, notShippedDomesticDays: "-1", holidays: "2026-13-01" });
    expect(bad.status).toBe(200);
    expect(bad.data).toMatchObject({ saved: false, errors: { notShippedDomesticDays: expect.any(String), holidays: expect.stringContaining("YYYY-MM-DD") } });
    expect(await stack.db.delaySettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);

    const good = await post("/app/delays", form);
    expect(good.data).toMatchObject({ errors: {}, saved: true });
    expect(await stack.db.delaySettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      notShippedDomesticDays: 2,
      notShippedInternationalDays: 6,
      lateInTransitDays: 1,
      holidays: ["2026-12-24", "2026-12-25"],
      discountType: "fixed_amount",
      discountValue: 750,
      discountExpiryDays: 14,
      monthlyMaxCodes: 3,
      monthlyMaxValueCents: null,
    });
    const html = await (await stack.adminGet("/app/delays")).text();
    expect(html).toContain("7.50");
    expect(html).toContain("2026-12-24");
  });
});

describe("tenant isolation", () => {
  it("another shop sees none of these delays, on its page or for this order id", async () => {
    expect((await stack.install(SECOND)).status).toBe(200);
    const second = await stack.db.shop.findUniqueOrThrow({ where: { domain: SECOND } });
    const html = await (await stack.adminGet("/app/delays", SECOND)).text();
    expect(html).toContain("No order is delayed right now.");
    expect(html).not.toContain("#8801");
    expect(html).not.toContain("SORRY-TESTCODE");

    const now = await stack.now();
    expect(await orderDelays(stack.db, second, order.id, now)).toEqual([]);
    const own = await orderDelays(stack.db, shop, order.id, now);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({
      cause: "not_shipped",
      ageDays: 2,
      notice: { status: "sent" },
      code: { code: "SORRY-TESTCODE", status: "created", value: "10%" },
    });

    // Saving from the other shop changes only its own settings.
    const before = await stack.db.delaySettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect((await post("/app/delays", { ...form, monthlyMaxCodes: "50" }, SECOND)).data).toMatchObject({ saved: true });
    expect(await stack.db.delaySettings.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);
    expect((await stack.db.delaySettings.findUniqueOrThrow({ where: { shopId: second.id } })).monthlyMaxCodes).toBe(50);
  });
});
