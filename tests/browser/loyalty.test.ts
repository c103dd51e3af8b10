// A merchant sets up the loyalty program in a real headless Chromium: adds a tier, is told on the
// field what is wrong, fixes it, saves; removes a reward and saves again.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useBrowserStack } from "../support/browser-stack";
import type { Stack } from "../support/stack";

const SHOTS = path.resolve(import.meta.dirname, "../artifacts");
let stack: Stack;
let page: Page;
let consoleErrors: string[];

const settings = async () => {
  const row = await stack.db.loyaltySettings.findFirstOrThrow({ where: { shop: { domain: stack.services.demoShop } } });
  return { tiers: row.tiers, rewards: row.rewards };
};

useBrowserStack({}, (env) => ({ stack, page, problems: consoleErrors } = env));

describe("the loyalty program form in a browser", () => {
  it("adds a tier, shows the error on its field, saves it fixed, and removes a reward", async () => {
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByText("Trustloop Demo Outfitters").first().waitFor();
    await page.getByRole("link", { name: "Loyalty", exact: true }).click();
    await page.getByRole("heading", { name: "Program" }).waitFor();
    // The default reward is a row of fields, not JSON.
    await expect.poll(() => page.getByLabel("Points", { exact: true }).first().inputValue()).toBe("500");

    await page.getByRole("button", { name: "Add tier" }).click();
    await page.getByLabel("Tier name").fill("Gold");
    await page.getByLabel("From a 12-month spend of").fill("a lot");
    await page.getByLabel("Points multiplier").fill("2");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Enter an amount like 500 or 500.00").waitFor();
    expect(await page.getByLabel("From a 12-month spend of").getAttribute("aria-invalid")).toBe("true");
    expect((await settings()).tiers).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "admin-loyalty-error.png"), fullPage: true });

    await page.getByLabel("From a 12-month spend of").fill("750");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await settings()).tiers, { timeout: 10_000 }).toEqual([{ name: "Gold", thresholdCents: 75000, multiplier: 2 }]);
    // The row is saved before the answer re-renders the form: wait for the error to go.
    await page.getByText("Enter an amount like 500 or 500.00").waitFor({ state: "detached", timeout: 10_000 });

    await page.getByRole("button", { name: "Remove reward 1" }).click();
    await page.getByText("No rewards: points cannot be redeemed yet.").waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await settings()).rewards, { timeout: 10_000 }).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "admin-loyalty.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
