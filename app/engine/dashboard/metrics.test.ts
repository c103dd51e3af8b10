// Every figure of the dashboard on a small data set computed by hand (see the comments), through
// both ways of getting at it: the rollups the page reads, and the scan of raw rows.
import { describe, expect, it } from "vitest";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { clock, seedHandComputed } from "../../../tests/support/dashboard-data-set";
import { makeFlow, makeMessage, makeOrder, makeShop } from "../../../tests/support/factories";
import { attributeOrder } from "../messages/attribution";
import { transition } from "../messages/ledger";
import { orderFiguresChanged } from "./customer-stats";
import { dashboardData, rollupFigures } from "./read";
import { rebuildAllDirty, rebuildShop } from "./rollups";
import { scanFigures } from "./scan";
import type { DashboardFigures } from "./types";
import type { Message, Shop } from "@prisma/client";

let t: TempDb;
let metricsShop: Shop;
let journeyShop: Shop;
useTempDb("dashboard-metrics", async (temp) => {
  t = temp;
  metricsShop = await seedHandComputed(temp.db);
  journeyShop = await makeShop(temp.db, { domain: "journeys.myshopify.com", installedAt: new Date("2026-06-01T00:00:00Z") });
});

function expectHandComputed(f: DashboardFigures) {
  expect(f.period).toEqual({ key: "30d", from: "2026-10-24", to: "2026-11-22", days: 30 });
  // Orders in the period: A1, A2 (net 30), B1, C1, C2, F2 → 100 + 30 + 80 + 60 + 40 + 100.
  expect(f.orders.count).toBe(6);
  expect(f.orders.revenueCents).toBe(41000);
  expect(f.orders.series).toHaveLength(30);
  expect(f.orders.series.find((p) => p.day === "2026-11-04")).toEqual({ day: "2026-11-04", orders: 1, revenueCents: 3000, newCustomers: 0 });
  expect(f.orders.series.find((p) => p.day === "2026-10-25")).toEqual({ day: "2026-10-25", orders: 1, revenueCents: 10000, newCustomers: 1 });
  // New in the period: A, B, C; A and C ordered again (gaps 10 and 20 days).
  expect(f.customers).toEqual({ newCustomers: 3, repeatRate: { numerator: 2, denominator: 3, rate: 2 / 3 }, medianDaysToSecondOrder: 15 });

  expect(f.cohorts.map((c) => c.month)).toEqual([
    "2025-12",
    "2026-01",
    "2026-02",
    "2026-03",
    "2026-04",
    "2026-05",
    "2026-06",
    "2026-07",
    "2026-08",
    "2026-09",
    "2026-10",
    "2026-11",
  ]);
  const cohort = (m: string) => f.cohorts.find((c) => c.month === m)!;
  expect(cohort("2026-10")).toEqual({
    month: "2026-10",
    customers: 2,
    within30: 0.5,
    within60: 0.5,
    within90: 0.5,
    revenue90PerCustomerCents: 10500,
    maturing: { d30: true, d60: true, d90: true },
  });
  expect(cohort("2026-11")).toMatchObject({ customers: 1, within30: 1, within90: 1, revenue90PerCustomerCents: 10000 });
  expect(cohort("2026-09")).toEqual({
    month: "2026-09",
    customers: 1,
    within30: 0,
    within60: 0,
    within90: 1,
    revenue90PerCustomerCents: 30000,
    maturing: { d30: false, d60: true, d90: true },
  });
  expect(cohort("2026-06")).toEqual({
    month: "2026-06",
    customers: 1,
    within30: 0,
    within60: 0,
    within90: 0,
    revenue90PerCustomerCents: 7000,
    maturing: { d30: false, d60: false, d90: false },
  });
  expect(cohort("2026-01")).toMatchObject({ customers: 0, within30: null, revenue90PerCustomerCents: null });

  const thankYou = f.flows.find((x) => x.key === "thank_you")!;
  expect(thankYou).toMatchObject({
    scheduled: 5,
    sent: 2,
    heldOut: 1,
    skipped: 2,
    clicks: 3,
    attributedOrders: 1,
    attributedRevenueCents: 5000,
    holdoutPercent: 10,
  });
  expect(thankYou.skipReasons).toEqual([
    { reason: "conditions: first order only", count: 1 },
    { reason: "missed: was due …, before the order reached Trustloop", count: 1 },
  ]);
  expect(thankYou.lift).toEqual({ treated: { n: 2, repeat: 2 }, holdout: { n: 1, repeat: 0 }, difference: null, ci: null, verdict: "not_enough_data" });
  expect(f.reviews).toEqual({ requestsSent: 2, submitted: 1, rate: 0.5, averageRating: 4 });
  expect(f.delays.incidents).toBe(2);
  expect(f.delays.noticesSent).toBe(1);
  expect(f.delays.byCause).toEqual([
    { cause: "late_in_transit", count: 1 },
    { cause: "not_shipped", count: 1 },
  ]);
  expect(f.delays.byCarrier).toEqual([
    { carrier: "not shipped yet", count: 1 },
    { carrier: "UPS", count: 1 },
  ]);
  expect(f.nps).toEqual({ responses: 4, promoters: 2, passives: 1, detractors: 1, score: 25, distribution: [0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1] });
  expect(f.codes).toEqual([
    { purpose: "apology", issued: 1, redeemed: 1, redeemedRevenueCents: 4500 },
    { purpose: "reward", issued: 1, redeemed: 0, redeemedRevenueCents: 0 },
  ]);
  expect(f.loyalty).toEqual({ issued: 125, pending: 50, redeemed: 500 });
  expect(f.offers).toEqual({ shown: 2, clicked: 1, converted: 1, revenueCents: 3000 });
}

