// A worker that stopped beating: another worker releases what it held — its queue jobs, its claims
// on messages (run again at once) — and marks its sends in flight unknown. A live worker's send,
// even one the sandbox's clock jumped past, is left alone.
import { describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeOrder, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { markAbandonedSends } from "../messages/claim";
import { recoverDeadWorkers } from "./liveness";

let db: Db;
const clock = new ManualClock(new Date("2026-11-20T15:00:00Z"));

useTempDb("liveness", (created) => {
  db = created.db;
});

async function message(shopId: string, flowId: string, n: number, status: "scheduled" | "sending", lockedBy: string) {
  const order = await makeOrder(db, { id: shopId }, { placedAt: clock.now() });
  return db.message.create({
    data: {
      shopId,
      orderId: order.id,
      flowId,
      step: "main",
      dedupeKey: `${shopId}:${n}:thank_you:main`,
      category: "service",
      status,
      recipient: `c${n}@example.com`,
      anchor: "placed",
      anchorAt: clock.now(),
      dueAt: clock.now(),
      sendAt: clock.now(),
      rfcMessageId: `live-${n}`,
      lockedBy,
      lockedUntil: new Date(Date.now() + 3_600_000), // leases far from expired
    },
  });
}

describe("recovering a dead worker", () => {
  it("releases its claims, marks its sends in flight unknown, and leaves a live worker's send alone", async () => {
    const shop = await makeShop(db, { installedAt: clock.now() });
    const flow = await makeFlow(db, shop, { key: "thank_you", trigger: "placed" });
    const claimed = await message(shop.id, flow.id, 1, "scheduled", "dead-worker");
    const inFlight = await message(shop.id, flow.id, 2, "sending", "dead-worker");
    const live = await message(shop.id, flow.id, 3, "sending", "live-worker");
    const beat = { hostname: "h", pid: 1, startedAt: clock.now(), beatAt: clock.now() };
    await db.workerHeartbeat.create({ data: { ...beat, id: "dead-worker", queueWorkerId: "pool-dead", aliveAt: new Date(Date.now() - 60_000) } });
    await db.workerHeartbeat.create({ data: { ...beat, id: "live-worker", queueWorkerId: "pool-live" } });

    // The sandbox's clock jumps a week: no lease runs on it, so nothing is taken for abandoned.
    clock.advance(7 * 24 * 3_600_000);
    expect(await markAbandonedSends(db, clock)).toBe(0);

    const logged: string[] = [];
    expect(await recoverDeadWorkers(db, clock, (e) => logged.push(e.msg))).toBe(1);
    const after = async (id: string) => db.message.findUniqueOrThrow({ where: { id }, include: { events: true } });
    expect(await after(claimed.id)).toMatchObject({ status: "scheduled", lockedBy: null, lockedUntil: null });
    const unknown = await after(inFlight.id);
    expect(unknown).toMatchObject({ status: "unknown", lockedBy: null });
    expect(unknown.events.map((e) => e.status)).toEqual(["unknown"]);
    expect(await after(live.id)).toMatchObject({ status: "sending", lockedBy: "live-worker" });
    expect(logged).toEqual(["released the jobs of a stopped worker"]);
    expect((await db.workerHeartbeat.findUniqueOrThrow({ where: { id: "dead-worker" } })).recoveredAt).not.toBeNull();
    expect(await recoverDeadWorkers(db, clock, () => {})).toBe(0); // once
  });
});
