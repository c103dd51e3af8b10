// The merchant opens the admin home of the demo shop in a real headless Chromium: the worker has
// imported the shop's year of order history and built the rollups, so the dashboard shows real
// figures (cohorts, repeat rate, flows and their lift), the setup checklist and the charts; then
// the merchant switches the period.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ManualClock } from "../../app/engine/clock";
import { dashboardData } from "../../app/engine/dashboard/read";
import { count, percent } from "../../app/components/dashboard/format";
import { useBrowserStack } from "../support/browser-stack";
import type { Stack } from "../support/stack";

const SHOTS = path.resolve(import.meta.dirname, "../artifacts");
let stack: Stack;
let page: Page;
let problems: string[];

useBrowserStack({ worker: true, install: false }, (env) => ({ stack, page, problems } = env));

/** Cohort rows (months) with at least one customer, as rendered. */
async function cohortMonthsWithCustomers(): Promise<number> {
  const table = page.getByTestId("cohort-table");
  if (!(await table.count())) return 0;
  const customers = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent ?? ""));
  return customers.filter((c) => Number(c.replace(/\D/g, "")) > 0).length;
}

/** Opens the admin home as Shopify admin would, until the imported history shows in the cohorts. */
async function openHomeWithHistory(minMonths: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByRole("heading", { name: "Retention by monthly cohort" }).waitFor();
    if ((await cohortMonthsWithCustomers()) >= minMonths) return;
    if (Date.now() > deadline) throw new Error(`the cohort table never reached ${minMonths} months with customers (the demo shop's history import)`);
    await page.waitForTimeout(1000);
  }
}

/** A figure's card (a region named after its title). */
const card = (title: string) => page.getByRole("region", { name: title, exact: true });

describe("the dashboard in a browser", () => {
  it("shows the demo shop's history as figures merchants can trust, and switches the period", async () => {
    await expect.poll(() => stack.db.workerHeartbeat.count(), { timeout: 20_000 }).toBe(1);
    // The first admin visit installs the shop; the worker imports its history, then rebuilds the rollups.
    await page.goto(`${stack.appUrl}/sandbox`);
    await expect.poll(() => stack.db.historyImport.count({ where: { status: "done" } }), { timeout: 150_000, interval: 500 }).toBe(1);
    await expect.poll(() => stack.db.rollupMark.count(), { timeout: 30_000, interval: 500 }).toBe(0);
    await openHomeWithHistory(6);
    await page.getByText("Figures are being updated").waitFor({ state: "detached" });
    await page.getByText("Trustloop Demo Outfitters").first().waitFor();

    // Headline figures with their definitions: the ones the engine computes, with n of N.
    const { figures } = (await dashboardData(stack.db, new ManualClock(await stack.now()), stack.services.demoShop, "30d"))!;
    expect(figures.orders.count).toBeGreaterThan(0);
    const repeat = card("Repeat purchase rate");
    expect(await repeat.innerText()).toMatch(/\d+\.\d\s%/);
    expect(await repeat.innerText()).toContain(percent(figures.customers.repeatRate.rate));
    expect(await repeat.innerText()).toContain(
      `${count(figures.customers.repeatRate.numerator)} of ${count(figures.customers.repeatRate.denominator)} new customer`,
    );
    expect(await card("Orders").innerText()).toContain(count(figures.orders.count));
    await page.getByText("Of the customers whose first order fell in this period, the share who have ordered again since.").waitFor();
    await page.getByText("Median days from a customer's first order to their second").waitFor();
    expect(await card("Orders").innerText()).toMatch(/\d[\d,]*\.\d\d\sUSD revenue/);

    // The cohort table: ≥ 6 months of customers, rates as percentages, the young cohorts maturing.
    expect(await cohortMonthsWithCustomers()).toBeGreaterThanOrEqual(6);
    const cohorts = await page.getByTestId("cohort-table").innerText();
    expect(cohorts).toMatch(/\d+\.\d\s%/);
    expect(cohorts).toContain("still maturing");

    // Flows with the lift column (measured or "not enough data yet", with sample sizes).
    const flows = await page.getByTestId("flow-table").innerText();
    expect(flows).toContain("Thank-you");
    expect(flows).toMatch(/(pts \(95\s% CI .+ to .+\)|not enough data yet) · \d+ vs \d+/);
    await page.getByText(/Lift: the repeat purchase rate of customers who got the flow minus that of its holdout group/).waitFor();

    // First use: the setup checklist; the charts drew in the browser.
    await page.getByRole("heading", { name: "Set up Trustloop" }).waitFor();
    await page.locator('[data-testid="orders-chart"] svg').first().waitFor({ timeout: 15_000 });
    for (const title of ["NPS", "Review rate", "Shipping delays", "Discount codes", "Loyalty points", "Thank-you page offers"]) {
      await card(title).waitFor();
    }

    // The history import card, and the operational overview below the dashboard.
    await page.getByRole("heading", { name: "Order history", exact: true }).waitFor();
    await page.getByRole("heading", { name: "Operations", exact: true }).waitFor();
    await page.getByTestId("worker-status").getByText("running", { exact: true }).waitFor();
    const range30 = await page.locator("#dashboard-range").innerText();

    // Another period: a GET navigation, new figures for 90 days.
    await page.getByLabel("Period").selectOption("90d");
    await page.waitForURL(/[?&]period=90d/);
    await expect.poll(() => page.locator("#dashboard-range").innerText()).not.toBe(range30);
    expect(await page.getByLabel("Period").inputValue()).toBe("90d");
    await expect.poll(() => card("Repeat purchase rate").innerText()).toMatch(/\d+\.\d\s%/);
    await page.locator('[data-testid="orders-chart"] svg').first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, "dashboard.png"), fullPage: true });

    await page.getByLabel("Period").selectOption("365d");
    await page.waitForURL(/[?&]period=365d/);
    await expect.poll(() => page.getByLabel("Period").inputValue()).toBe("365d");
    await page.locator('[data-testid="orders-chart"] svg').first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, "dashboard-365d.png"), fullPage: true });

    expect(problems).toEqual([]);
  }, 300_000); // the worker imports a year of orders before the figures are complete
});
