// Saving, activating (with and without history), previewing and pausing a journey against a real
// PostgreSQL database.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeMessage, makeOrder, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { activateJourney, JOURNEY_PAUSED_REASON, pauseJourney } from "./activate";
import { createExampleJourney } from "./examples";
import { planJourneyHistory } from "./history";
import { journeyPreview } from "./preview";
import { ORDERED_AGAIN_REASON, reorderStopReason } from "./reorder";
import { saveJourney, STEP_REMOVED_REASON } from "./save";

let db: Db;
let shop: Shop;
let other: Shop;
const DAY = 86_400_000;
const clock = new ManualClock(new Date("2026-11-22T15:00:00Z"));
const daysAgo = (d: number) => new Date(clock.now().getTime() - d * DAY);

useTempDb("journeys", async (created) => {
  db = created.db;
  shop = await makeShop(db, { domain: "journeys.myshopify.com", timezone: "Europe/Paris" });
  other = await makeShop(db, { domain: "other-journeys.myshopify.com" });
});

const step = (waitValue: number, subject: string) => ({ waitValue, waitUnit: "days", sendAtLocalTime: "", subject, body: "Hi {{ customer.first_name }}" });
const input = (steps: ReturnType<typeof step>[], extra: object = {}) => ({
  name: "Follow-up",
  trigger: "order_placed",
  category: "service",
  stopOnReorder: true,
  countries: "FR",
  steps,
  ...extra,
});
const stepsOf = (journeyId: string) => db.flow.findMany({ where: { journeyId }, orderBy: { createdAt: "asc" } });

describe("saveJourney", () => {
  it("writes the steps as flows, matched by id; a removed step is kept disabled only when it has messages", async () => {
    const saved = await saveJourney(db, clock, shop, null, input([step(1, "One"), step(7, "Seven"), step(30, "Thirty")]));
    if (!saved.ok) throw new Error("not saved");
    const id = saved.journey.id;
    const [one, seven, thirty] = await stepsOf(id);
    expect([one, seven, thirty].map((f) => [f.key, f.name, f.trigger, f.delayMinutes, f.enabled])).toEqual([
      [`journey:${id}:1`, "Follow-up · step 1", "order_created", 1440, false],
      [`journey:${id}:2`, "Follow-up · step 2", "order_created", 7 * 1440, false],
      [`journey:${id}:3`, "Follow-up · step 3", "order_created", 30 * 1440, false],
    ]);
    const waitingOne = await makeMessage(db, one, { status: "scheduled" });
    const waitingSeven = await makeMessage(db, seven, { status: "scheduled" });

    // The merchant removes the first step, moves "Seven" to day 8 and adds a step at the end.
    const edited = [{ ...step(8, "Seven"), id: seven.id }, { ...step(30, "Thirty"), id: thirty.id }, step(60, "Sixty")];
    expect((await saveJourney(db, clock, shop, id, input(edited))).ok).toBe(true);
    const after = await db.flow.findMany({ where: { journeyId: id }, orderBy: { createdAt: "asc" } });
    expect(after.map((f) => [f.id, f.key, f.journeyStep, f.subject, f.delayMinutes / 1440])).toEqual([
      [one.id, one.key, null, "One", 1], // kept, disabled, its key unchanged: it has a message
      [seven.id, seven.key, 1, "Seven", 8],
      [thirty.id, thirty.key, 2, "Thirty", 30],
      [expect.any(String), `journey:${id}:4`, 3, "Sixty", 60], // a new number, never a removed step's
    ]);
    expect(await db.message.findUniqueOrThrow({ where: { id: waitingOne.id } })).toMatchObject({ status: "cancelled", reason: STEP_REMOVED_REASON });
    // "Seven"'s waiting message stays Seven's, re-timed with it.
    expect(await db.message.findUniqueOrThrow({ where: { id: waitingSeven.id } })).toMatchObject({ status: "scheduled", flowId: seven.id });

    // Dropping the new step again deletes it (no messages); an id that is not this journey's step is a new step.
    const foreign = await saveJourney(db, clock, shop, null, input([step(1, "Elsewhere")], { name: "Other" }));
    if (!foreign.ok) throw new Error("not saved");
    const [foreignStep] = await stepsOf(foreign.journey.id);
    const again = [
      { ...step(8, "Seven"), id: seven.id },
      { ...step(2, "Taken over?"), id: foreignStep.id },
    ];
    expect((await saveJourney(db, clock, shop, id, input(again))).ok).toBe(true);
    expect((await stepsOf(id)).filter((f) => f.journeyStep !== null).map((f) => [f.subject, f.key])).toEqual([
      ["Seven", seven.key],
      ["Taken over?", `journey:${id}:5`],
    ]);
    expect(await db.flow.findUniqueOrThrow({ where: { id: foreignStep.id } })).toMatchObject({ subject: "Elsewhere", journeyId: foreign.journey.id });
  });

  it("saves nothing when a field or a template is invalid, and not another shop's journey", async () => {
    const before = await db.journey.count();
    expect(await saveJourney(db, clock, shop, null, input([step(1, "{% if x %}")]))).toMatchObject({
      ok: false,
      errors: { "steps.0.subject": expect.any(String) },
    });
    expect(await saveJourney(db, clock, shop, null, input([step(200, "Late")]))).toMatchObject({
      ok: false,
      errors: { "steps.0.waitValue": expect.any(String) },
    });
    const mine = await saveJourney(db, clock, shop, null, input([step(1, "One")]));
    if (!mine.ok) throw new Error("not saved");
    expect(await saveJourney(db, clock, other, mine.journey.id, input([step(1, "Mine now")]))).toEqual({ ok: false, notFound: true });
    expect(await db.journey.count()).toBe(before + 1);
  });
});

