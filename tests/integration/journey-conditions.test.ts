// Journey entry conditions through the real server and worker: vendor and consent are checked when a
// step is planned and again before it is sent; collections are looked up in the Admin API before sending.
import { describe, expect, it } from "vitest";
import type { Journey } from "@prisma/client";
import { postAdminAction } from "../support/admin-actions";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;

useStack({ install: true, workers: 1 }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});

const post = (pathname: string, fields: Record<string, string>) => postAdminAction(stack.appUrl, pathname, fields, shop);
const productTitled = (title: string) => {
  const found = stack.services.emulator.shop(shop).products.find((p) => p.title === title);
  if (!found) throw new Error(`no ${title} in the demo shop`);
  return found;
};
const buy = (email: string, title: string, marketingConsent: boolean) =>
  stack.place({ email, firstName: "Ana", country: "FR", marketingConsent, lineItems: [{ productId: productTitled(title).id }] });

/** A one-step journey (order placed, the next day at 10:00) saved through the builder's form and activated. */
async function activeJourney(name: string, subject: string, conditions: Record<string, string>): Promise<Journey> {
  const { status } = await post("/app/journeys/new", {
    intent: "save",
    name,
    trigger: "order_placed",
    category: "service",
    holdoutPercent: "0",
    stopOnReorder: "false",
    ...conditions,
    "steps.0.waitValue": "1",
    "steps.0.waitUnit": "days",
    "steps.0.sendAtLocalTime": "10:00",
    "steps.0.subject": subject,
    "steps.0.body": "Hi {{ customer.first_name }}",
  });
  expect(status).toBeLessThan(400);
  const journey = await stack.db.journey.findFirstOrThrow({ where: { name, shop: { domain: shop } } });
  expect((await post(`/app/journeys/${journey.id}`, { intent: "activate", sendHistory: "false" })).status).toBe(200);
  return journey;
}

/** The journey's message to `email`, once planned. */
async function stepMessage(journey: Pick<Journey, "id">, email: string) {
  const where = { recipient: email, flow: { journeyId: journey.id } };
  await expect.poll(() => stack.db.message.count({ where }), { timeout: 20_000 }).toBe(1);
  return stack.db.message.findFirstOrThrow({ where });
}
const outcome = async (id: string) => {
  const m = await stack.db.message.findUniqueOrThrow({ where: { id } });
  return [m.status, m.reason];
};
/** Moves the sandbox clock just past the messages' due times and waits for the worker's verdicts. */
async function whenDue(messages: { id: string; dueAt: Date }[], expected: [string, string | null][]) {
  await stack.advanceTo(new Date(Math.max(...messages.map((m) => m.dueAt.getTime())) + 60_000));
  await expect.poll(() => Promise.all(messages.map((m) => outcome(m.id))), { timeout: 20_000 }).toEqual(expected);
}

describe("a journey for one vendor's products, subscribers only", () => {
  const subject = "Your Brewline machine";
  let journey: Journey;

  it("saves the conditions from the builder's fields", async () => {
    journey = await activeJourney("Brewline owners", subject, { vendors: "brewline", subscribed: "true" });
    expect(journey.conditions).toMatchObject({ vendors: ["brewline"], subscribed: true });
  });

  it("sends the step to a subscriber who bought from the vendor", async () => {
    const email = "ana.brewline@example.com";
    const placed = await buy(email, "Compact Espresso Machine", true);
    const message = await stepMessage(journey, email);
    expect([message.status, message.reason]).toEqual(["scheduled", null]);
    const items = await stack.db.lineItem.findMany({ where: { order: { shopifyId: `gid://shopify/Order/${placed.orderId}` } } });
    expect(items.map((li) => li.vendor)).toEqual(["Brewline"]);
    // The builder offers the products the mirrored orders contain.
    const productId = `gid://shopify/Product/${productTitled("Compact Espresso Machine").id}`;
    expect(await stack.adminPage(`/app/journeys/${journey.id}`)).toContain(productId);
    await whenDue([message], [["sent", null]]);
    expect(stack.mailsTo(email, subject)).toHaveLength(1);
  });

  it("skips another vendor's product and a customer who is not subscribed, with the reason", async () => {
    await buy("sam.socks@example.com", "Merino Trail Socks", true);
    const socks = await stepMessage(journey, "sam.socks@example.com");
    expect([socks.status, socks.reason]).toEqual(["skipped", "conditions: no product from the vendors"]);
    const email = "noa.quiet@example.com";
    await buy(email, "Compact Espresso Machine", false);
    const quiet = await stepMessage(journey, email);
    expect([quiet.status, quiet.reason]).toEqual(["skipped", "conditions: customer not subscribed to email marketing"]);
    await stack.advance(2 * 86_400);
    await stack.idle();
    expect([...stack.mailsTo("sam.socks@example.com", subject), ...stack.mailsTo(email, subject)]).toEqual([]);
  });

  it("skips the step at send time when consent was withdrawn after the order", async () => {
    const email = "lou.unsubscribes@example.com";
    await buy(email, "Compact Espresso Machine", true);
    const message = await stepMessage(journey, email);
    expect([message.status, message.reason]).toEqual(["scheduled", null]);
    // The customer unsubscribes in Shopify; no webhook tells Trustloop, the re-check before sending asks.
    const customer = stack.services.emulator.shop(shop).customers.find((c) => c.email === email);
    if (!customer) throw new Error("the order's customer is missing");
    customer.marketingState = "UNSUBSCRIBED";
    await whenDue([message], [["skipped", "conditions no longer met: customer not subscribed to email marketing"]]);
    expect(stack.mailsTo(email, subject)).toEqual([]);
  });
});

describe("a journey for a collection", () => {
  it("looks the products' collections up before sending: a mug in Kitchen gets the step, socks do not", async () => {
    const subject = "For your kitchen";
    const journey = await activeJourney("Kitchen", subject, { collections: "Kitchen" });
    await buy("kim.mug@example.com", "Enamel Camp Mug", false);
    await buy("ivo.socks@example.com", "Merino Trail Socks", false);
    const [mug, socks] = [await stepMessage(journey, "kim.mug@example.com"), await stepMessage(journey, "ivo.socks@example.com")];
    // Collections are not mirrored: both are planned, and checked when due.
    expect([mug.status, socks.status]).toEqual(["scheduled", "scheduled"]);
    await whenDue(
      [mug, socks],
      [
        ["sent", null],
        ["skipped", "conditions no longer met: no product in the collections"],
      ],
    );
    expect(stack.mailsTo("kim.mug@example.com", subject)).toHaveLength(1);
    expect(stack.mailsTo("ivo.socks@example.com", subject)).toEqual([]);
  });
});
