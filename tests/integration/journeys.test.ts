// Merchant-built journeys through the real server and worker: built and activated in the admin,
// their steps planned by the planner, checked again and sent by the worker like the presets.
import { beforeAll, describe, expect, it } from "vitest";
import type { Journey } from "@prisma/client";
import { journeyHelpers } from "../support/journeys";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
const SECOND = "second-shop.myshopify.com";
const DAY = 86_400;
const ESPRESSO = ["Setting up your new espresso machine", "Dialing in: your first great shot", "Caring for your machine: cleaning and descaling"];

useStack({ install: true, workers: 1 }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});
const { post, stepMessages, buildJourney, planned, sendDue, activate, exampleJourney } = journeyHelpers(
  () => stack,
  () => shop,
);
beforeAll(async () => {
  // Several journeys' emails to one person within days: let the cap through.
  await stack.db.shop.update({ where: { domain: shop }, data: { frequencyCapCount: 50 } });
});

const product = (tagged: boolean) => {
  const found = stack.services.emulator.shop(shop).products.find((p) => p.tags.includes("espresso-machine") === tagged);
  if (!found) throw new Error("no such product in the demo shop");
  return found;
};
const parisHour = (d: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(d);

/** A buyer in France orders one product; the order is shipped and delivered. */
async function deliveredOrder(email: string, tagged: boolean) {
  const placed = await stack.place({ email, firstName: "Léa", country: "FR", lineItems: [{ productId: product(tagged).id }] });
  const { fulfillmentId } = await stack.fulfil(placed.orderId);
  await stack.shipmentEvent(fulfillmentId, "delivered");
  // Planned in the same transaction as the delivery is mirrored.
  const delivered = { order: { shopifyId: `gid://shopify/Order/${placed.orderId}` }, deliveredAt: { not: null } };
  await expect.poll(() => stack.db.fulfillment.count({ where: delivered }), { timeout: 20_000 }).toBe(1);
  return placed;
}

describe("espresso machine onboarding (the shipped example)", () => {
  let journey: Journey;
  const before = "before.activation@example.com";

  it("is created as a draft from the example and plans nothing for orders delivered before activation", async () => {
    await deliveredOrder(before, true);
    journey = await exampleJourney("espresso_onboarding");
    expect(journey.status).toBe("draft");
    await stack.advance(5); // the delivery is seconds before the activation
    expect(await stack.db.flow.count({ where: { journeyId: journey.id, enabled: false } })).toBe(3);
    await activate(journey);
    await stack.place({ email: before, country: "FR" }); // the planner runs for the customer again
    await stack.idle();
    expect(await stepMessages(journey, before)).toEqual([]);
  });

  it("sends a tagged product's three emails at 10:00 in the recipient's zone, one each", async () => {
    const email = "lea.espresso@example.com";
    await deliveredOrder(email, true);
    const messages = await planned(journey, email, 3);
    for (const [i, message] of messages.entries()) {
      expect(message.flow.journeyStep).toBe(i + 1);
      expect(parisHour(message.dueAt)).toBe("10:00");
      await stack.idle();
      expect(stack.mailsTo(email, ESPRESSO[i])).toHaveLength(0); // not before its time
      await sendDue(message);
      await expect.poll(() => stack.mailsTo(email, ESPRESSO[i]).length, { timeout: 20_000 }).toBe(1);
    }
    const [day1, day7, day30] = messages.map((m) => (m.dueAt.getTime() - m.anchorAt.getTime()) / (DAY * 1000));
    expect([Math.floor(day1), Math.floor(day7), Math.floor(day30)]).toEqual([1, 7, 30]);
    await stack.advance(2 * DAY);
    await stack.idle();
    expect(ESPRESSO.map((s) => stack.mailsTo(email, s).length)).toEqual([1, 1, 1]);
  });

  it("sends nothing for an untagged product", async () => {
    const email = "noah.socks@example.com";
    await deliveredOrder(email, false);
    await planned(journey, email, 3); // tags are checked at send time
    await stack.advance(31 * DAY);
    await expect
      .poll(async () => (await stepMessages(journey, email)).map((m) => [m.status, m.reason]), { timeout: 20_000 })
      .toEqual(Array(3).fill(["skipped", "conditions no longer met: contains no product with the tags"]));
    expect(ESPRESSO.flatMap((s) => stack.mailsTo(email, s))).toEqual([]);
  });

  it("stops the rest when the order is refunded before day 7", async () => {
    const email = "refund.espresso@example.com";
    const placed = await deliveredOrder(email, true);
    await planned(journey, email, 3);
    await stack.advance(2 * DAY);
    await expect.poll(() => stack.mailsTo(email, ESPRESSO[0]).length, { timeout: 20_000 }).toBe(1);
    await stack.control(`/sandbox/api/orders/${placed.orderId}/refund`, {});
    await expect.poll(async () => (await stepMessages(journey, email)).map((m) => m.status), { timeout: 20_000 }).toEqual(["sent", "cancelled", "cancelled"]);
    await stack.advance(31 * DAY);
    await stack.idle();
    expect(ESPRESSO.map((s) => stack.mailsTo(email, s).length)).toEqual([1, 0, 0]);
  });
});

describe("a journey built in the admin", () => {
  let journey: Journey;

  it("refuses invalid input with field errors and saves nothing", async () => {
    const count = await stack.db.journey.count();
    const { status, data } = await post("/app/journeys/new", {
      intent: "save",
      name: "",
      trigger: "nth_order",
      category: "service",
      holdoutPercent: "0",
      "steps.0.waitValue": "200",
      "steps.0.waitUnit": "days",
      "steps.0.subject": "Hello",
      "steps.0.body": "{% if customer.first_name %}unclosed",
    });
    expect(status).toBe(200);
    expect(data?.errors).toMatchObject({
      name: "A name is required",
      orderNumber: "Which order? 2 for the second",
      "steps.0.waitValue": "At most 180 days after the trigger",
    });
    expect(await stack.db.journey.count()).toBe(count);
  });

  it("stops the remaining steps when the customer orders again", async () => {
    journey = await buildJourney("German follow-up", { countries: "DE" }, [
      ["1", "Day one in Germany"],
      ["3", "Day three in Germany"],
    ]);
    await activate(journey);
    const email = "jonas.de@example.com";
    await stack.place({ email, country: "DE" });
    const [first, third] = await planned(journey, email, 2);
    await sendDue(first);
    await expect.poll(() => stack.mailsTo(email, "Day one in Germany").length, { timeout: 20_000 }).toBe(1);
    await stack.place({ email, country: "DE" });
    await planned(journey, email, 4);
    await sendDue(third);
    await expect
      .poll(async () => (await stack.db.message.findUniqueOrThrow({ where: { id: third.id } })).reason, { timeout: 20_000 })
      .toBe("customer ordered again");
    // The second order has its own journey: its first step went out, its second waits.
    await expect.poll(() => stack.mailsTo(email, "Day one in Germany").length, { timeout: 20_000 }).toBe(2);
    expect(stack.mailsTo(email, "Day three in Germany")).toHaveLength(0);
  });

  it("sends nothing more once paused", async () => {
    expect((await post(`/app/journeys/${journey.id}`, { intent: "pause" })).status).toBe(200);
    expect(await stack.db.message.count({ where: { flow: { journeyId: journey.id }, status: { in: ["scheduled", "deferred"] } } })).toBe(0);
    expect(await stack.db.message.count({ where: { flow: { journeyId: journey.id }, reason: "journey paused" } })).toBe(1);
    const email = "mia.de@example.com";
    await stack.place({ email, country: "DE" });
    await stack.advance(4 * DAY);
    await stack.idle();
    expect(stack.mailsTo(email, "Day")).toHaveLength(0);
    expect(stack.mailsTo("jonas.de@example.com", "Day three in Germany")).toHaveLength(0);
  });

  it("fires an Nth-order journey on the second order only, once", async () => {
    const nth = await buildJourney("Second order in Britain", { trigger: "nth_order", orderNumber: "2", countries: "GB", stopOnReorder: "false" }, [
      ["0", "Thanks for coming back"],
    ]);
    await activate(nth);
    const email = "grace.gb@example.com";
    for (let i = 0; i < 3; i++) {
      await stack.place({ email, country: "GB" });
      await planned(nth, email, i + 1);
      await stack.advance(60);
    }
    const messages = await planned(nth, email, 3);
    const orders = await stack.db.order.findMany({ where: { email }, orderBy: { placedAt: "asc" } });
    expect(messages.map((m) => [m.orderId, m.status])).toEqual([
      [orders[0].id, "skipped"],
      [orders[1].id, "scheduled"],
      [orders[2].id, "skipped"],
    ]);
    await sendDue(messages[1]);
    await expect.poll(() => stack.mailsTo(email, "Thanks for coming back").length, { timeout: 20_000 }).toBe(1);
    await stack.advance(2 * DAY);
    await stack.idle();
    expect(stack.mailsTo(email, "Thanks for coming back")).toHaveLength(1);
  });

  it("holds a customer out of every step of a journey, or of none", async () => {
    const held = await buildJourney("Australian pair", { countries: "AU", holdoutPercent: "50" }, [
      ["1", "Uno"],
      ["2", "Dos"],
    ]);
    await activate(held);
    for (let i = 0; i < 8; i++) await stack.place({ email: `buyer${i}.au@example.com`, country: "AU" });
    await expect.poll(() => stack.db.message.count({ where: { flow: { journeyId: held.id } } }), { timeout: 60_000 }).toBe(16);
    const messages = await stack.db.message.findMany({ where: { flow: { journeyId: held.id } } });
    const byOrder = new Map<string, Set<boolean>>();
    for (const m of messages) byOrder.set(m.orderId!, (byOrder.get(m.orderId!) ?? new Set()).add(m.status === "held_out"));
    expect([...byOrder.values()].every((kinds) => kinds.size === 1)).toBe(true);
    expect(messages.some((m) => m.status === "held_out")).toBe(true);
    expect(messages.some((m) => m.status !== "held_out")).toBe(true);
  });

  it("keeps a step's content and switch with its journey: the step's own flow page refuses both", async () => {
    const step = await stack.db.flow.findFirstOrThrow({ where: { journeyId: journey.id, journeyStep: 1 } });
    const saved = await post(`/app/flows/${step.id}`, { intent: "save", subject: "Changed behind the journey's back", body: step.body });
    expect((saved.data as { errors?: Record<string, string> }).errors?.subject).toMatch(/step of a journey/);
    const toggled = await post(`/app/flows/${step.id}`, { intent: "toggle", enabled: String(!step.enabled) });
    expect((toggled.data as { errors?: Record<string, string> }).errors?.subject).toMatch(/step of a journey/);
    expect(await stack.db.flow.findUniqueOrThrow({ where: { id: step.id } })).toMatchObject({ subject: step.subject, enabled: step.enabled });
  });

  it("is not another shop's to read or change", async () => {
    expect((await stack.install(SECOND)).status).toBe(200);
    expect((await stack.adminGet(`/app/journeys/${journey.id}`, SECOND)).status).toBe(404);
    expect((await post(`/app/journeys/${journey.id}`, { intent: "activate", sendHistory: "false" }, SECOND)).status).toBe(404);
    expect((await stack.db.journey.findUniqueOrThrow({ where: { id: journey.id } })).status).toBe("paused");
    expect((await stack.adminGet(`/app/journeys/${journey.id}`)).status).toBe(200);
  });
});
