// A person's first minutes with the sandbox, in a real headless Chromium: open the admin home
// (the demo shop's dashboard), place an order in the console, see it in the app.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useBrowserStack } from "../support/browser-stack";
import type { Stack } from "../support/stack";

const SHOTS = path.resolve(import.meta.dirname, "../artifacts");
let stack: Stack;
let page: Page;
let consoleErrors: string[];

useBrowserStack({ worker: true, install: false }, (env) => ({ stack, page, problems: consoleErrors } = env));

describe("the sandbox in a browser", () => {
  it("opens the embedded admin home, places an order in the console, and shows it in the app", async () => {
    await expect.poll(() => stack.db.workerHeartbeat.count(), { timeout: 20_000 }).toBe(1);
    // The first visit installs the demo shop; the worker imports its order history.
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByText("Trustloop Demo Outfitters").first().waitFor();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await expect.poll(() => stack.db.historyImport.count({ where: { status: "done" } }), { timeout: 150_000, interval: 500 }).toBe(1);

    // The home: the dashboard, then the operational overview with the running worker and the
    // recent orders (the imported history).
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByTestId("worker-status").getByText("running", { exact: true }).waitFor();
    await page.getByRole("heading", { name: "Recent orders" }).waitFor();
    const imported = await page.getByRole("link", { name: /^#\d+$/ }).allTextContents();
    expect(imported.length).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, "sandbox-admin-home.png"), fullPage: true });

    await page.goto(`${stack.appUrl}/sandbox/console`);
    await page.getByLabel("First name").fill("Juliette");
    await page.getByLabel("Ships to").selectOption("FR:");
    await page.getByRole("button", { name: "Place order" }).click();
    const placed = page.getByText(/^Place order: ok/);
    await placed.waitFor({ timeout: 15_000 });
    const name = /"orderName":"(#\d+)"/.exec((await placed.textContent()) ?? "")![1];
    await page.getByText(name, { exact: true }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "sandbox-console-order.png"), fullPage: true });

    // The console pages through the orders (thousands after the history import), newest first,
    // and finds any of them by number.
    const all = (await (await fetch(`${stack.appUrl}/sandbox/api/orders`)).json()) as { name: string }[];
    expect(all.length).toBeGreaterThan(20);
    await page.getByText(`1–10 of ${all.length}`).waitFor();
    expect(await page.getByRole("button", { name: "Fulfill" }).count()).toBe(10);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(4000);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText(`11–20 of ${all.length}`).waitFor();
    expect(await page.getByText(name, { exact: true }).count()).toBe(0);
    const older = all[5].name; // far down the history
    await page.getByPlaceholder("Search by order number or email").fill(older.replace("#", ""));
    await page.getByText(`1–1 of 1`).waitFor();
    await page.getByText(older, { exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Fulfill" }).count()).toBe(1);

    // The new order is the latest: first in the home's recent orders.
    expect(imported).not.toContain(name);
    await page.goto(`${stack.appUrl}/sandbox`);
    const link = page.getByRole("link", { name, exact: true });
    await link.waitFor();
    expect((await page.getByRole("link", { name: /^#\d+$/ }).allTextContents())[0]).toBe(name);
    await page.screenshot({ path: path.join(SHOTS, "sandbox-admin-with-order.png"), fullPage: true });

    // Client-side navigation goes through the App Bridge stand-in's Bearer token.
    await link.click();
    await page.getByRole("heading", { name }).waitFor();
    await page.getByText("orders/create · applied").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "sandbox-order-detail.png"), fullPage: true });

    // Every request the pages made succeeded; nothing failed in the console.
    expect(consoleErrors).toEqual([]);
  }, 300_000); // the worker imports the demo shop's year of orders first
});
