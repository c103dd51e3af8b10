// The journey builder's test email through the real server and SMTP catcher: a step's saved
// subject and body rendered with the sample order, DKIM-signed, to the shop's own address only,
// within the hourly allowance the flow editor's test emails share; never for another shop's journey.
import { describe, expect, it } from "vitest";
import type { Journey } from "@prisma/client";
import { systemClock } from "../../app/engine/clock";
import { saveJourney } from "../../app/engine/journeys/save";
import { postAdminAction } from "../support/admin-actions";
import { DKIM_ENV } from "../support/dkim";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
const SECOND = "second-shop.myshopify.com";
const SHOP_EMAIL = "owner@trustloop-demo.example";

// Mail is DKIM-signed, as in production; the test email must be too.
useStack({ env: DKIM_ENV, install: true }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});

type TestAnswer = { intent: string; step?: string; errors: Record<string, string>; test?: Record<string, unknown> };
const post = (pathname: string, fields: Record<string, string>, asShop = shop) => postAdminAction<TestAnswer>(stack.appUrl, pathname, fields, asShop);

/** A two-step journey of the demo shop, saved as the builder saves it. */
async function twoStepJourney(name: string): Promise<Journey> {
  const owner = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  const step = (days: number, subject: string, body: string) => ({ waitValue: String(days), waitUnit: "days", sendAtLocalTime: "10:00", subject, body });
  const saved = await saveJourney(stack.db, systemClock, owner, null, {
    name,
    trigger: "order_placed",
    category: "service",
    holdoutPercent: "0",
    stopOnReorder: "true",
    steps: [
      step(1, "Welcome aboard, {{ customer.first_name }}", "Day one: unboxing {{ order.name }}"),
      step(7, "Your first week with {{ shop.name }}", "Week one: first wins, {{ customer.first_name }}"),
    ],
  });
  if (!("journey" in saved)) throw new Error(`journey not saved: ${JSON.stringify(saved)}`);
  return saved.journey;
}

describe("the dashboard", () => {
  it("shows a journey as one line linked to its builder, not its steps", async () => {
    const journey = await twoStepJourney("Onboarding on the dashboard");
    const html = await stack.adminPage("/app");
    expect(html).toContain(`/app/journeys/${journey.id}`);
    expect(html).toContain(">Onboarding on the dashboard<");
    const steps = await stack.db.flow.findMany({ where: { journeyId: journey.id } });
    expect(steps).toHaveLength(2);
    for (const step of steps) expect(html).not.toContain(`>${step.name}<`);
  });
});

describe("test email of a journey step", () => {
  it("renders the step's saved subject and body with the sample order and sends it, DKIM-signed, to the shop's address", async () => {
    const journey = await twoStepJourney("Onboarding test send");
    await stack.db.rateLimit.deleteMany();
    stack.services.mail.clear();
    // The form's unsaved text is not what goes out: the saved step is.
    const { data } = await post(`/app/journeys/${journey.id}`, { intent: "test", step: "2", to: SHOP_EMAIL, subject: "unsaved", body: "unsaved" });
    expect(data).toEqual({ intent: "test", step: "2", errors: {}, test: { status: "sent", to: SHOP_EMAIL } });
    const mail = await stack.services.mail.waitFor((m) => m.subject.startsWith("[Test] "));
    expect(mail.to).toEqual([SHOP_EMAIL]);
    expect(mail.subject).toBe("[Test] Your first week with Trustloop Demo Outfitters");
    expect(mail.text).toContain("Week one: first wins, Maya"); // the sample order's customer
    expect(mail.headers["dkim-signature"]).toMatch(/d=trustloop-demo\.example;.*s=tl;/s);
    expect(mail.headers["x-trustloop-test"]).toBe("1");
    // Nothing was planned or recorded for a customer.
    expect(await stack.db.message.count({ where: { flow: { journeyId: journey.id } } })).toBe(0);
  });

  it("refuses another address, an unsaved step, a GET, and another shop's journey", async () => {
    const journey = await twoStepJourney("Onboarding refusals");
    await stack.db.rateLimit.deleteMany();
    stack.services.mail.clear();
    const stranger = await post(`/app/journeys/${journey.id}`, { intent: "test", step: "1", to: "someone@example.com" });
    expect(stranger.data).toEqual({ intent: "test", step: "1", errors: { to: expect.stringMatching(/shop's email or yours/) } });
    const unsaved = await post(`/app/journeys/${journey.id}`, { intent: "test", step: "3", to: SHOP_EMAIL });
    expect(unsaved.data?.errors.to).toMatch(/Save the journey first/);
    expect((await stack.adminGet(`/app/journeys/${journey.id}?intent=test&step=1&to=${SHOP_EMAIL}`)).status).toBe(200);

    expect((await stack.install(SECOND)).status).toBe(200);
    const theirs = await post(`/app/journeys/${journey.id}`, { intent: "test", step: "1", to: "owner@second-shop.example" }, SECOND);
    expect(theirs.status).toBe(404);
    const theirsToMine = await post(`/app/journeys/${journey.id}`, { intent: "test", step: "1", to: SHOP_EMAIL }, SECOND);
    expect(theirsToMine.status).toBe(404);
    expect(stack.services.mail.messages()).toEqual([]);
    expect(await stack.db.rateLimit.count()).toBe(0); // nothing refused took from an allowance
  });

  it("shares the shop's hourly allowance with the flow editor and answers the limit as the flow editor does", async () => {
    const journey = await twoStepJourney("Onboarding limit");
    const preset = await stack.db.flow.findFirstOrThrow({ where: { key: "thank_you", shop: { domain: shop } } });
    await stack.db.rateLimit.deleteMany();
    stack.services.mail.clear();
    const fromJourney = () => post(`/app/journeys/${journey.id}`, { intent: "test", step: "1", to: SHOP_EMAIL });
    const fromFlow = () => post(`/app/flows/${preset.id}`, { intent: "test", to: SHOP_EMAIL, subject: preset.subject, body: preset.body });
    for (let i = 0; i < 4; i++) expect((await fromJourney()).data).toMatchObject({ test: { status: "sent" } });
    expect((await fromFlow()).data).toMatchObject({ test: { status: "sent" } });
    const limited = (await fromJourney()).data;
    expect(limited).toEqual({ intent: "test", step: "1", errors: {}, test: { status: "limited", limit: 5, retryInMinutes: 60 } });
    expect((await fromFlow()).data).toMatchObject({ test: limited!.test });
    expect(stack.services.mail.messages()).toHaveLength(5);
    await stack.db.rateLimit.deleteMany();
  });
});
