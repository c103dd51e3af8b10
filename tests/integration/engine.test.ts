// The post-purchase engine end to end: signed webhooks → routes → ledger → worker → a real SMTP
// server. Sandbox time is moved to fixed wall-clock moments so quiet hours are deterministic.
import type { EmailCategory } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import type { MailFaultMode } from "../../sandbox/mail/catcher";
import { postWebhook, type PlacedOrder, type Stack, postForm } from "../support/stack";
import { useDemoShop } from "../support/use-stack";

let stack: Stack;
let shop: string;

const HOUR = 3600_000;

/** The next moment strictly after `now` at hh:mm UTC. */
function nextUtc(now: Date, hh: number, mm = 0): Date {
  const t = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hh, mm));
  return t.getTime() > now.getTime() + 60_000 ? t : new Date(t.getTime() + 24 * HOUR);
}

async function moveTo(hh: number, mm = 0) {
  return stack.advanceTo(nextUtc(await stack.now(), hh, mm));
}

async function messagesFor(orderId: string) {
  const order = await stack.db.order.findFirst({ where: { shopifyId: `gid://shopify/Order/${orderId}` } });
  if (!order) return [];
  return stack.db.message.findMany({
    where: { orderId: order.id },
    include: { flow: true, events: { orderBy: { at: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
}

async function statusOf(orderId: string, flowKey: string) {
  return (await messagesFor(orderId)).find((m) => m.flow.key === flowKey)?.status;
}

/** Runs `test` with one more order-created flow in the demo shop, removed after it. */
async function withFlow(key: string, data: { category: EmailCategory; delayMinutes: number; subject: string; body: string }, test: () => Promise<void>) {
  const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  const flow = await stack.db.flow.create({ data: { shopId: shopRow.id, key, name: key, trigger: "order_created", ...data } });
  try {
    await test();
  } finally {
    await stack.db.flow.delete({ where: { id: flow.id } });
  }
}

// Each scenario starts from clean caps: one email per customer per day, default quiet hours.
useDemoShop({ workers: 1 }, { frequencyCapCount: 1, frequencyCapHours: 24, quietHoursStart: "21:00", quietHoursEnd: "08:00" }, (started, domain) => {
  stack = started;
  shop = domain;
});
beforeEach(() => stack.services.mail.clearFaults());

describe("thank-you flow", () => {
  it("when orders/create arrives three times (same and different webhook ids) › sends one thank-you", async () => {
    await moveTo(13); // 14:00 in Paris
    const placed = await stack.place({ email: "dedupe@example.com", firstName: "Chloé", country: "FR" });
    const created = placed.webhooks.find((w) => w.topic === "orders/create")!;
    await stack.services.emulator.redeliver(created.id);
    const { body } = stack.services.emulator.sentWebhook(created.id)!;
    expect((await postWebhook(stack.appUrl, "orders/create", body, { shop, webhookId: "another-delivery-id" })).status).toBe(200);
    await stack.applyWebhooks();

    expect(await statusOf(placed.orderId, "thank_you")).toBe("scheduled");
    await stack.advance(16 * 60);
    await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 15_000 }).toBe("sent");
    await stack.idle(); // a second send would have happened by now

    const mails = stack.mailsTo("dedupe@example.com");
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Thank you for your order ${placed.orderName}`);
    expect(mails[0].text).toContain("Hi Chloé");
    expect(mails[0].from).toBe("hello@trustloop-demo.example");
    expect(mails[0].headers["reply-to"]).toContain("owner@trustloop-demo.example");
    expect(mails[0].messageId).toMatch(/^<tl\.[0-9a-f]{32}@trustloop-demo\.example>$/);
    expect(mails[0].headers["list-unsubscribe"]).toBeUndefined(); // service email
    const [message] = (await messagesFor(placed.orderId)).filter((m) => m.flow.key === "thank_you");
    expect(message.events.map((e) => e.status)).toEqual(["scheduled", "sending", "sent"]);
  });

  it("when the order is cancelled before the send › sends nothing and records why", async () => {
    await moveTo(13);
    const placed = await stack.place({ email: "cancel@example.com", country: "DE" });
    await stack.control(`/sandbox/api/orders/${placed.orderId}/cancel`, {});
    await stack.advance(20 * 60);
    await stack.idle();
    const [message] = await messagesFor(placed.orderId);
    expect(message).toMatchObject({ status: "cancelled", reason: "order cancelled" });
    expect(stack.mailsTo("cancel@example.com")).toHaveLength(0);
  });

  it("when the order is placed at 23:30 recipient-local › defers it to 08:00 local, never drops it", async () => {
    // 04:30 UTC = 23:30 in New York (EST) in November.
    await moveTo(4, 30);
    const placed = await stack.place({ email: "night@example.com", country: "US", province: "NY" });
    await stack.advance(20 * 60);
    await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 15_000 }).toBe("deferred");
    const [deferred] = await messagesFor(placed.orderId);
    expect(deferred.timezone).toBe("America/New_York");
    expect(deferred.reason).toMatch(/^quiet hours \(21:00–08:00 America\/New_York\): until /);
    const eightLocal = deferred.sendAt;
    expect(eightLocal.getUTCHours()).toBe(13); // 08:00 EST
    expect(stack.mailsTo("night@example.com")).toHaveLength(0);

    await stack.advanceTo(new Date(eightLocal.getTime() + 60_000));
    await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 15_000 }).toBe("sent");
    const [sent] = await messagesFor(placed.orderId);
    expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(eightLocal.getTime());
  });
});

describe("check-in flow (delivery-anchored)", () => {
  it("waits for the last shipment, plans the fallback, and re-plans when the delivery scan comes", async () => {
    await moveTo(13);
    const placed = await stack.place({ email: "split@example.com", country: "FR", lineItems: [{ title: "Socks", price: "12.00", quantity: 2 }] });
    const order = (await stack.control<{ id: string; fulfillments: unknown[] }[]>("/sandbox/api/orders")).find((o) => o.id === placed.orderId)!;
    expect(order).toBeDefined();
    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, { trackingNumber: "PKG-1" });
    const fulfilledAt = await stack.now();

    const [checkIn] = (await messagesFor(placed.orderId)).filter((m) => m.flow.key === "check_in");
    expect(checkIn).toMatchObject({ status: "scheduled", anchor: "fallback" });
    // fallback: 10 days after the last shipment, then the flow's 2 days.
    expect(Math.abs(checkIn.dueAt.getTime() - (fulfilledAt.getTime() + 12 * 24 * HOUR))).toBeLessThan(10 * 60_000);

    await stack.advance(3 * 24 * 3600);
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
    const [replanned] = (await messagesFor(placed.orderId)).filter((m) => m.flow.key === "check_in");
    expect(replanned.anchor).toBe("delivered");
    expect(replanned.events.map((e) => e.status)).toEqual(["scheduled", "replanned"]);
    expect(replanned.dueAt.getTime() - replanned.anchorAt.getTime()).toBe(2 * 24 * HOUR);
  });
});

describe("frequency cap", () => {
  it("when a survey is due the same hour as the thank-you › the survey is deferred by the cap (the thank-you counts), not dropped", async () => {
    await withFlow("test_cap_survey", { category: "survey", delayMinutes: 30, subject: "Tell us", body: "How was it?" }, async () => {
      await moveTo(12);
      const placed = await stack.place({ email: "cap@example.com", country: "FR" });
      await stack.advance(45 * 60);
      await expect.poll(() => statusOf(placed.orderId, "test_cap_survey"), { timeout: 15_000 }).toBe("deferred");
      expect(await statusOf(placed.orderId, "thank_you")).toBe("sent");
      const deferred = (await messagesFor(placed.orderId)).find((m) => m.flow.key === "test_cap_survey")!;
      expect(deferred.reason).toMatch(/^frequency cap \(1 per 24 h\)/);

      await stack.advance(24 * 3600);
      await expect.poll(() => statusOf(placed.orderId, "test_cap_survey"), { timeout: 15_000 }).toBe("sent");
      expect(stack.mailsTo("cap@example.com")).toHaveLength(2);
    });
  });

  it("when two service emails of one order are due the same hour › both go, the cap never defers service mail", async () => {
    await stack.db.flow.updateMany({ where: { shop: { domain: shop }, key: "check_in" }, data: { delayMinutes: 30, fallbackDays: 0 } });
    try {
      await moveTo(12);
      const placed = await stack.place({ email: "cap-service@example.com", country: "FR" });
      const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, {});
      await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });

      await stack.advance(45 * 60);
      await expect.poll(() => statusOf(placed.orderId, "check_in"), { timeout: 15_000 }).toBe("sent");
      expect(await statusOf(placed.orderId, "thank_you")).toBe("sent");
      const checkIn = (await messagesFor(placed.orderId)).find((m) => m.flow.key === "check_in")!;
      expect(checkIn.events.map((e) => e.status)).not.toContain("deferred");
      expect(stack.mailsTo("cap-service@example.com")).toHaveLength(2);
    } finally {
      await stack.db.flow.updateMany({ where: { shop: { domain: shop }, key: "check_in" }, data: { delayMinutes: 2 * 24 * 60, fallbackDays: 10 } });
    }
  });
});

describe("one order's mail", () => {
  const delayed = async (orderId: string) => {
    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${orderId}/fulfill`, { trackingNumber: "1Z-LATE" });
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delayed" });
  };

  it("a thank-you and a delay notice held overnight by quiet hours › go out at 08:00 local in the order they were due", async () => {
    await moveTo(4, 30); // 23:30 in New York: the thank-you is due at 23:45
    const placed = await stack.place({ email: "overnight@example.com", firstName: "Ada", country: "US", province: "NY" });
    await stack.advance(30 * 60);
    await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 15_000 }).toBe("deferred");
    await stack.advance(2 * 3600); // the carrier reports a delay at 02:00
    await delayed(placed.orderId);
    await expect.poll(() => statusOf(placed.orderId, "shipping_delay"), { timeout: 15_000 }).toBe("deferred");
    expect(stack.mailsTo("overnight@example.com")).toHaveLength(0);

    const eightLocal = (await messagesFor(placed.orderId)).find((m) => m.flow.key === "thank_you")!.sendAt;
    await stack.advanceTo(new Date(eightLocal.getTime() + 60_000));
    await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 20_000 }).toBe("sent");
    await expect.poll(() => statusOf(placed.orderId, "shipping_delay"), { timeout: 20_000 }).toBe("sent");
    expect(stack.mailsTo("overnight@example.com").map((m) => m.subject)).toEqual([
      `Thank you for your order ${placed.orderName}`,
      `An update on your order ${placed.orderName}`,
    ]);
  });

  it("a delay notice sent before the thank-you is due › the thank-you is skipped, with that reason on the timeline", async () => {
    await moveTo(13);
    const placed = await stack.place({ email: "late-first@example.com", country: "FR" });
    await delayed(placed.orderId);
    await expect.poll(() => statusOf(placed.orderId, "shipping_delay"), { timeout: 15_000 }).toBe("sent");

    await stack.advance(16 * 60);
    await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 15_000 }).toBe("skipped");
    const thankYou = (await messagesFor(placed.orderId)).find((m) => m.flow.key === "thank_you")!;
    expect(thankYou.reason).toBe("a delay notice about this order went out first");
    expect(thankYou.events.at(-1)).toMatchObject({ status: "skipped", reason: "a delay notice about this order went out first" });
    expect(stack.mailsTo("late-first@example.com").map((m) => m.subject)).toEqual([`An update on your order ${placed.orderName}`]);
  });
});

