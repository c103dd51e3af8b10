// A merchant builds a two-step journey in a real headless Chromium: Journeys → Create journey →
// two steps → save → preview a step → the entry count → activate.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useBrowserStack } from "../support/browser-stack";
import type { Stack } from "../support/stack";

const SHOTS = path.resolve(import.meta.dirname, "../artifacts");
let stack: Stack;
let page: Page;
let consoleErrors: string[];

useBrowserStack({ install: false }, (env) => ({ stack, page, problems: consoleErrors } = env));

describe("the journey builder in a browser", () => {
  it("builds a two-step journey, previews a step, sees who would enter and activates it", async () => {
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByText("Trustloop Demo Outfitters").first().waitFor();
    await stack.place({ firstName: "Juliette", email: "juliette.journey@example.com", country: "FR" });
    await expect.poll(() => stack.db.message.count(), { timeout: 15_000 }).toBeGreaterThan(0);

    await page.getByRole("link", { name: "Journeys", exact: true }).click();
    await page.getByRole("heading", { name: "Journeys" }).waitFor();
    await page.getByRole("link", { name: "Create journey" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Welcome sequence");
    await page.getByLabel("Trigger", { exact: true }).selectOption("order_placed");
    await page.getByLabel("Subject", { exact: true }).fill("Welcome, {{ customer.first_name }}");
    await page.getByLabel("Body (Liquid)", { exact: true }).fill("Thanks for order {{ order.name }}.");
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Wait after the trigger", { exact: true }).nth(1).fill("7");
    await page.getByLabel("Subject", { exact: true }).nth(1).fill("A week with us");
    await page.getByLabel("Body (Liquid)", { exact: true }).nth(1).fill("How is it going, {{ customer.first_name }}?");
    await page.getByRole("button", { name: "Save journey" }).click();

    await page.waitForURL(/\/app\/journeys\/(?!new)[^/?]+/);
    const journey = await stack.db.journey.findFirstOrThrow({ where: { name: "Welcome sequence" }, include: { steps: { orderBy: { journeyStep: "asc" } } } });
    expect(journey.steps.map((s) => [s.journeyStep, s.delayMinutes, s.subject])).toEqual([
      [1, 1440, "Welcome, {{ customer.first_name }}"],
      [2, 7 * 1440, "A week with us"],
    ]);

    await page.getByRole("button", { name: "Preview step 2" }).click();
    await page.frameLocator('iframe[title="Step 2 preview"]').getByRole("paragraph").filter({ hasText: "How is it going, Juliette?" }).waitFor();
    await page
      .locator("#journey-entry")
      .getByText(/^[1-9]\d* customers? would enter now/)
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS, "admin-journey-builder.png"), fullPage: true });

    await page.getByRole("button", { name: "Activate journey" }).click();
    await page.getByRole("button", { name: "Pause journey" }).waitFor();
    expect((await stack.db.journey.findUniqueOrThrow({ where: { id: journey.id } })).status).toBe("active");

    // Removing the first step keeps the second one's flow (and whatever waits in it): steps are matched by id.
    await page.getByRole("button", { name: "Remove step 1" }).click();
    await page.getByRole("button", { name: "Save journey" }).click();
    await page.getByText("Journey saved").waitFor();
    const second = journey.steps[1];
    await expect
      .poll(async () =>
        (await stack.db.flow.findMany({ where: { journeyId: journey.id }, orderBy: { createdAt: "asc" } })).map((f) => [
          f.id,
          f.journeyStep,
          f.subject,
          f.delayMinutes,
        ]),
      )
      .toEqual([[second.id, 1, "A week with us", 7 * 1440]]); // the first step had no messages: gone
    expect(consoleErrors).toEqual([]);
  });
});
