// Two worker processes on one queue, racing over the same due work: every message goes out once,
// a customer with several surveys due at once passes the frequency cap once and the NPS rule once,
// and the apology budget is never exceeded although several delay notices claim codes at once.
import { describe, expect, it } from "vitest";
import { nextWeekdayUtc, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shopId: string;

const order = (orderId: string) => ({ order: { shopifyId: `gid://shopify/Order/${orderId}` } });
/** Each order's message of a flow, without reminders (a sent review request plans one). */
const flowMessages = (orderIds: string[], flow: string) =>
  stack.db.message.findMany({
    where: { OR: orderIds.map(order), flow: { key: flow }, step: { not: "reminder" } },
    include: { events: { orderBy: { at: "asc" } } },
  });
/** Messages due by now (on the sandbox clock) that are not settled yet. */
const pending = async () =>
  stack.db.message.count({ where: { shopId, status: { in: ["scheduled", "deferred", "sending"] }, sendAt: { lte: await stack.now() } } });

/** The emails the catcher received for one message (its Message-ID is `<rfcMessageId@domain>`). */
const mailsOf = (m: { rfcMessageId: string }) => stack.services.mail.messages().filter((mail) => mail.headers["message-id"]?.startsWith(`<${m.rfcMessageId}@`));

/** Every email the catcher received, by Message-ID: none twice. */
function receivedTwice(): string[] {
  const seen = new Map<string, number>();
  for (const mail of stack.services.mail.messages()) seen.set(mail.headers["message-id"], (seen.get(mail.headers["message-id"]) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}

useStack(
  { install: true },
  async (started) => {
    stack = started;
    const shop = await stack.db.shop.update({
      where: { domain: stack.services.demoShop },
      data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 1, frequencyCapHours: 24 },
    });
    shopId = shop.id;
    await stack.startWorker();
    await stack.startWorker();
  },
  180_000,
);

describe("two workers", () => {
  it("send each due message once, and spend the apology budget once", async () => {
    await expect.poll(() => stack.db.workerHeartbeat.count({ where: { stoppedAt: null, queueWorkerId: { not: null } } }), { timeout: 60_000 }).toBe(2);
    await stack.db.delaySettings.upsert({ where: { shopId }, create: { shopId, monthlyMaxCodes: 2 }, update: { monthlyMaxCodes: 2 } });
    await stack.advanceTo(await nextWeekdayUtc(stack, 3, 15));
    const emails = Array.from({ length: 24 }, (_, i) => `race${i}@example.com`);
    const placed = [];
    for (const email of emails) placed.push(await stack.place({ email, country: "US", province: "NY" }));
    // Five of them are delayed: five notices want an apology code at once; the budget has two.
    const delayed = placed.slice(0, 5);
    for (const p of delayed) {
      const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${p.orderId}/fulfill`, {});
      await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delayed" });
    }
    await stack.advance(16 * 60); // the thank-yous come due together
    await expect.poll(pending, { timeout: 120_000 }).toBe(0);

    const ids = placed.map((p) => p.orderId);
    const thankYous = await flowMessages(ids, "thank_you");
    const notices = await flowMessages(
      delayed.map((p) => p.orderId),
      "shipping_delay",
    );
    expect(thankYous).toHaveLength(24);
    expect(notices).toHaveLength(5);
    expect(receivedTwice()).toEqual([]);
    for (const m of [...thankYous, ...notices]) {
      const received = mailsOf(m);
      if (m.status === "sent") expect(received, m.id).toHaveLength(1);
      else expect([m.status, received.length], m.id).toEqual(["skipped", 0]); // a thank-you after its order's delay notice
    }
    expect(notices.map((m) => m.status)).toEqual(["sent", "sent", "sent", "sent", "sent"]);
    expect(await stack.db.discountCode.count({ where: { shopId, messageId: { in: notices.map((m) => m.id) } } })).toBe(2);
    const withoutCode = notices.filter((m) =>
      m.events.some((e) => e.status === "note" && /^sent without a code: monthly apology budget reached/.test(e.reason ?? "")),
    );
    expect(withoutCode).toHaveLength(3);
  }, 300_000);

  it("pass the frequency cap and the NPS rule once for a customer with several surveys due at once", async () => {
    const email = "surveyed-often@example.com";
    const placed = [];
    for (let i = 0; i < 3; i++) placed.push(await stack.place({ email, firstName: "Sam", country: "FR" }));
    for (const p of placed) {
      const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${p.orderId}/fulfill`, {});
      await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
    }
    const ids = placed.map((p) => p.orderId);
    await expect.poll(async () => (await flowMessages(ids, "review_request")).length, { timeout: 30_000 }).toBe(3);

    // Their check-ins (service mail, which counts towards the cap) go first, days before.
    const checkIns = await flowMessages(ids, "check_in");
    await stack.advanceTo(new Date(Math.max(...checkIns.map((m) => m.dueAt.getTime())) + 60_000));
    await expect.poll(async () => (await flowMessages(ids, "check_in")).filter((m) => m.status === "sent").length, { timeout: 120_000 }).toBe(3);

    // The three review requests (surveys) come due at the same moment: the cap (1 per 24 h) lets one
    // through. The others are held by the cap, or skipped because that one already asked about the
    // same products — never sent.
    const reviews = await flowMessages(ids, "review_request");
    await stack.advanceTo(new Date(Math.max(...reviews.map((m) => m.dueAt.getTime())) + 60_000));
    const settled = (m: { status: string }) => ["sent", "deferred", "skipped"].includes(m.status);
    await expect.poll(async () => (await flowMessages(ids, "review_request")).filter(settled).length, { timeout: 120_000 }).toBe(3);
    const outcomes = await flowMessages(ids, "review_request");
    expect(outcomes.filter((m) => m.status === "sent")).toHaveLength(1);
    for (const m of outcomes.filter((m) => m.status !== "sent")) {
      expect(m.reason, m.status).toMatch(m.status === "deferred" ? /^frequency cap \(1 per 24 h\)/ : /^already asked about these products/);
    }
    expect(outcomes.flatMap(mailsOf)).toHaveLength(1);

    // A week later the three NPS surveys come due at once: one goes, the others never do (the cap,
    // raised now, is not what stops them: the once-per-90-days rule is).
    await stack.db.shop.update({ where: { id: shopId }, data: { frequencyCapCount: 10 } });
    const nps = await flowMessages(ids, "nps");
    expect(nps).toHaveLength(3);
    await stack.advanceTo(new Date(Math.max(...nps.map((m) => m.dueAt.getTime())) + 60_000));
    await expect.poll(async () => (await flowMessages(ids, "nps")).filter((m) => m.status === "sent").length, { timeout: 120_000 }).toBe(1);
    await expect.poll(async () => (await flowMessages(ids, "nps")).filter((m) => m.status === "skipped").length, { timeout: 120_000 }).toBe(2);
    for (const m of (await flowMessages(ids, "nps")).filter((m) => m.status === "skipped")) expect(m.reason).toBe("already surveyed within 90 days");
    expect(nps.flatMap(mailsOf)).toHaveLength(1);
    expect(receivedTwice()).toEqual([]);
  }, 300_000);
});
