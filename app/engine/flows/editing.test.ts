// Re-planning a flow's pending messages after its timing changed, against a real PostgreSQL database.
import { beforeEach, describe, expect, it } from "vitest";
import type { Flow, MessageStatus } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeMessage, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { replanFlowMessages } from "./editing";

let db: Db;
let flow: Flow;
const clock = new ManualClock(new Date("2026-11-22T15:00:00Z"));

useTempDb("editing", async (created) => {
  db = created.db;
  const shop = await makeShop(db, { timezone: "America/New_York" });
  flow = await makeFlow(db, shop, { key: "check_in", trigger: "delivered", delayMinutes: 2 * 1440 });
});

function message(status: MessageStatus, anchorAt: Date, extra: { timezone?: string | null; step?: string } = {}) {
  const dueAt = new Date(anchorAt.getTime() + flow.delayMinutes * 60_000);
  return makeMessage(db, flow, { status, timezone: "Europe/Paris", ...extra, anchor: "delivered", anchorAt, dueAt, sendAt: dueAt });
}

describe("replanFlowMessages", () => {
  beforeEach(async () => {
    await db.message.deleteMany();
  });

  it("moves scheduled and deferred messages to the new timing from their own anchor", async () => {
    const anchorAt = new Date("2026-11-22T12:00:00Z");
    const scheduled = await message("scheduled", anchorAt);
    const deferred = await message("deferred", anchorAt);
    const moved = await db.$transaction((tx) => replanFlowMessages(tx, clock, { ...flow, delayMinutes: 3 * 1440 }));
    expect(moved).toBe(2);
    for (const id of [scheduled.id, deferred.id]) {
      const m = await db.message.findUniqueOrThrow({ where: { id }, include: { events: true } });
      expect(m).toMatchObject({
        status: "scheduled",
        reason: "flow timing changed",
        dueAt: new Date("2026-11-25T12:00:00Z"),
        sendAt: new Date("2026-11-25T12:00:00Z"),
      });
      expect(m.events.map((e) => [e.status, e.reason])).toEqual([["replanned", "flow timing changed"]]);
    }
  });

  it("never schedules in the past: a new due time already gone sends now", async () => {
    const m = await message("scheduled", new Date("2026-11-22T14:00:00Z"));
    await db.$transaction((tx) => replanFlowMessages(tx, clock, { ...flow, delayMinutes: 30 }));
    const after = await db.message.findUniqueOrThrow({ where: { id: m.id } });
    expect(after.dueAt).toEqual(new Date("2026-11-22T14:30:00Z"));
    expect(after.sendAt).toEqual(clock.now());
  });

  it("applies 'send at HH:MM' in the recipient's zone, falling back to the shop's", async () => {
    const paris = await message("scheduled", new Date("2026-11-22T12:00:00Z"));
    const unknown = await message("scheduled", new Date("2026-11-22T12:00:00Z"), { timezone: null });
    await db.$transaction((tx) => replanFlowMessages(tx, clock, { ...flow, delayMinutes: 1440, sendAtLocalTime: "10:00" }));
    expect((await db.message.findUniqueOrThrow({ where: { id: paris.id } })).dueAt).toEqual(new Date("2026-11-24T09:00:00Z")); // 10:00 CET
    expect((await db.message.findUniqueOrThrow({ where: { id: unknown.id } })).dueAt).toEqual(new Date("2026-11-23T15:00:00Z")); // 10:00 New York
  });

  it("leaves sent, skipped, cancelled, unknown and reminder messages alone, and unchanged timing is a no-op", async () => {
    const anchorAt = new Date("2026-11-20T12:00:00Z");
    const untouched = await Promise.all([
      message("sent", anchorAt),
      message("skipped", anchorAt),
      message("cancelled", anchorAt),
      message("unknown", anchorAt),
      message("scheduled", anchorAt, { step: "reminder" }),
    ]);
    const same = await message("scheduled", anchorAt);
    expect(await db.$transaction((tx) => replanFlowMessages(tx, clock, { ...flow, delayMinutes: 5 }))).toBe(1);
    for (const m of untouched) expect(await db.message.findUniqueOrThrow({ where: { id: m.id } })).toEqual(m);
    expect(await db.$transaction((tx) => replanFlowMessages(tx, clock, { ...flow, delayMinutes: 5 }))).toBe(0);
    expect(await db.messageEvent.count({ where: { messageId: same.id } })).toBe(1);
  });
});