describe("dashboard figures on a hand-computed data set", () => {
  it("the rollups give every figure", async () => {
    expectHandComputed(await rollupFigures(t.db, clock, metricsShop, "30d"));
  });

  it("the scan of raw rows gives the same figures", async () => {
    expectHandComputed(await scanFigures(t.db, clock, metricsShop, "30d"));
  });

  it("a longer period takes in older rows", async () => {
    const year = await rollupFigures(t.db, clock, metricsShop, "365d");
    expect(year.orders.count).toBe(8); // + F1, G1
    expect(year.customers.newCustomers).toBe(5); // + F, G
    expect(year.customers.medianDaysToSecondOrder).toBe(20); // gaps 10, 20, 75
    expect(year.nps.responses).toBe(5);
    expect(year.reviews.averageRating).toBe(2.5);
    expect(year).toEqual(await scanFigures(t.db, clock, metricsShop, "365d"));
  });

  it("the loader data carries the checklist and nothing pending", async () => {
    const data = await dashboardData(t.db, clock, "metrics.myshopify.com", "30d");
    expect(data!.pendingDays).toBe(0);
    expect(data!.checklist.map((c) => [c.key, c.done])).toEqual([
      ["sender", false],
      ["flows", false],
      ["extension", false],
      ["history", false],
    ]);
    expect(await dashboardData(t.db, clock, "unknown.myshopify.com", "30d")).toBeNull();
    const other = await dashboardData(t.db, clock, "other.myshopify.com", "30d");
    expect(other!.figures).toMatchObject({ orders: { count: 1, revenueCents: 99900 }, customers: { newCustomers: 1 }, nps: { responses: 1, detractors: 1 } });
  });
});

