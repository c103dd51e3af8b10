// The merchant admin through the real server: flow editor (validation, re-planning, preview,
// test email), the on/off toggle, settings, activity filters and tenant isolation.
import { describe, expect, it } from "vitest";
import type { Flow, MessageStatus } from "@prisma/client";
import { formValuesFromFlow } from "../../app/engine/admin/flow-form";
import { postAdminAction } from "../support/admin-actions";
import { DKIM_ENV } from "../support/dkim";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
const SECOND = "second-shop.myshopify.com";

const SHOP_EMAIL = "owner@trustloop-demo.example";

// Mail is DKIM-signed, as in production; the test email must be too.
useStack({ env: DKIM_ENV }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  expect((await stack.install()).status).toBe(200);
});

const post = (pathname: string, fields: Record<string, string>, asShop = shop, userId = 1) => postAdminAction(stack.appUrl, pathname, fields, asShop, userId);

async function flowOf(key: string, domain = shop): Promise<Flow> {
  return stack.db.flow.findFirstOrThrow({ where: { key, shop: { domain } } });
}

async function formFor(flow: Flow, changes: Record<string, string> = {}) {
  return { intent: "save", ...formValuesFromFlow(flow, "USD"), ...changes };
}

async function pendingMessage(flow: Flow, anchorAt: Date, status: MessageStatus = "scheduled", extra: { reason?: string; recipient?: string } = {}) {
  const key = `${flow.shopId}:test:${flow.key}:${Math.random().toString(36).slice(2)}`;
  const dueAt = new Date(anchorAt.getTime() + flow.delayMinutes * 60_000);
  return stack.db.message.create({
    data: {
      shopId: flow.shopId,
      flowId: flow.id,
      dedupeKey: key,
      category: flow.category,
      status,
      reason: extra.reason ?? null,
      recipient: extra.recipient ?? "jane@example.com",
      timezone: "America/New_York",
      anchor: "order_created",
      anchorAt,
      dueAt,
      sendAt: dueAt,
      rfcMessageId: key,
    },
  });
}

