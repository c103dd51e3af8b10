import { describe, expect, it } from "vitest";
import type { Flow, MessageStatus, Shop } from "@prisma/client";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeMessage, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import {
  DOWNLOADED_REPORT_RETENTION_DAYS,
  LINK_CLICK_RETENTION_DAYS,
  MESSAGE_RECIPIENT_RETENTION_DAYS,
  purgeExpired,
  WEBHOOK_DELIVERY_RETENTION_DAYS,
} from "./retention";

let temp: TempDb;
let shop: Shop;
let flow: Flow;
const now = new Date("2026-12-04T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
/** Just inside and just outside a retention period. */
const kept = (days: number) => daysAgo(days - 1);
const expired = (days: number) => daysAgo(days + 1);

useTempDb("retention", async (created) => {
  temp = created;
  shop = await makeShop(temp.db, { currency: "EUR", installedAt: daysAgo(800) });
  flow = await makeFlow(temp.db, shop, { key: "thank_you", delayMinutes: 15 });
});

let n = 0;
const message = (createdAt: Date, status: MessageStatus = "sent") =>
  makeMessage(temp.db, flow, { at: createdAt, status, recipient: `retention-${n++}@example.com`, subject: "Thanks, Ada" });
const delivery = (receivedAt: Date) =>
  temp.db.webhookDelivery.create({ data: { shopDomain: shop.domain, webhookId: `w-${n++}`, topic: "orders/create", status: "applied", receivedAt } });
const report = (downloadedAt: Date | null) =>
  temp.db.dataRequest.create({
    data: { shopId: shop.id, customerEmail: "ada@example.com", status: "ready", report: {}, requestedAt: daysAgo(30), completedAt: daysAgo(30), downloadedAt },
  });

describe("purgeExpired", () => {
  it("removes what outlived its period and keeps everything younger, unfinished or not downloaded", async () => {
    const oldDelivery = await delivery(expired(WEBHOOK_DELIVERY_RETENTION_DAYS));
    const recentDelivery = await delivery(kept(WEBHOOK_DELIVERY_RETENTION_DAYS));
    const oldMessage = await message(expired(MESSAGE_RECIPIENT_RETENTION_DAYS));
    const oldButScheduled = await message(expired(MESSAGE_RECIPIENT_RETENTION_DAYS), "scheduled");
    const recentMessage = await message(kept(MESSAGE_RECIPIENT_RETENTION_DAYS));
    const oldClick = await temp.db.linkClick.create({
      data: { shopId: shop.id, messageId: recentMessage.id, url: "https://shop.example/a", clickedAt: expired(LINK_CLICK_RETENTION_DAYS) },
    });
    const recentClick = await temp.db.linkClick.create({
      data: { shopId: shop.id, messageId: recentMessage.id, url: "https://shop.example/b", clickedAt: kept(LINK_CLICK_RETENTION_DAYS) },
    });
    const downloadedLongAgo = await report(expired(DOWNLOADED_REPORT_RETENTION_DAYS));
    const downloadedRecently = await report(kept(DOWNLOADED_REPORT_RETENTION_DAYS));
    const neverDownloaded = await report(null);

    expect(await purgeExpired(temp.db, new ManualClock(now))).toEqual({ deliveries: 1, clicks: 1, recipients: 1, reports: 1 });

    expect(await temp.db.webhookDelivery.findMany({ where: { id: { in: [oldDelivery.id, recentDelivery.id] } }, select: { id: true } })).toEqual([
      { id: recentDelivery.id },
    ]);
    expect(await temp.db.linkClick.findMany({ where: { id: { in: [oldClick.id, recentClick.id] } }, select: { id: true } })).toEqual([{ id: recentClick.id }]);
    const messages = await temp.db.message.findMany({ where: { id: { in: [oldMessage.id, oldButScheduled.id, recentMessage.id] } } });
    const byId = (id: string) => messages.find((m) => m.id === id)!;
    expect(byId(oldMessage.id)).toMatchObject({ recipient: null, subject: null, status: "sent" });
    expect(byId(oldButScheduled.id).recipient).toBe(oldButScheduled.recipient);
    expect(byId(recentMessage.id).recipient).toBe(recentMessage.recipient);
    const reports = await temp.db.dataRequest.findMany({ where: { id: { in: [downloadedLongAgo.id, downloadedRecently.id, neverDownloaded.id] } } });
    const report_ = (id: string) => reports.find((r) => r.id === id)!;
    expect(report_(downloadedLongAgo.id)).toMatchObject({ report: null, status: "expired" });
    expect(report_(downloadedRecently.id)).toMatchObject({ report: {}, status: "ready" });
    expect(report_(neverDownloaded.id)).toMatchObject({ report: {}, status: "ready" });

    // A second run finds nothing left to do.
    expect(await purgeExpired(temp.db, new ManualClock(now))).toEqual({ deliveries: 0, clicks: 0, recipients: 0, reports: 0 });
  });
});
