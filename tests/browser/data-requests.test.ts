// The merchant downloads a customer's data-request report from Admin › Data requests in a real
// headless Chromium: the button fetches the file with the session token (POST) and saves it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openAdmin, useBrowserStack, type BrowserStack } from "../support/browser-stack";
import { requestCustomerData } from "../support/compliance";

const SHOTS = path.resolve(import.meta.dirname, "../artifacts");
let env: BrowserStack;

useBrowserStack({ worker: true }, (started) => {
  env = started;
});

describe("Admin › Data requests in a browser", () => {
  it("lists the request and downloads its report as a JSON file; the download is recorded", { timeout: 150_000 }, async () => {
    const { stack, page, problems } = env;
    const shop = stack.services.demoShop;
    const placed = await stack.place({ email: "browser-dsr@example.com" });
    await requestCustomerData(stack, shop, placed, 7);
    await expect
      .poll(async () => (await stack.db.dataRequest.findFirst({ where: { customerEmail: placed.email } }))?.status, { timeout: 90_000 })
      .toBe("ready"); // after the install's history import, which the worker runs first

    await openAdmin(page, stack, "/app/data-requests");
    await page.getByRole("heading", { name: "Data requests" }).waitFor();
    await page.getByText("b•••@example.com").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "admin-data-requests.png"), fullPage: true });

    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
    expect(file.suggestedFilename()).toMatch(/^data-request-\d{4}-\d{2}-\d{2}-\w+\.json$/);
    const report = JSON.parse(fs.readFileSync((await file.path())!, "utf8")) as { tables: Record<string, { email?: string }[]> };
    expect(report.tables.Order.map((o) => o.email)).toEqual([placed.email]);
    await expect.poll(async () => (await stack.db.dataRequest.findFirstOrThrow({ where: { customerEmail: placed.email } })).downloadedAt).not.toBeNull();

    expect(problems).toEqual([]);
  });
});
