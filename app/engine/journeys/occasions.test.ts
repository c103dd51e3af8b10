// Anniversary, tier and win-back journeys against a real PostgreSQL database: who has an
// anniversary when, the sweep planning each year once, history on activation, the entry preview.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeOrder, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { activateJourney } from "./activate";
import { planJourneyHistory } from "./history";
import { anniversariesBetween, anniversaryAt, planAnniversaries } from "./occasions";
import { journeyPreview } from "./preview";
import { reorderStopReason } from "./reorder";
import { saveJourney } from "./save";

let db: Db;
let shop: Shop;
const DAY = 86_400_000;
const NOW = new Date("2026-11-22T15:00:00Z");
const at = (iso: string) => new Date(iso);

useTempDb("journey_occasions", async (created) => {
  db = created.db;
  shop = await makeShop(db, { domain: "occasions.myshopify.com", timezone: "Europe/Paris" });
});

const step = (waitValue: number, subject: string) => ({ waitValue, waitUnit: "days", sendAtLocalTime: "10:00", subject, body: "Hi" });
async function journey(trigger: string, steps: ReturnType<typeof step>[], extra: object = {}) {
  const saved = await saveJourney(db, new ManualClock(NOW), shop, null, {
    name: trigger,
    trigger,
    category: "service",
    stopOnReorder: "false",
    steps,
    ...extra,
  });
  if (!saved.ok) throw new Error(`not saved: ${JSON.stringify(saved)}`);
  return saved.journey;
}
const customerOf = async (order: { customerShopifyId: string | null }) => ({
  customer: await db.customer.findFirstOrThrow({ where: { shopifyId: order.customerShopifyId! } }),
});

describe("anniversaryAt", () => {
  it("is the start of the anniversary's local day; 29 February falls on the 28th in other years", () => {
    expect(anniversaryAt(at("2025-03-10T22:30:00Z"), 1, "Europe/Paris").toISOString()).toBe("2026-03-09T23:00:00.000Z"); // 10 March, Paris midnight
    expect(anniversaryAt(at("2024-02-29T12:00:00Z"), 1, "UTC").toISOString()).toBe("2025-02-28T00:00:00.000Z");
    expect(anniversaryAt(at("2024-02-29T12:00:00Z"), 4, "UTC").toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });
});

describe("anniversaries", () => {
  it("finds the first kept order of each customer whose anniversary starts in the window, any year", async () => {
    const first = await makeOrder(db, shop, { placedAt: at("2025-11-23T09:00:00Z") }); // 1 year on 23 Nov
    await makeOrder(db, shop, { ...(await customerOf(first)), placedAt: at("2025-12-01T09:00:00Z") }); // not the first
    const cancelled = await makeOrder(db, shop, { placedAt: at("2024-11-20T09:00:00Z"), cancelledAt: at("2024-11-21T09:00:00Z") });
    const kept = await makeOrder(db, shop, { ...(await customerOf(cancelled)), placedAt: at("2024-11-24T09:00:00Z") }); // 2 years on 24 Nov
    await makeOrder(db, shop, { placedAt: at("2025-11-30T09:00:00Z") }); // outside the window

    const found = await anniversariesBetween(db, shop, new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + 2 * DAY));
    expect(found.map((f) => [f.order.id, f.years, f.anchorAt.toISOString()])).toEqual([
      [first.id, 1, "2026-11-22T23:00:00.000Z"],
      [kept.id, 2, "2026-11-23T23:00:00.000Z"],
    ]);
  });

  it("plans each anniversary's steps once, only after the journey's activation, and history only when asked", async () => {
    const clock = new ManualClock(NOW);
    const early = await makeOrder(db, shop, { placedAt: at("2025-11-22T10:00:00Z"), shipCountry: "FR" }); // its anniversary began this morning
    const soon = await makeOrder(db, shop, { placedAt: at("2025-11-23T12:00:00Z"), shipCountry: "FR" });
    const j = await journey("anniversary", [step(0, "Happy anniversary"), step(3, "Three days on")]);
    await activateJourney(db, clock, shop, j.id, { sendHistory: false });
    const rows = () => db.message.findMany({ where: { flow: { journeyId: j.id } }, include: { flow: true }, orderBy: [{ orderId: "asc" }, { dueAt: "asc" }] });

    expect(await planAnniversaries(db, clock, shop)).toBeGreaterThanOrEqual(2);
    expect(await planAnniversaries(db, clock, shop)).toBe(0); // again: nothing twice
    const mine = (await rows()).filter((m) => m.orderId === soon.id || m.orderId === early.id);
    expect(mine.map((m) => [m.orderId, m.step, m.flow.journeyStep, m.dueAt.toISOString()])).toEqual([
      [soon.id, "year 1", 1, "2026-11-23T09:00:00.000Z"],
      [soon.id, "year 1", 2, "2026-11-26T09:00:00.000Z"],
    ]); // the anniversary that began before the activation is not in

    await db.journey.update({ where: { id: j.id }, data: { status: "paused" } });
    await activateJourney(db, clock, shop, j.id, { sendHistory: true });
    await planJourneyHistory(db, clock, j.id);
    const history = (await rows()).filter((m) => m.orderId === early.id);
    expect(history.map((m) => [m.step, m.flow.journeyStep, m.status])).toEqual([["year 1", 2, "scheduled"]]); // its first step was due already
  });
});