describe("flow editor", () => {
  it("refuses a template with an unclosed {% if %}, naming the line, and saves nothing", async () => {
    const before = await flowOf("thank_you");
    const { status, data } = await post(
      `/app/flows/${before.id}`,
      await formFor(before, { delayValue: "3", delayUnit: "hours", body: "Hi there,\n\n{% if customer.first_name %}\nWelcome back" }),
    );
    expect(status).toBe(200);
    expect(data?.errors?.body).toMatch(/^line \d+: /);
    const after = await flowOf("thank_you");
    expect(after).toEqual(before);
  });

  it("saves a valid edit and re-plans the flow's pending message from its anchor", async () => {
    const flow = await flowOf("thank_you");
    const now = await stack.now();
    const anchorAt = new Date(now.getTime() - 10 * 60_000);
    const message = await pendingMessage(flow, anchorAt);
    const { status, data } = await post(
      `/app/flows/${flow.id}`,
      await formFor(flow, { delayValue: "2", delayUnit: "hours", holdoutPercent: "10", countries: "us, ca", minTotal: "25.50" }),
    );
    expect(status).toBe(200);
    expect(data).toMatchObject({ errors: {}, replanned: 1 });

    const saved = await flowOf("thank_you");
    expect(saved).toMatchObject({ delayMinutes: 120, holdoutPercent: 10 });
    expect(saved.conditions).toMatchObject({ countries: ["US", "CA"], minTotalCents: 2550, customer: "any" });
    const moved = await stack.db.message.findUniqueOrThrow({ where: { id: message.id }, include: { events: true } });
    expect(moved.dueAt.getTime()).toBe(anchorAt.getTime() + 120 * 60_000);
    expect(moved.sendAt.getTime()).toBe(moved.dueAt.getTime());
    expect(moved.status).toBe("scheduled");
    expect(moved.events.map((e) => [e.status, e.reason])).toContainEqual(["replanned", "flow timing changed"]);
  });

  it("refuses invalid fields (holdout above 50, bad country code) without saving", async () => {
    const before = await flowOf("check_in");
    const { data } = await post(`/app/flows/${before.id}`, await formFor(before, { holdoutPercent: "80", countries: "USA" }));
    expect(data?.errors).toMatchObject({ holdoutPercent: expect.any(String), countries: expect.any(String) });
    expect(await flowOf("check_in")).toEqual(before);
  });

  it("previews the unsaved template without saving it", async () => {
    const flow = await flowOf("thank_you");
    const { data } = await post(`/app/flows/${flow.id}`, { intent: "preview", subject: "Preview {{ shop.name }}", body: "Unsaved body text" });
    expect(data).toMatchObject({ preview: { subject: "Preview Trustloop Demo Outfitters" } });
    expect((data as { preview: { html: string } }).preview.html).toContain("Unsaved body text");
    expect((await flowOf("thank_you")).body).toBe(flow.body);
  });

  it("says which size limit a template's rendered subject or body hit", async () => {
    const flow = await flowOf("thank_you");
    const subject = await post(`/app/flows/${flow.id}`, { intent: "preview", subject: "{% for i in (1..1000) %}{{ shop.name }}{% endfor %}", body: "Hi" });
    expect(subject.data).toMatchObject({ errors: { subject: expect.stringMatching(/^The subject is [\d,]+ characters once rendered; the limit is 500$/) } });
    const body = await post(`/app/flows/${flow.id}`, { intent: "preview", subject: "Hi", body: "{% for i in (1..5000) %}{{ shop.name }}{% endfor %}" });
    expect(body.data).toMatchObject({ errors: { body: expect.stringMatching(/^The body is [\d,]+ KB once rendered; the limit is 100 KB/) } });
  });

  it("refuses to save a template that renders over a size limit, naming it", async () => {
    const before = await flowOf("check_in");
    const { data } = await post(`/app/flows/${before.id}`, await formFor(before, { subject: "{% for i in (1..1000) %}{{ shop.name }}{% endfor %}" }));
    expect(data?.errors).toEqual({ subject: expect.stringMatching(/^The subject is [\d,]+ characters once rendered; the limit is 500$/) });
    expect(await flowOf("check_in")).toEqual(before);
  });

  it("sends a DKIM-signed test email to the shop's address, rendered from the sample order, subject prefixed [Test]", async () => {
    await stack.db.rateLimit.deleteMany();
    // A real customer's order exists: the test email must not show it.
    await stack.place({ email: "real-customer@example.com", firstName: "Rosalind", country: "US" });
    const flow = await flowOf("thank_you");
    const { data } = await post(`/app/flows/${flow.id}`, { intent: "test", to: SHOP_EMAIL, subject: flow.subject, body: flow.body });
    expect(data).toMatchObject({ test: { status: "sent", to: SHOP_EMAIL } });
    const mail = await stack.services.mail.waitFor((m) => m.subject.startsWith("[Test] "));
    expect(mail.to).toEqual([SHOP_EMAIL]);
    expect(mail.subject).toBe("[Test] Thank you for your order #1042");
    expect(mail.text).toContain("Hi Maya");
    expect(mail.text).not.toContain("Rosalind");
    expect(mail.headers["dkim-signature"]).toMatch(/d=trustloop-demo\.example;.*s=tl;/s);
    expect(mail.headers.from).toContain("Trustloop Demo Outfitters");
  });

  it("refuses a test email to any address but the shop's or the signed-in staff member's", async () => {
    const flow = await flowOf("thank_you");
    stack.services.mail.clear();
    const stranger = await post(`/app/flows/${flow.id}`, {
      intent: "test",
      to: "victim@example.com",
      subject: "Your account",
      body: "Log in at https://evil.example",
    });
    expect(stranger.data).toEqual({ intent: "test", errors: { to: expect.stringMatching(/shop's email or yours/) } });
    // Another staff member's address is theirs, not the owner's to use.
    const colleague = await post(`/app/flows/${flow.id}`, { intent: "test", to: "staff-7@trustloop-demo.example", subject: flow.subject, body: flow.body });
    expect(colleague.data?.errors?.to).toMatch(/shop's email or yours/);
    expect(stack.services.mail.messages()).toEqual([]);

    // Staff member 7, signed in, may send to their own address (from the online token exchange).
    const own = await post(`/app/flows/${flow.id}`, { intent: "test", to: "Staff-7@trustloop-demo.example", subject: flow.subject, body: flow.body }, shop, 7);
    expect(own.data).toMatchObject({ test: { status: "sent", to: "staff-7@trustloop-demo.example" } });
    const page = await (await stack.adminGet(`/app/flows/${flow.id}`)).text();
    expect(page).toContain(SHOP_EMAIL);
  });

  it("sends at most 5 test emails per shop and hour, counted in the database, and says so when the limit is hit", async () => {
    const flow = await flowOf("thank_you");
    await stack.db.rateLimit.deleteMany();
    stack.services.mail.clear();
    const send = () => post(`/app/flows/${flow.id}`, { intent: "test", to: SHOP_EMAIL, subject: flow.subject, body: flow.body });
    for (let i = 0; i < 5; i++) expect((await send()).data).toMatchObject({ test: { status: "sent" } });
    expect((await send()).data).toMatchObject({ test: { status: "limited", limit: 5, retryInMinutes: 60 } });
    expect(stack.services.mail.messages()).toHaveLength(5);
    const row = await stack.db.rateLimit.findFirstOrThrow({ where: { key: { endsWith: flow.shopId } } });
    expect(row.points).toBe(6);
    await stack.db.rateLimit.deleteMany(); // later tests start with a fresh allowance
  });

  it("turns a flow off and on again", async () => {
    const flow = await flowOf("nps");
    expect((await post(`/app/flows/${flow.id}`, { intent: "toggle", enabled: "false" })).status).toBe(200);
    expect((await flowOf("nps")).enabled).toBe(false);
    expect((await post(`/app/flows/${flow.id}`, { intent: "toggle", enabled: "true" })).status).toBe(200);
    expect((await flowOf("nps")).enabled).toBe(true);
  });

  it("lists the flows with their 30-day figures", async () => {
    const html = await stack.adminPage("/app/flows");
    expect(html).toContain("Thank-you &amp; reassurance");
    expect(html).toContain("2 hours after the order");
  });
});

describe("tenant isolation", () => {
  it("answers 404 for another shop's flow, to loaders and actions alike", async () => {
    expect((await stack.install(SECOND)).status).toBe(200);
    const theirs = await flowOf("thank_you");
    expect((await stack.adminGet(`/app/flows/${theirs.id}`, SECOND)).status).toBe(404);
    const before = await flowOf("thank_you");
    const { status } = await post(`/app/flows/${theirs.id}`, { intent: "toggle", enabled: "false" }, SECOND);
    expect(status).toBe(404);
    expect(await flowOf("thank_you")).toEqual(before);
    expect((await stack.adminGet(`/app/flows/${(await flowOf("thank_you", SECOND)).id}`, SECOND)).status).toBe(200);
  });
});

describe("settings", () => {
  it("refuses a bad colour and an http logo, then saves valid settings", async () => {
    const valid = {
      senderName: "Demo Team",
      replyTo: "help@example.com",
      brandColor: "#AA3300",
      logoUrl: "https://cdn.example.com/logo.png",
      quietHoursStart: "22:00",
      quietHoursEnd: "07:30",
      frequencyCapCount: "2",
      frequencyCapHours: "48",
    };
    const bad = await post("/app/settings", { ...valid, brandColor: "red", logoUrl: "http://cdn.example.com/logo.png" });
    expect(bad.status).toBe(200);
    expect(bad.data?.errors).toMatchObject({ brandColor: expect.any(String), logoUrl: expect.any(String) });
    expect(await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ brandColor: "#1f6f5c", senderName: null });

    // A sender name reads as a name: no address, no link, not overlong.
    for (const [senderName, problem] of [
      ["PayPal <service@paypal.com>", /email address/],
      ["Verify at paypal-login.example", /web address/],
      ["x".repeat(61), /At most 60/],
    ] as const) {
      expect((await post("/app/settings", { ...valid, senderName })).data?.errors?.senderName).toMatch(problem);
    }
    expect((await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).senderName).toBeNull();

    const good = await post("/app/settings", valid);
    expect(good.data).toMatchObject({ errors: {}, saved: true });
    expect(await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({
      senderName: "Demo Team",
      replyTo: "help@example.com",
      brandColor: "#aa3300",
      logoUrl: "https://cdn.example.com/logo.png",
      quietHoursStart: "22:00",
      quietHoursEnd: "07:30",
      frequencyCapCount: 2,
      frequencyCapHours: 48,
    });
  });
});

describe("activity", () => {
  it("filters by status and masks recipients", async () => {
    const flow = await flowOf("check_in");
    const now = await stack.now();
    await pendingMessage(flow, now, "skipped", { reason: "conditions: ships to another country", recipient: "zoe@example.org" });
    await pendingMessage(flow, now, "cancelled", { reason: "order cancelled", recipient: "max@example.org" });

    const all = await (await stack.adminGet("/app/activity")).text();
    expect(all).toContain("ships to another country");
    expect(all).toContain("order cancelled");
    expect(all).toContain("z•••@example.org");
    expect(all).not.toContain("zoe@example.org");

    const skipped = await stack.adminPage("/app/activity?status=skipped");
    expect(skipped).toContain("ships to another country");
    expect(skipped).not.toContain("order cancelled");
  });
});

describe("order timeline", () => {
  it("shows every message with its events, explains an unknown outcome, and sends again only when asked", async () => {
    const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    const order = await stack.db.order.create({
      data: { shopId: shopRow.id, shopifyId: "gid://shopify/Order/990001", placeholder: false, name: "#9901", placedAt: await stack.now() },
    });
    const flow = await flowOf("thank_you");
    const message = await pendingMessage(flow, await stack.now(), "unknown", { reason: "delivery outcome unknown (ECONNECTION (CONN): lost)" });
    await stack.db.message.update({ where: { id: message.id }, data: { orderId: order.id } });
    await stack.db.messageEvent.createMany({
      data: [
        { messageId: message.id, at: new Date(Date.now() - 60_000), status: "scheduled" },
        { messageId: message.id, at: new Date(), status: "unknown", reason: "delivery outcome unknown (ECONNECTION (CONN): lost)" },
      ],
    });

    const html = await (await stack.adminGet(`/app/orders/${order.id}`)).text();
    expect(html).toContain("Messages");
    expect(html).toContain("it may have been delivered. Trustloop will not resend it automatically.");
    expect(html).toContain("delivery outcome unknown");
    expect(html).toContain("Send again");

    // Another shop cannot see the order nor resend its message.
    expect((await stack.adminGet(`/app/orders/${order.id}`, SECOND)).status).toBe(404);
    expect((await post(`/app/orders/${order.id}`, { intent: "resend", messageId: message.id }, SECOND)).status).toBe(404);
    expect((await stack.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("unknown");

    const now = await stack.now();
    const { status, data } = await post(`/app/orders/${order.id}`, { intent: "resend", messageId: message.id });
    expect(status).toBe(200);
    expect(data).toEqual({ errors: {} });
    const resent = await stack.db.message.findUniqueOrThrow({ where: { id: message.id }, include: { events: { orderBy: { at: "asc" } } } });
    expect(resent).toMatchObject({ status: "scheduled", reason: "resent by merchant" });
    expect(resent.sendAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(resent.events.at(-1)).toMatchObject({ status: "scheduled", reason: "resent by merchant" });

    // Twice is refused: it is no longer waiting for a decision.
    expect((await post(`/app/orders/${order.id}`, { intent: "resend", messageId: message.id })).data?.errors?.messageId).toMatch(/no longer/);

    const search = await (await stack.adminGet("/app/activity?order=9901")).text();
    expect(search).toContain(`/app/orders/${order.id}`);
  });

  it("reports a test email the mail server refused, with the reason", async () => {
    const flow = await flowOf("thank_you");
    stack.services.mail.injectFault("reject", 1);
    const { data } = await post(`/app/flows/${flow.id}`, { intent: "test", to: SHOP_EMAIL, subject: flow.subject, body: flow.body });
    expect(data).toMatchObject({ test: { status: "failed", reason: expect.stringMatching(/550|RCPT/) } });
    stack.services.mail.clearFaults();
  });
});