describe("SMTP outcomes", () => {
  /** A thank-you for `email` placed at 14:00 Paris, the server answering its first attempt with `fault`; returned once due. */
  async function dueWithFault(email: string, fault: MailFaultMode) {
    await moveTo(13);
    const placed = await stack.place({ email, country: "FR" });
    stack.services.mail.injectFault(fault, 1, email);
    await stack.advance(16 * 60);
    return placed;
  }

  it("when the server answers 451 then 250 › one email after a retry", async () => {
    const placed = await dueWithFault("retry@example.com", "tempfail");
    await expect.poll(async () => (await messagesFor(placed.orderId))[0]?.events.map((e) => e.status), { timeout: 15_000 }).toContain("retry");
    const [retrying] = await messagesFor(placed.orderId);
    expect(retrying.status).toBe("scheduled");
    expect(retrying.reason).toMatch(/^attempt 1 failed/);

    await stack.advance(2 * 60);
    await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 15_000 }).toBe("sent");
    expect(stack.mailsTo("retry@example.com")).toHaveLength(1);
  });

  // The message settles at once with `settles`; `check` looks at what followed.
  const cases: {
    when: string;
    outcome: string;
    email: string;
    fault: MailFaultMode;
    settles: string;
    check: (placed: PlacedOrder, email: string) => Promise<void>;
  }[] = [
    {
      when: "the server answers 421 (closing) then 250",
      outcome: "one email, resent on a fresh connection before any data left",
      email: "closing@example.com",
      fault: "unavailable",
      settles: "sent",
      check: async (_placed, email) => {
        expect(stack.services.mail.faultsLeft()).toBe(0); // the 421 really happened
        expect(stack.mailsTo(email)).toHaveLength(1);
      },
    },
    {
      when: "the server answers 550",
      outcome: "the message fails with the reason and the address is suppressed",
      email: "bounce@example.com",
      fault: "reject",
      settles: "failed",
      check: async (placed, email) => {
        expect((await messagesFor(placed.orderId))[0].reason).toMatch(/^rejected by the mail server \(550\)/);
        const suppressed = await stack.db.suppression.findMany({ where: { email } });
        expect(suppressed.map((s) => [s.scope, s.reason])).toEqual([["all", "bounce"]]);
      },
    },
    {
      when: "the connection drops after the data was sent",
      outcome: "marked unknown and never re-sent blindly",
      email: "unknown@example.com",
      fault: "drop-after-data",
      settles: "unknown",
      check: async (placed, email) => {
        await stack.advance(3600);
        await stack.idle();
        expect(await statusOf(placed.orderId, "thank_you")).toBe("unknown");
        expect(stack.mailsTo(email).length).toBeLessThanOrEqual(1);
      },
    },
  ];
  for (const { when, outcome, email, fault, settles, check } of cases) {
    it(`when ${when} › ${outcome}`, async () => {
      const placed = await dueWithFault(email, fault);
      await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 20_000 }).toBe(settles);
      await stack.idle();
      await check(placed, email);
    });
  }
});