describe("win-back", () => {
  it("takes in history only for each customer's last order, and counts from it", async () => {
    const clock = new ManualClock(NOW);
    const older = await makeOrder(db, shop, { placedAt: new Date(NOW.getTime() - 50 * DAY), shipCountry: "DE" });
    const last = await makeOrder(db, shop, { ...(await customerOf(older)), placedAt: new Date(NOW.getTime() - 40 * DAY), shipCountry: "DE" });
    const j = await journey("win_back", [step(0, "We miss you")], { quietDays: "45", countries: "DE" });
    expect(await journeyPreview(db, clock, shop, j.id)).toMatchObject({ customers: 1, orders: 1, dueNext7Days: 1 });
    await activateJourney(db, clock, shop, j.id, { sendHistory: true });
    await planJourneyHistory(db, clock, j.id);
    const planned = await db.message.findMany({ where: { flow: { journeyId: j.id } } });
    expect(planned.map((m) => [m.orderId, m.anchor, Math.floor((m.dueAt.getTime() - last.placedAt!.getTime()) / DAY)])).toEqual([[last.id, "last_order", 45]]);
  });
});

describe("tier journeys", () => {
  it("preview the members in the tier now; stop on reorder counts from the occasion, not the order", async () => {
    const clock = new ManualClock(NOW);
    const order = await makeOrder(db, shop, { placedAt: new Date(NOW.getTime() - 30 * DAY) });
    await db.loyaltyMember.createMany({
      data: ["Gold", "Gold", "Silver"].map((tier, i) => ({ shopId: shop.id, email: `member${i}@example.com`, tier, enrolledAt: NOW })),
    });
    const gold = await journey("tier_reached", [step(1, "Welcome to Gold")], { tierName: "Gold", stopOnReorder: "true" });
    expect(await journeyPreview(db, clock, shop, gold.id)).toMatchObject({
      customers: 2,
      orders: 0,
      dueNext7Days: 0,
      basis: "members in the Gold tier now",
      historyPossible: false,
    });

    await makeOrder(db, shop, { ...(await customerOf(order)), placedAt: new Date(NOW.getTime() - 10 * DAY) });
    const flow = { journeyId: gold.id };
    expect(await reorderStopReason(db, flow, order)).toBe("customer ordered again");
    expect(await reorderStopReason(db, flow, order, new Date(NOW.getTime() - 5 * DAY))).toBeNull(); // tier reached after that order
  });
});
