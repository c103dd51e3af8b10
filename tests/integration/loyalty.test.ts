// Loyalty points end to end: signed webhooks → ledger → worker approval → Points earned email.
import { describe, expect, it } from "vitest";
import { postWebhook, type Stack, postForm } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;

async function entriesFor(email: string) {
  return stack.db.pointsEntry.findMany({ where: { member: { email } }, orderBy: { createdAt: "asc" } });
}
const total = (entries: { points: number }[]) => entries.reduce((sum, e) => sum + e.points, 0);

useStack({ install: true }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  // Points emails are the subject here: no quiet hours or cap in the way.
  await stack.db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 10 } });
  await stack.startWorker();
});

describe("loyalty points", () => {
  it("a paid order earns pending points; after the return window they are approved and the customer is told (with consent)", async () => {
    await stack.place({
      email: "loyal@example.com",
      firstName: "Lea",
      country: "FR",
      marketingConsent: true,
      lineItems: [{ title: "Jacket", price: "120.00", quantity: 1 }],
    });
    const [earn] = await entriesFor("loyal@example.com");
    expect(earn).toMatchObject({ kind: "earn", status: "pending", points: 120 });

    await stack.advance(15 * 86_400);
    await expect.poll(async () => (await entriesFor("loyal@example.com"))[0]?.status, { timeout: 20_000 }).toBe("approved");
    const mail = await stack.services.mail.waitFor((m) => m.to.includes("loyal@example.com") && m.subject.includes("points are ready"), 20_000);
    expect(mail.text).toContain("120");
  });

  it("without marketing consent the points are approved but the email is skipped, with the reason", async () => {
    await stack.place({ email: "quiet@example.com", country: "FR", marketingConsent: false, lineItems: [{ title: "Socks", price: "20.00", quantity: 1 }] });
    await stack.advance(15 * 86_400);
    await expect.poll(async () => (await entriesFor("quiet@example.com"))[0]?.status, { timeout: 20_000 }).toBe("approved");
    const message = await stack.db.message.findFirst({ where: { recipient: "quiet@example.com", flow: { key: "points_earned" } } });
    await expect.poll(async () => (await stack.db.message.findUnique({ where: { id: message!.id } }))?.status, { timeout: 20_000 }).toBe("skipped");
    expect((await stack.db.message.findUnique({ where: { id: message!.id } }))!.reason).toBe("no marketing consent");
  });

  it("a partial refund reverses points pro rata; a cancellation reverses the rest", async () => {
    const placed = await stack.place({ email: "refunder@example.com", country: "FR", lineItems: [{ title: "Bag", price: "100.00", quantity: 1 }] });
    await stack.control(`/sandbox/api/orders/${placed.orderId}/refund`, { amount: "25.00" });
    const afterRefund = await entriesFor("refunder@example.com");
    expect(afterRefund.map((e) => [e.kind, e.points])).toEqual([
      ["earn", 100],
      ["reverse", -25],
    ]);
    await stack.control(`/sandbox/api/orders/${placed.orderId}/cancel`, {});
    expect(total(await entriesFor("refunder@example.com"))).toBe(0);
  });

  it("two refund webhooks at the same time never take the balance below zero", async () => {
    const placed = await stack.place({ email: "race@example.com", country: "FR", lineItems: [{ title: "Cap", price: "100.00", quantity: 1 }] });
    await stack.advance(15 * 86_400);
    await expect.poll(async () => (await entriesFor("race@example.com"))[0]?.status, { timeout: 20_000 }).toBe("approved");
    const refund = (id: number) => ({
      id,
      order_id: Number(placed.orderId),
      created_at: new Date().toISOString(),
      transactions: [{ kind: "refund", status: "success", amount: "60.00" }],
      refund_line_items: [],
    });
    const [a, b] = await Promise.all([
      postWebhook(stack.appUrl, "refunds/create", refund(9901), { shop }),
      postWebhook(stack.appUrl, "refunds/create", refund(9902), { shop }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Two appliers at once (the worker's job may be a third): each takes one delivery.
    await Promise.all([stack.applyWebhooks(), stack.applyWebhooks()]);
    const entries = await entriesFor("race@example.com");
    expect(entries.filter((e) => e.kind === "reverse")).toHaveLength(2);
    expect(total(entries)).toBe(0);
  });
});

describe("one-click unsubscribe from a review request", () => {
  const email = "unsubscriber@example.com";
  // The order's message of a flow, not its reminder: a sent review request plans a reminder of the
  // same flow, and an unordered lookup could return that (still scheduled) reminder instead.
  const flowMessage = (orderId: string, flow: string) =>
    stack.db.message.findFirst({ where: { order: { shopifyId: `gid://shopify/Order/${orderId}` }, flow: { key: flow }, step: { not: "reminder" } } });
  const statusOf = async (orderId: string, flow: string) => (await flowMessage(orderId, flow))?.status;

  it("stops the Points earned email too; service mail still goes; the preferences page opts back in", async () => {
    const first = await stack.place({ email, firstName: "Uma", country: "FR", marketingConsent: true }); // the shop's products: review requests ask about them
    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${first.orderId}/fulfill`, {});
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
    const planned = (await flowMessage(first.orderId, "review_request"))!;
    await stack.advanceTo(new Date(planned.dueAt.getTime() + 60_000));
    await expect.poll(() => statusOf(first.orderId, "review_request"), { timeout: 90_000 }).toBe("sent");
    const review = await stack.services.mail.waitFor((m) => m.to.includes(email) && m.subject.startsWith("How do you like your purchase"), 20_000);
    const unsubscribe = /<(https?:[^>]+)>/.exec(review.headers["list-unsubscribe"])![1];
    expect((await postForm(unsubscribe, "List-Unsubscribe=One-Click")).status).toBe(200);

    // The points of that order are approved a week later: the marketing email is skipped.
    await stack.advance(8 * 86_400);
    // (The install's history import shares the worker meanwhile, slower on a loaded machine: generous deadlines.)
    await expect.poll(() => statusOf(first.orderId, "points_earned"), { timeout: 90_000 }).toBe("skipped");
    expect((await flowMessage(first.orderId, "points_earned"))!.reason).toBe("unsubscribed");
    expect(stack.services.mail.messages().filter((m) => m.to.includes(email) && m.subject.includes("points are ready"))).toHaveLength(0);

    // A new order: its thank-you (service) goes.
    const second = await stack.place({
      email,
      firstName: "Uma",
      country: "FR",
      marketingConsent: true,
      lineItems: [{ title: "Shade", price: "30.00", quantity: 1 }],
    });
    await stack.advance(20 * 60);
    await expect.poll(() => statusOf(second.orderId, "thank_you"), { timeout: 90_000 }).toBe("sent");

    // The preferences page shows both categories off; choosing offers again lets the next Points earned email through.
    const page = await (await fetch(unsubscribe)).text();
    expect(page).toMatch(/<input[^>]*name="surveys"(?![^>]*checked)[^>]*>/);
    expect(page).toMatch(/<input[^>]*name="marketing"(?![^>]*checked)[^>]*>/);
    expect((await postForm(unsubscribe, "intent=preferences&marketing=on")).status).toBe(200);
    expect((await stack.db.suppression.findMany({ where: { email } })).map((s) => s.scope)).toEqual(["survey"]);
    await stack.advance(15 * 86_400);
    await expect.poll(() => statusOf(second.orderId, "points_earned"), { timeout: 90_000 }).toBe("sent");
  }, 420_000);
});