describe("activation, preview and pause", () => {
  it("counts who would enter, plans history only for steps still ahead, and cancels what waits on pause", async () => {
    const saved = await saveJourney(db, clock, shop, null, input([step(1, "One"), step(7, "Seven")], { name: "History" }));
    if (!saved.ok) throw new Error("not saved");
    const id = saved.journey.id;
    await makeOrder(db, shop, { placedAt: daysAgo(3), shipCountry: "FR" }); // step 1 passed, step 2 ahead (in 4 days)
    await makeOrder(db, shop, { placedAt: daysAgo(10), shipCountry: "FR" }); // both passed
    await makeOrder(db, shop, { placedAt: daysAgo(2), shipCountry: "US" }); // another country
    await makeOrder(db, shop, { placedAt: daysAgo(200), shipCountry: "FR" }); // outside the preview's window

    expect(await journeyPreview(db, clock, shop, id)).toEqual({
      customers: 2,
      orders: 2,
      dueNext7Days: 1,
      basis: "orders whose trigger happened in the last 68 days, each customer's last",
      historyPossible: true,
      productTagsUnchecked: false,
    });
    expect(await journeyPreview(db, clock, other, id)).toBeNull();

    const activated = await activateJourney(db, clock, shop, id, { sendHistory: true });
    expect(activated?.historyQueued).toBe(true);
    expect(await db.message.count({ where: { flow: { journeyId: id } } })).toBe(0); // planned by the job, after the activation commits
    expect(await planJourneyHistory(db, clock, id)).toBe(1);
    expect(await planJourneyHistory(db, clock, id)).toBe(0); // again (a retried job): nothing twice
    const messages = await db.message.findMany({ where: { flow: { journeyId: id } }, include: { flow: true } });
    expect(messages.map((m) => [m.flow.journeyStep, m.status])).toEqual([[2, "scheduled"]]); // no "missed" rows
    expect((await stepsOf(id)).every((f) => f.enabled)).toBe(true);

    expect(await pauseJourney(db, clock, other, id)).toBeNull();
    await pauseJourney(db, clock, shop, id);
    expect(await db.message.findFirstOrThrow({ where: { flow: { journeyId: id } } })).toMatchObject({ status: "cancelled", reason: JOURNEY_PAUSED_REASON });
    expect((await stepsOf(id)).some((f) => f.enabled)).toBe(false);
  });

  it("counts entry by vendor from the mirror and by collection through the product lookup", async () => {
    const saved = await saveJourney(db, clock, shop, null, input([step(1, "One")], { name: "Brewline", vendors: "brewline", collections: "Coffee machines" }));
    if (!saved.ok) throw new Error("not saved");
    const machine = "gid://shopify/Product/71";
    await makeOrder(db, shop, { placedAt: daysAgo(1), lineItems: [{ productId: machine, vendor: "Brewline" }] }); // enters
    await makeOrder(db, shop, { placedAt: daysAgo(1), lineItems: [{ productId: "gid://shopify/Product/72", vendor: "Brewline" }] }); // another collection
    await makeOrder(db, shop, { placedAt: daysAgo(1), lineItems: [{ productId: machine, vendor: "Acme" }] }); // another vendor
    const lookup = async (ids: string[]) =>
      new Map(ids.map((id) => [id, { tags: [], collections: id === machine ? ["coffee-machines", "Coffee machines"] : ["kitchen", "Kitchen"] }]));
    expect(await journeyPreview(db, clock, shop, saved.journey.id, lookup)).toMatchObject({ orders: 1, productTagsUnchecked: false });
    expect(await journeyPreview(db, clock, shop, saved.journey.id)).toMatchObject({ orders: 2, productTagsUnchecked: true });
  });

  it("creates the shipped examples as drafts", async () => {
    const journey = await createExampleJourney(db, clock, shop, "espresso_onboarding");
    expect(journey).toMatchObject({ status: "draft", trigger: "delivered", exampleKey: "espresso_onboarding" });
    expect((await stepsOf(journey!.id)).map((f) => [f.delayMinutes / 1440, f.sendAtLocalTime, f.fallbackDays])).toEqual([
      [1, "10:00", 10],
      [7, "10:00", 10],
      [30, "10:00", 10],
    ]);
    expect(await createExampleJourney(db, clock, shop, "nope")).toBeNull();
  });
});

describe("reorderStopReason", () => {
  it("stops a journey step once the same customer has a later order that was not cancelled", async () => {
    const saved = await saveJourney(db, clock, shop, null, input([step(1, "One")], { name: "Reorder" }));
    if (!saved.ok) throw new Error("not saved");
    const flow = { journeyId: saved.journey.id };
    const first = await makeOrder(db, shop, { placedAt: daysAgo(5) });
    const customer = { customer: await db.customer.findFirstOrThrow({ where: { shopifyId: first.customerShopifyId! } }) };
    expect(await reorderStopReason(db, flow, first)).toBeNull();
    await makeOrder(db, shop, { ...customer, placedAt: daysAgo(6) }); // earlier: not a reorder
    await makeOrder(db, shop, { ...customer, placedAt: daysAgo(1), cancelledAt: daysAgo(1) }); // cancelled
    expect(await reorderStopReason(db, flow, first)).toBeNull();
    await makeOrder(db, shop, { ...customer, placedAt: daysAgo(1) });
    expect(await reorderStopReason(db, flow, first)).toBe(ORDERED_AGAIN_REASON);
    expect(await reorderStopReason(db, { journeyId: null }, first)).toBeNull(); // a preset flow
    await db.journey.update({ where: { id: saved.journey.id }, data: { stopOnReorder: false } });
    expect(await reorderStopReason(db, flow, first)).toBeNull();
  });
});
