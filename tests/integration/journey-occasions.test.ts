// Journeys started by the customer's history rather than one order event, through the real server,
// worker and sandbox clock: the first-order anniversary (every year), the win-back after quiet days,
// and a loyalty tier reached.
import { beforeAll, describe, expect, it } from "vitest";
import { journeyHelpers } from "../support/journeys";
import type { Stack } from "../support/stack";
import { setLoyaltyTiers } from "../support/loyalty-tiers";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
const DAY = 86_400;
const { buildJourney, exampleJourney, activate, planned, sendDue, stepMessages } = journeyHelpers(
  () => stack,
  () => shop,
);

useStack({ install: true, workers: 1 }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});
beforeAll(async () => {
  await stack.db.shop.update({ where: { domain: shop }, data: { frequencyCapCount: 50 } });
});

const paris = (d: Date) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(
    d,
  );
const orderRow = (orderId: string) => stack.db.order.findFirstOrThrow({ where: { shopifyId: `gid://shopify/Order/${orderId}` } });
const statuses = async (journey: { id: string }, email: string) => (await stepMessages(journey, email)).map((m) => [m.flow.journeyStep, m.status, m.reason]);

describe("first-order anniversary (the shipped example)", () => {
  it("fires once a year on the anniversary of the first order, at 10:00 in the customer's zone", async () => {
    const journey = await exampleJourney("first_order_anniversary");
    await activate(journey);
    const email = "anna.anniversary@example.com";
    const first = await orderRow((await stack.place({ email, country: "FR", marketingConsent: true })).orderId);
    await stack.advance(20 * DAY);
    await stack.place({ email, country: "FR", marketingConsent: true }); // a later order has no anniversary of its own
    const subject = "Happy anniversary from";

    for (const year of [1, 2]) {
      const anniversary = new Date(first.placedAt!);
      anniversary.setUTCFullYear(anniversary.getUTCFullYear() + year);
      await stack.advanceTo(new Date(anniversary.getTime() - DAY * 1000)); // the sweep runs on the clock jump
      const messages = await planned(journey, email, year);
      const message = messages[year - 1];
      expect(message).toMatchObject({ step: `year ${year}`, orderId: first.id, status: "scheduled" });
      expect(paris(message.dueAt)).toBe(`${paris(anniversary).slice(0, 10)}, 10:00`);
      await stack.idle();
      expect(stack.mailsTo(email, subject)).toHaveLength(year - 1); // not before its day
      await sendDue(message);
      await expect.poll(() => stack.mailsTo(email, subject).length, { timeout: 20_000 }).toBe(year);
      await stack.advance(3 * DAY); // the sweep runs again: nothing twice
      await stack.idle();
      expect(stack.mailsTo(email, subject)).toHaveLength(year);
      expect(await stepMessages(journey, email)).toHaveLength(year);
    }
  });
});

describe("win-back", () => {
  it("fires once after the quiet days since the last order, and stops when the customer orders", async () => {
    const journey = await buildJourney("Come back after 30 days", { trigger: "win_back", quietDays: "30", stopOnReorder: "false" }, [
      ["0", "We miss you"],
      ["14", "Anything we could do better"],
    ]);
    expect(journey).toMatchObject({ quietDays: 30, stopOnReorder: true }); // a win-back always stops on a new order
    await activate(journey);
    const email = "wim.winback@example.com";
    await stack.place({ email, country: "CA" });
    await stack.advance(10 * DAY);
    await stack.place({ email, country: "CA" });
    // Ordered by anchor: the first order's two steps (day 30, 44), then the second's (day 40, 54).
    const [, , latest, latestSecond] = await planned(journey, email, 4);
    expect((latest.dueAt.getTime() - latest.anchorAt.getTime()) / (DAY * 1000)).toBeGreaterThanOrEqual(30);

    await sendDue(latest);
    await expect
      .poll(async () => (await statuses(journey, email)).slice(0, 3), { timeout: 20_000 })
      .toEqual([
        [1, "skipped", "customer ordered again"],
        [2, "scheduled", null],
        [1, "sent", null],
      ]);
    expect(stack.mailsTo(email, "We miss you")).toHaveLength(1);

    await stack.place({ email, country: "CA" }); // back before the second note
    await sendDue(latestSecond);
    await expect
      .poll(async () => (await statuses(journey, email)).slice(0, 4), { timeout: 20_000 })
      .toEqual([
        [1, "skipped", "customer ordered again"],
        [2, "skipped", "customer ordered again"],
        [1, "sent", null],
        [2, "skipped", "customer ordered again"],
      ]);
    expect(stack.mailsTo(email, "We miss you")).toHaveLength(1);
    expect(stack.mailsTo(email, "Anything we could do better")).toHaveLength(0);
  });
});

describe("loyalty tier reached (the shipped Gold example)", () => {
  it("welcomes a customer to Gold once, not for a lower tier and not again while Gold", async () => {
    await setLoyaltyTiers(stack, shop);
    const journey = await exampleJourney("gold_tier_welcome");
    await activate(journey);
    const email = "goldie@example.com";
    const order = (price: string) => stack.place({ email, country: "FR", lineItems: [{ title: "Coat", price, quantity: 1 }] });

    await order("60.00"); // Silver
    await stack.idle();
    expect(await stepMessages(journey, email)).toEqual([]);
    const gold = await orderRow((await order("200.00")).orderId);
    const [welcome] = await planned(journey, email, 1);
    expect(welcome).toMatchObject({ step: "tier Gold", orderId: gold.id, anchor: "tier_reached" });
    await sendDue(welcome);
    await expect.poll(() => stack.mailsTo(email, "Welcome to Gold").length, { timeout: 20_000 }).toBe(1);

    await order("300.00"); // still Gold
    await stack.advance(2 * 3600);
    await stack.idle();
    expect(await stepMessages(journey, email)).toHaveLength(1);
    expect(stack.mailsTo(email, "Welcome to Gold")).toHaveLength(1);
  });
});

describe("activation with past orders", () => {
  it("plans, in the worker, only the steps of past orders that are still ahead, and sends them on time", async () => {
    const journey = await buildJourney("Japanese follow-up", { countries: "JP" }, [
      ["1", "Day one in Japan"],
      ["5", "Day five in Japan"],
    ]);
    const email = "yuki.history@example.com";
    await stack.place({ email, country: "JP" });
    await stack.advance(2 * DAY); // day 1 has passed, day 5 is ahead
    await activate(journey, true);
    const [ahead] = await planned(journey, email, 1);
    expect(ahead).toMatchObject({ status: "scheduled", flow: { journeyStep: 2 } });
    await sendDue(ahead);
    await expect.poll(() => stack.mailsTo(email, "Day five in Japan").length, { timeout: 20_000 }).toBe(1);
    expect(stack.mailsTo(email, "Day one in Japan")).toHaveLength(0);
  });
});
