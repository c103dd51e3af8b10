// A merchant edits a flow in a real headless Chromium: Flows list → Thank-you editor → preview
// of the unsaved template in the sandboxed iframe; then the Activity page.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { FLOW_PRESETS } from "../../app/engine/flows/presets";
import { useBrowserStack } from "../support/browser-stack";
import type { Stack } from "../support/stack";

const SHOTS = path.resolve(import.meta.dirname, "../artifacts");
let stack: Stack;
let page: Page;
let consoleErrors: string[];

useBrowserStack({ install: false }, (env) => ({ stack, page, problems: consoleErrors } = env));

describe("the flow editor in a browser", () => {
  it("opens Thank-you from the Flows list, previews the unsaved email, and shows the activity", async () => {
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByText("Trustloop Demo Outfitters").first().waitFor();
    // An order, so the preview uses real data and the activity has a row.
    const { orderName } = await stack.place({ firstName: "Juliette", email: "juliette@example.com", country: "FR" });
    await expect.poll(() => stack.db.message.count(), { timeout: 15_000 }).toBeGreaterThan(0);

    await page.getByRole("link", { name: "Flows", exact: true }).click();
    await page.getByRole("heading", { name: "Flows" }).waitFor();
    await page.getByText("15 minutes after the order").waitFor();
    await page.getByRole("link", { name: "Thank-you & reassurance" }).click();
    await page.getByLabel("Subject").waitFor();

    await page.getByLabel("Subject").fill("Merci {{ customer.first_name }}, order {{ order.name }} is confirmed");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.locator("#preview-subject").getByText(`Merci Juliette, order ${orderName} is confirmed`).waitFor();
    const frame = page.frameLocator('iframe[title="Email preview"]');
    await frame.getByText("Thank you for shopping with Trustloop Demo Outfitters").waitFor();
    expect(await page.locator('iframe[title="Email preview"]').getAttribute("sandbox")).toBe("");
    await page.screenshot({ path: path.join(SHOTS, "admin-flow-editor.png"), fullPage: true });
    // Preview saved nothing.
    expect((await stack.db.flow.findFirstOrThrow({ where: { key: "thank_you" } })).subject).toBe(FLOW_PRESETS.find((p) => p.key === "thank_you")!.subject);

    // French gets its own template: written from the default's text, saved apart, previewed in French.
    await page.getByLabel("Language").selectOption({ label: "French — uses the default" });
    await page.getByRole("button", { name: "Write a separate template for French" }).click();
    await page.getByLabel("Subject").fill("Merci {{ customer.first_name }} !");
    await page.getByRole("button", { name: "Save the French template" }).click();
    await page.getByText("French template saved.").waitFor();
    expect(await stack.db.flowTemplate.findFirstOrThrow({ where: { locale: "fr" } })).toMatchObject({ subject: "Merci {{ customer.first_name }} !" });
    await page.getByRole("button", { name: "Preview" }).click();
    await page.locator("#preview-subject").getByText("Merci Juliette !").waitFor();
    await frame.locator('html[lang="fr"]').waitFor({ state: "attached" });
    await page.getByLabel("Language").selectOption({ value: "" }); // back to the default, still unsaved
    expect(await page.getByLabel("Subject").inputValue()).toBe("Merci {{ customer.first_name }}, order {{ order.name }} is confirmed");

    // The test email goes to the shop's own address; the editor says when the hourly limit is hit.
    expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe("owner@trustloop-demo.example");
    await page.getByRole("button", { name: "Send test email" }).click();
    await page.getByText("Test email sent to owner@trustloop-demo.example.").waitFor();
    const shopRow = await stack.db.shop.findFirstOrThrow({ where: { domain: stack.services.demoShop } });
    await stack.db.rateLimit.update({ where: { key: `test-email:${shopRow.id}` }, data: { points: 5 } });
    await page.getByRole("button", { name: "Send test email" }).click();
    await page.getByText(/Test email not sent: this shop has sent 5 test emails in the last hour\. Try again in \d+ minutes?\./).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "admin-flow-test-email-limit.png"), fullPage: true });

    await page.getByRole("link", { name: "Activity", exact: true }).click();
    await page.getByRole("heading", { name: "Activity" }).waitFor();
    await page.getByRole("link", { name: orderName }).first().waitFor();
    await page.getByText("j•••@example.com").first().waitFor();
    expect(await page.getByText("juliette@example.com").count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, "admin-activity.png"), fullPage: true });

    expect(consoleErrors).toEqual([]);
  });
});