describe("a journey on the dashboard", () => {
  const day = (d: string) => new Date(`2026-11-${d}T10:00:00Z`);
  let journeyId: string;
  let late: Message; // S's step 1, not sent yet

  /** A journey of two steps (and a removed one) with 50 % held out, four customers, a preset beside it. */
  async function seedJourney() {
    const db = t.db;
    const shop = journeyShop;
    const journey = await db.journey.create({
      data: { shopId: shop.id, name: "Espresso onboarding", trigger: "order_placed", category: "service", holdoutPercent: 50, status: "active" },
    });
    journeyId = journey.id;
    const step = (n: number | null, key: string) =>
      makeFlow(db, shop, { key: `journey:${journey.id}:${key}`, journeyId: journey.id, journeyStep: n, holdoutPercent: 50 });
    const [s1, s2, removed] = [await step(1, "1"), await step(2, "2"), await step(null, "removed-1")];
    const preset = await makeFlow(db, shop, { key: "thank_you" });
    const order = async (name: string, gid: string, at: Date) => {
      const o = await makeOrder(db, shop, {
        shopifyId: `gid://shopify/Order/${name}`,
        customer: null,
        customerShopifyId: gid,
        email: `${name}@example.com`,
        totalCents: 4000,
        placedAt: at,
      });
      await orderFiguresChanged(db, shop.id, o.id);
      return o;
    };
    const message = (
      flow: { id: string; shopId: string },
      orderId: string,
      gid: string,
      at: Date,
      status: Message["status"],
      reason: string | null = null,
      step = "main",
    ) => makeMessage(db, flow, { orderId, customerShopifyId: gid, status, reason, at, step });
    // P: both steps sent, ordered again → one treated customer who came back (not two).
    const [P, Q, R, S] = ["P", "Q", "R", "S"].map((c) => `gid://shopify/Customer/${c.charCodeAt(0)}`);
    const p1 = await order("P1", P, day("01"));
    const pStep1 = await message(s1, p1.id, P, day("01"), "sent");
    const pStep2 = await message(s2, p1.id, P, day("01"), "sent");
    // Q: held out of every step; their ledger rows name an occasion (as an anniversary's or a tier's do), which counts like "main".
    const q1 = await order("Q1", Q, day("02"));
    await message(s1, q1.id, Q, day("02"), "held_out", "holdout group (50 %)", "year 1");
    await message(s2, q1.id, Q, day("02"), "held_out", "holdout group (50 %)", "year 1");
    // R: step 1 and the removed step sent, step 2 skipped.
    const r1 = await order("R1", R, day("03"));
    await message(s1, r1.id, R, day("03"), "sent");
    await message(removed, r1.id, R, day("03"), "sent");
    await message(s2, r1.id, R, day("03"), "skipped", "quiet hours");
    await message(preset, r1.id, R, day("03"), "sent");
    // S: step 2 went out first (on the 6th); step 1 (planned the 5th) is still to go.
    const s1Order = await order("S1", S, day("05"));
    late = await message(s1, s1Order.id, S, day("05"), "scheduled");
    await message(s2, s1Order.id, S, day("06"), "sent");
    // P clicks in both steps, then orders again: the order is credited once, to the latest click.
    for (const [m, minute] of [
      [pStep1, 1],
      [pStep2, 2],
    ] as const)
      await db.linkClick.create({
        data: { shopId: shop.id, messageId: m.id, url: "https://shop.example/", clickedAt: new Date(day("09").getTime() + minute * 60_000) },
      });
    const p2 = await order("P2", P, day("10"));
    expect(await db.$transaction((tx) => attributeOrder(tx, p2.id))).toMatchObject({ messageId: pStep2.id, flowId: s2.id, revenueCents: 4000 });
    expect(await db.$transaction((tx) => attributeOrder(tx, p2.id))).toBeNull();
    await rebuildShop(db, shop, "2026-06-01", "2026-11-22");
  }

  it("shows the journey as one line beside the presets, its steps summed and its lift over the whole journey", async () => {
    await seedJourney();
    const figures = await rollupFigures(t.db, clock, journeyShop, "30d");
    expect(figures.flows.map((f) => f.key)).toEqual(["thank_you", `journey:${journeyId}`]);
    expect(figures.flows[1]).toMatchObject({
      name: "Espresso onboarding",
      journeyId,
      enabled: true,
      holdoutPercent: 50,
      scheduled: 9,
      sent: 5,
      heldOut: 2,
      skipped: 1,
      skipReasons: [{ reason: "quiet hours", count: 1 }],
      clicks: 2,
      attributedOrders: 1,
      attributedRevenueCents: 4000,
    });
    // P, R and S treated (each once, whatever their steps), P came back; Q held out.
    expect(figures.flows[1].lift).toMatchObject({ treated: { n: 3, repeat: 1 }, holdout: { n: 1, repeat: 0 }, verdict: "not_enough_data" });
    expect(figures).toEqual(await scanFigures(t.db, clock, journeyShop, "30d"));
  });

  it("an earlier step sent after a later one moves the customer's exposure to it, and the rollups follow", async () => {
    await transition(t.db, clock, late, { from: ["scheduled"], to: "sent", data: { sentAt: clock.now() } });
    await rebuildAllDirty(t.db);
    const figures = await rollupFigures(t.db, clock, journeyShop, "30d");
    expect(figures).toEqual(await scanFigures(t.db, clock, journeyShop, "30d"));
    expect(figures.flows[1].lift.treated).toEqual({ n: 3, repeat: 1 });
    const liftDays = await t.db.dailyRollup.findMany({
      where: { shopId: journeyShop.id, metric: "lift.n", dim: { startsWith: journeyId } },
      orderBy: { day: "asc" },
    });
    expect(liftDays.map((r) => [r.day, r.value])).toEqual([
      ["2026-11-01", 1],
      ["2026-11-02", 1],
      ["2026-11-03", 1],
      ["2026-11-05", 1],
    ]);
  });
});
