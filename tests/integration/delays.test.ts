// Proactive shipping-delay notices end to end: detection (worker + webhooks) → ledger → apology
// code created through the Admin API emulator → email over a real SMTP server.
import { describe, expect, it } from "vitest";
import type { CapturedMail } from "../../sandbox/mail/catcher";
import { nextWeekdayUtc, type Stack } from "../support/stack";
import { useDemoShop } from "../support/use-stack";

let stack: Stack;
let shop: string;

const delayMails = (email: string): CapturedMail[] => stack.mailsTo(email, "An update on your order");

async function delayMessages(orderId: string) {
  return stack.db.message.findMany({
    where: { order: { shopifyId: `gid://shopify/Order/${orderId}` }, flow: { key: "shipping_delay" } },
    include: { events: { orderBy: { at: "asc" } } },
  });
}
const delayStatus = async (orderId: string) => (await delayMessages(orderId))[0]?.status;

async function discountCallsFor(code: string) {
  const calls = await stack.emulator<{ query: string; variables?: Record<string, unknown> }[]>("/admin-calls");
  return calls.filter((c) => c.query.includes("discountCodeBasicCreate") && JSON.stringify(c.variables ?? {}).includes(code));
}

// Delay notices are the subject here: let them through next to the thank-you emails.
useDemoShop({ workers: 1 }, { frequencyCapCount: 10 }, (started, domain) => {
  stack = started;
  shop = domain;
});

describe("not shipped in time", () => {
  it("counts business days across the weekend: nothing before the threshold, then one notice with a working code", async () => {
    // Friday 10:00 in New York → 3 business days → Wednesday 10:00.
    const friday = await nextWeekdayUtc(stack, 5, 15);
    await stack.advanceTo(friday);
    const placed = await stack.place({ email: "slowship@example.com", firstName: "Ines", country: "US", province: "NY" });

    await stack.advanceTo(new Date(friday.getTime() + 4 * 86_400_000)); // Tuesday 10:00
    await stack.idle();
    expect(await stack.db.delayIncident.count({ where: { order: { shopifyId: `gid://shopify/Order/${placed.orderId}` } } })).toBe(0);
    expect(await delayMessages(placed.orderId)).toEqual([]);

    await stack.advanceTo(new Date(friday.getTime() + 5 * 86_400_000 + 5 * 60_000)); // Wednesday 10:05
    await expect.poll(() => delayStatus(placed.orderId), { timeout: 20_000 }).toBe("sent");
    const [incident] = await stack.db.delayIncident.findMany({ where: { order: { shopifyId: `gid://shopify/Order/${placed.orderId}` } } });
    expect(incident).toMatchObject({ cause: "not_shipped" });

    const [mail] = delayMails("slowship@example.com");
    expect(mail.text).toContain("has not left our warehouse yet");
    const code = await stack.db.discountCode.findFirstOrThrow({ where: { purpose: "apology" } });
    expect(code).toMatchObject({ status: "created", purpose: "apology" });
    expect(mail.text).toContain(code.code);
    expect(mail.text).toContain("10%");
    expect(await discountCallsFor(code.code)).toHaveLength(1);
    const link = /href="([^"]*\/c\/[^"]+)"[^>]*>\s*Use your code/.exec(mail.html)?.[1]?.replace(/&amp;/g, "&");
    expect(link).toBeDefined();
    const click = await fetch(link!, { redirect: "manual" });
    expect(click.headers.get("location")).toBe(`https://shop.trustloop-demo.example/discount/${code.code}`);
  });
});

describe("carrier exceptions", () => {
  it("a delayed carrier event sends one notice, even when the event is delivered twice", async () => {
    await stack.advanceTo(await nextWeekdayUtc(stack, 2, 15));
    const placed = await stack.place({ email: "carrier@example.com", country: "US", province: "NY" });
    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, { trackingNumber: "1Z-DELAY" });
    const event = await stack.control<{ webhooks: { id: string; topic: string }[] }>(`/sandbox/api/fulfillments/${fulfillmentId}/events`, {
      status: "delayed",
    });
    const delivery = event.webhooks.find((w) => w.topic === "fulfillment_events/create")!;
    await stack.services.emulator.redeliver(delivery.id);

    await expect.poll(() => delayStatus(placed.orderId), { timeout: 20_000 }).toBe("sent");
    await stack.idle();
    expect(await delayMessages(placed.orderId)).toHaveLength(1);
    expect(delayMails("carrier@example.com")).toHaveLength(1);
    expect(delayMails("carrier@example.com")[0].text).toContain("the carrier reports a delay");
    const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: `gid://shopify/Order/${placed.orderId}` } });
    expect(await stack.db.delayIncident.count({ where: { orderId: order.id } })).toBe(1);
    const message = (await delayMessages(placed.orderId))[0];
    expect(await stack.db.discountCode.count({ where: { messageId: message.id } })).toBe(1);
  });
});