describe("holdout", () => {
  it("records a held-out customer and sends nothing", async () => {
    await stack.db.flow.updateMany({ where: { shop: { domain: shop }, key: "thank_you" }, data: { holdoutPercent: 100 } });
    try {
      await moveTo(13);
      const placed = await stack.place({ email: "holdout@example.com", country: "FR" });
      const [message] = await messagesFor(placed.orderId);
      expect(message).toMatchObject({ status: "held_out", reason: "holdout group (100 %)" });
      await stack.advance(20 * 60);
      await stack.idle();
      expect(stack.mailsTo("holdout@example.com")).toHaveLength(0);
    } finally {
      await stack.db.flow.updateMany({ where: { shop: { domain: shop }, key: "thank_you" }, data: { holdoutPercent: 0 } });
    }
  });
});

describe("consent and templates", () => {
  it("after a one-click unsubscribe › later survey email is skipped as unsubscribed while service email still goes", async () => {
    await stack.db.shop.update({ where: { domain: shop }, data: { frequencyCapCount: 10 } });
    await withFlow(
      "test_survey",
      {
        category: "survey",
        delayMinutes: 20,
        subject: "A quick question",
        body: "How was it, {{ customer.first_name }}?",
      },
      async () => {
        await moveTo(13);
        const first = await stack.place({ email: "optout@example.com", firstName: "Noor", country: "FR" });
        await stack.advance(25 * 60);
        await expect.poll(() => statusOf(first.orderId, "test_survey"), { timeout: 15_000 }).toBe("sent");
        const surveyMail = stack.mailsTo("optout@example.com").find((m) => m.subject === "A quick question")!;
        expect(surveyMail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
        const unsubscribeUrl = /<(https?:[^>]+)>/.exec(surveyMail.headers["list-unsubscribe"])![1];
        expect(unsubscribeUrl).not.toContain("optout");
        expect(surveyMail.text).toContain(unsubscribeUrl); // the visible link

        const oneClick = await postForm(unsubscribeUrl, "List-Unsubscribe=One-Click");
        expect(oneClick.status).toBe(200);

        const second = await stack.place({ email: "optout@example.com", firstName: "Noor", country: "FR" });
        await stack.advance(25 * 60);
        await expect.poll(() => statusOf(second.orderId, "test_survey"), { timeout: 15_000 }).toBe("skipped");
        const skipped = (await messagesFor(second.orderId)).find((m) => m.flow.key === "test_survey")!;
        expect(skipped.reason).toBe("unsubscribed");
        await expect.poll(() => statusOf(second.orderId, "thank_you"), { timeout: 15_000 }).toBe("sent");
      },
    );
  });

  it("a template that runs too long fails only its own message", async () => {
    await withFlow(
      "test_slow",
      {
        category: "service",
        delayMinutes: 15,
        subject: "Slow",
        body: "{% for a in (1..100000) %}{% for b in (1..100000) %}{{ a }}{% endfor %}{% endfor %}",
      },
      async () => {
        await stack.db.shop.update({ where: { domain: shop }, data: { frequencyCapCount: 10 } });
        await moveTo(13);
        const placed = await stack.place({ email: "slow@example.com", country: "FR" });
        await stack.advance(16 * 60);
        await expect.poll(() => statusOf(placed.orderId, "test_slow"), { timeout: 20_000 }).toBe("failed");
        const failed = (await messagesFor(placed.orderId)).find((m) => m.flow.key === "test_slow")!;
        expect(failed.reason).toMatch(/^template timeout error/);
        await expect.poll(() => statusOf(placed.orderId, "thank_you"), { timeout: 15_000 }).toBe("sent");
      },
    );
  });

  it("an order placed within 7 days of a click is attributed to the flow", async () => {
    await moveTo(13);
    const first = await stack.place({ email: "clicker@example.com", country: "FR" });
    await stack.advance(16 * 60);
    await expect.poll(() => statusOf(first.orderId, "thank_you"), { timeout: 15_000 }).toBe("sent");
    const mail = stack.mailsTo("clicker@example.com")[0];
    const tracked = /href="([^"]*\/c\/[^"]+)"/.exec(mail.html)![1].replace(/&amp;/g, "&");
    const click = await fetch(tracked, { redirect: "manual" });
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toMatch(/^https:\/\/shop\.trustloop-demo\.example\//);

    await stack.advance(2 * 24 * 3600);
    const second = await stack.place({ email: "clicker@example.com", country: "FR" });
    const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: `gid://shopify/Order/${second.orderId}` } });
    const [attribution] = await stack.db.attribution.findMany({ where: { orderId: order.id }, include: { message: { include: { flow: true } } } });
    expect(attribution.message.flow.key).toBe("thank_you");
    expect(attribution.revenueCents).toBe(order.totalCents);
  });
});
