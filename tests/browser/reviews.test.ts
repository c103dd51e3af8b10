// A customer opens the review link from a captured email in a real headless Chromium, gives 4 stars
// with a text, and sees the thank-you; the merchant then sees the review (its <script> as text) and
// the rating chart in Admin › Reviews.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useBrowserStack } from "../support/browser-stack";
import { placeInFrance } from "../support/buyers";
import type { Stack } from "../support/stack";

const SHOTS = path.resolve(import.meta.dirname, "../artifacts");
let stack: Stack;
let page: Page;
let problems: string[];

useBrowserStack({ worker: true }, (env) => ({ stack, page, problems } = env));

describe("the hosted review page in a browser", () => {
  it("opens the link from the email, submits 4 stars with a text, and thanks the customer; the admin shows it as text", async () => {
    const shop = stack.services.demoShop;
    await stack.db.shop.update({ where: { domain: shop }, data: { frequencyCapCount: 20 } });
    const now = await stack.now();
    await stack.advanceTo(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 13)));
    const product = stack.services.emulator.shop(shop).products[0];
    const placed = await placeInFrance(stack, { email: "browser-review@example.com", firstName: "Mina", lastName: "Okafor" }, [product]);
    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, {});
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
    const main = await stack.db.message.findFirstOrThrow({
      where: { flow: { key: "review_request" }, step: "main", order: { shopifyId: `gid://shopify/Order/${placed.orderId}` } },
    });
    await stack.advanceTo(new Date(main.dueAt.getTime() + 60_000));

    const mail = await expect
      .poll(() => stack.mailsTo("browser-review@example.com", "How do you like")[0], { timeout: 20_000 })
      .toBeDefined()
      .then(() => stack.mailsTo("browser-review@example.com", "How do you like")[0]);
    const link = /href="([^"]+)"[^>]*>\s*Write a review/.exec(mail.html)![1].replace(/&amp;/g, "&");
    expect(link.startsWith(`${stack.appUrl}/r/`)).toBe(true);

    await page.goto(link);
    await page.getByRole("heading", { name: "How do you like it?" }).waitFor();
    await page.getByText(product.title).first().waitFor();
    expect(await stack.db.review.count()).toBe(0); // opening the page records nothing
    await page.getByTitle("4 stars").click(); // the visible star, as a customer would
    expect(await page.getByRole("radio", { name: "4 stars" }).isChecked()).toBe(true);
    await page.getByLabel("Title").fill("Lovely <b>quality</b>");
    await page.getByLabel("Your review").fill("Fits well and feels sturdy. <script>window.__pwned = 1</script>");
    await page.screenshot({ path: path.join(SHOTS, "review-page.png"), fullPage: true });
    await page.getByRole("button", { name: "Submit review" }).click();
    await page.getByRole("heading", { name: "Thank you for your review!" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "review-thank-you.png"), fullPage: true });

    const review = await stack.db.review.findFirstOrThrow({ where: { messageId: main.id } });
    expect(review).toMatchObject({
      rating: 4,
      title: "Lovely <b>quality</b>",
      body: "Fits well and feels sturdy. <script>window.__pwned = 1</script>",
      authorName: "Mina O.",
      verifiedBuyer: true,
    });

    // The merchant's side: the embedded admin, Reviews page.
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByText("Trustloop Demo Outfitters").first().waitFor();
    const admin = new URL(page.url());
    admin.pathname = "/app/reviews";
    await page.goto(admin.toString());
    await page.getByRole("heading", { name: "Reviews" }).waitFor();
    await page.getByText("Fits well and feels sturdy. <script>window.__pwned = 1</script>").waitFor();
    await page.getByText("Lovely <b>quality</b>").waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("b", { hasText: "quality" }).count()).toBe(0);
    await page.getByText("Mina O. · Verified buyer", { exact: false }).waitFor();
    await page.getByLabel("Publish new reviews automatically").waitFor();
    await page.locator('[data-testid="rating-chart"] svg').first().waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => (await stack.db.productRating.findFirst({ where: { productId: review.productId } }))?.syncStatus, { timeout: 20_000 })
      .toBe("synced");
    await page.reload();
    await page.getByText("Synced").first().waitFor();
    await page.locator('[data-testid="rating-chart"] svg').first().waitFor();
    await page.waitForTimeout(1500); // the bars grow in
    await page.screenshot({ path: path.join(SHOTS, "admin-reviews.png"), fullPage: true });

    expect(problems).toEqual([]);
  });
});