describe("cancelled or refunded before the send", () => {
  for (const { what, email, scan, then, reason } of [
    { what: "a cancelled order", email: "cancelled-delay@example.com", scan: "failure", then: "cancel", reason: "order cancelled" },
    { what: "a fully refunded order", email: "refunded-delay@example.com", scan: "attempted_delivery", then: "refund", reason: "order fully refunded" },
  ]) {
    it(`${what} gets no notice and no code`, async () => {
      await stack.advanceTo(await nextWeekdayUtc(stack, 2, 15));
      // The worker would send at once: hold the notice with quiet hours covering the whole day.
      await stack.db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "00:00", quietHoursEnd: "23:59" } });
      try {
        const placed = await stack.place({ email, country: "US", province: "NY" });
        const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, {});
        await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: scan });
        await expect.poll(() => delayStatus(placed.orderId), { timeout: 15_000 }).toBe("deferred");
        await stack.control(`/sandbox/api/orders/${placed.orderId}/${then}`, {});
        const [message] = await delayMessages(placed.orderId);
        expect(message).toMatchObject({ status: "cancelled", reason });
        expect(await stack.db.discountCode.count({ where: { messageId: message.id } })).toBe(0);
        expect(delayMails(email)).toHaveLength(0);
      } finally {
        await stack.db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "21:00", quietHoursEnd: "08:00" } });
      }
    });
  }
});

describe("apology codes through the Admin API", () => {
  async function delayedOrder(email: string) {
    await stack.advanceTo(await nextWeekdayUtc(stack, 3, 15));
    const placed = await stack.place({ email, country: "US", province: "NY" });
    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, {});
    return { placed, fulfillmentId };
  }

  it("a timeout after Shopify created the code never makes a second code", async () => {
    const { placed, fulfillmentId } = await delayedOrder("timeout@example.com");
    await stack.emulator("/faults", { operation: "discountCodeBasicCreate", mode: "timeout-after-apply", times: 1 });
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delayed" });
    await expect.poll(async () => (await delayMessages(placed.orderId))[0]?.reason ?? "", { timeout: 30_000 }).toMatch(/^waiting: apology code/);

    await stack.advance(10 * 60);
    await expect.poll(() => delayStatus(placed.orderId), { timeout: 20_000 }).toBe("sent");
    const [message] = await delayMessages(placed.orderId);
    const code = await stack.db.discountCode.findFirstOrThrow({ where: { messageId: message.id } });
    expect(code.status).toBe("created");
    expect(await discountCallsFor(code.code)).toHaveLength(1); // the retry looked it up instead
    expect(delayMails("timeout@example.com")[0].text).toContain(code.code);
  });

  it("THROTTLED is retried later; a userErrors answer fails the message with that reason", async () => {
    const throttled = await delayedOrder("throttled@example.com");
    await stack.emulator("/faults", { operation: "discountCodeBasicCreate", mode: "throttled", times: 1 });
    await stack.control(`/sandbox/api/fulfillments/${throttled.fulfillmentId}/events`, { status: "delayed" });
    await expect
      .poll(async () => (await delayMessages(throttled.placed.orderId))[0]?.events.map((e) => e.status) ?? [], { timeout: 20_000 })
      .toContain("retry");
    await stack.advance(10 * 60);
    await expect.poll(() => delayStatus(throttled.placed.orderId), { timeout: 20_000 }).toBe("sent");

    const refused = await delayedOrder("refused@example.com");
    await stack.emulator("/faults", { operation: "discountCodeBasicCreate", mode: "user-error", times: 1, message: "Customer selection is invalid" });
    await stack.control(`/sandbox/api/fulfillments/${refused.fulfillmentId}/events`, { status: "delayed" });
    await expect.poll(() => delayStatus(refused.placed.orderId), { timeout: 20_000 }).toBe("failed");
    const [failed] = await delayMessages(refused.placed.orderId);
    expect(failed.reason).toContain("Customer selection is invalid");
  });

  it("over the monthly budget the notice goes out without a code, and says so in the ledger", async () => {
    const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    await stack.db.delaySettings.upsert({ where: { shopId: shopRow.id }, create: { shopId: shopRow.id, monthlyMaxCodes: 0 }, update: { monthlyMaxCodes: 0 } });
    try {
      const { placed, fulfillmentId } = await delayedOrder("budget@example.com");
      await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delayed" });
      await expect.poll(() => delayStatus(placed.orderId), { timeout: 20_000 }).toBe("sent");
      const [message] = await delayMessages(placed.orderId);
      expect(message.events.find((e) => e.status === "note")?.reason).toMatch(/^sent without a code: monthly apology budget reached/);
      expect(await stack.db.discountCode.count({ where: { messageId: message.id } })).toBe(0);
      expect(delayMails("budget@example.com")[0].text).toContain("keeping an eye on it");
    } finally {
      await stack.db.delaySettings.update({ where: { shopId: shopRow.id }, data: { monthlyMaxCodes: 100 } });
    }
  });
});
