// 30-day figures per flow against a real PostgreSQL database: grouped per flow, scoped to one shop.
import { describe, expect, it } from "vitest";
import type { Flow, MessageStatus } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeMessage, makeOrder, makeShop } from "../../../tests/support/factories";
import { flowStats } from "./flow-stats";

let db: Db;
const now = new Date("2026-11-22T15:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

useTempDb("stats", (created) => {
  db = created.db;
});

async function setupShop(domain: string) {
  const shop = await makeShop(db, { domain, installedAt: daysAgo(100) });
  const flow = (key: string) => makeFlow(db, shop, { key, delayMinutes: 15 });
  return { shop, a: await flow("a"), b: await flow("b") };
}

const message = (flow: Flow, status: MessageStatus, at: Date, reason: string | null = null) =>
  makeMessage(db, flow, { status, at, reason, sentAt: status === "sent" ? at : null });

describe("flowStats", () => {
  it("counts waiting, sent, skipped (top reasons), clicks and attributed revenue per flow over 30 days", async () => {
    const { shop, a, b } = await setupShop("stats.myshopify.com");
    const other = await setupShop("other.myshopify.com");

    const sent1 = await message(a, "sent", daysAgo(1));
    const sent2 = await message(a, "sent", daysAgo(2));
    await message(a, "sent", daysAgo(40)); // outside the window
    await message(a, "scheduled", daysAgo(0));
    await message(a, "deferred", daysAgo(1), "quiet hours");
    await message(a, "skipped", daysAgo(3), "conditions: ships to another country");
    await message(a, "skipped", daysAgo(4), "conditions: ships to another country");
    await message(a, "skipped", daysAgo(5), "missed: was due 2026-11-10T10:00:00.000Z, before the order reached Trustloop");
    await message(a, "skipped", daysAgo(6), "missed: was due 2026-11-11T11:00:00.000Z, before the order reached Trustloop");
    await message(a, "skipped", daysAgo(7), "missed: was due 2026-11-12T12:00:00.000Z, before the order reached Trustloop");
    await message(b, "skipped", daysAgo(2), "unsubscribed");
    const otherSent = await message(other.a, "sent", daysAgo(1));

    for (const [m, at] of [
      [sent1, daysAgo(1)],
      [sent1, daysAgo(1)],
      [sent2, daysAgo(2)],
      [sent2, daysAgo(45)],
      [otherSent, daysAgo(1)],
    ] as const) {
      await db.linkClick.create({ data: { shopId: m.shopId, messageId: m.id, url: "https://shop.example/p", clickedAt: at } });
    }
    const order = await makeOrder(db, shop);
    const order2 = await makeOrder(db, shop);
    await db.attribution.create({
      data: { shopId: shop.id, orderId: order.id, messageId: sent1.id, flowId: a.id, revenueCents: 4200, clickedAt: daysAgo(1), createdAt: daysAgo(1) },
    });
    await db.attribution.create({
      data: { shopId: shop.id, orderId: order2.id, messageId: sent2.id, flowId: a.id, revenueCents: 1050, clickedAt: daysAgo(2), createdAt: daysAgo(2) },
    });

    const stats = await flowStats(db, shop.id, now);
    expect(stats.get(a.id)).toEqual({
      scheduled: 2,
      sent: 2,
      skipped: 5,
      topSkipReasons: [
        { reason: "missed: was due …, before the order reached Trustloop", count: 3 },
        { reason: "conditions: ships to another country", count: 2 },
      ],
      clicks: 3,
      attributedOrders: 2,
      revenueCents: 5250,
    });
    expect(stats.get(b.id)).toMatchObject({ skipped: 1, sent: 0, clicks: 0, topSkipReasons: [{ reason: "unsubscribed", count: 1 }] });
    expect(stats.has(other.a.id)).toBe(false);
  });
});
