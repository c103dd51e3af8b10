// Admin pages show every time one way, in the shop's time zone: the order page's placed time, its
// messages' times, and the instants inside a reason the worker wrote (a quiet-hours deferral "until
// <instant>") all read "Dec 4, 2026, 9:54 AM" in the server-rendered page.
import { describe, expect, it } from "vitest";
import { formatInZone } from "../../app/engine/admin/format";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;

/** The text a merchant reads: the server-rendered HTML without scripts (loader data), comments and tags. */
const visibleText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

useStack({ install: true, workers: 1 }, (started) => void (stack = started));

describe("times on the order page", () => {
  it("reads placed, due and deferred-until times in the shop's zone, none raw", async () => {
    const shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: stack.services.demoShop } });
    expect(shop.timezone).not.toBe("UTC");
    // Quiet hours all day long: the thank-you email is deferred by the worker with its reason.
    await stack.db.shop.update({ where: { id: shop.id }, data: { quietHoursStart: "00:00", quietHoursEnd: "23:59" } });
    const placed = await stack.place({ email: "night-owl@example.com", country: "US", province: "CA" });
    await stack.advance(20 * 60);
    const message = await expect
      .poll(
        () => stack.db.message.findFirst({ where: { shopId: shop.id, order: { shopifyId: `gid://shopify/Order/${placed.orderId}` }, status: "deferred" } }),
        { timeout: 20_000 },
      )
      .toBeTruthy()
      .then(() => stack.db.message.findFirstOrThrow({ where: { shopId: shop.id, status: "deferred" }, include: { order: true } }));
    expect(message.reason).toMatch(/until \d{4}-\d{2}-\d{2}T/); // the ledger keeps the instant machine-readable

    const response = await stack.adminGet(`/app/orders/${message.orderId}`);
    expect(response.status).toBe(200);
    const text = visibleText(await response.text());
    expect(text).toContain(`Placed ${formatInZone(message.order!.placedAt, shop.timezone)}`);
    expect(text).toContain(`until ${formatInZone(message.sendAt, shop.timezone)}`);
    expect(text).toMatch(/\b[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M\b/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/); // no raw ISO instant
    expect(text).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/); // no machine-locale date
  });
});
