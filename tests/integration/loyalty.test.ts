// Loyalty points end to end: signed webhooks → ledger → worker approval → Points earned email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postWebhook, startStack, type Stack } from "../support/stack";

let stack: Stack;
let shop: string;

interface Placed {
  orderId: string;
  email: string;
}
const place = (body: Record<string, unknown>) => stack.control<Placed>("/sandbox/api/orders", body);

async function entriesFor(email: string) {
  return stack.db.pointsEntry.findMany({ where: { member: { email } }, orderBy: { createdAt: "asc" } });
}
const total = (entries: { points: number }[]) => entries.reduce((sum, e) => sum + e.points, 0);

beforeAll(async () => {
  stack = await startStack();
  shop = stack.services.demoShop;
  expect((await stack.install()).status).toBe(200);
  // Points emails are the subject here: no quiet hours or cap in the way.
  await stack.db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 10 } });
  await stack.startWorker();
});
afterAll(async () => {
  await stack?.stop();
});

describe("loyalty points", () => {
  it("a paid order earns pending points; after the return window they are approved and the customer is told (with consent)", async () => {
    await place({ email: "loyal@example.com", firstName: "Lea", country: "FR", marketingConsent: true, lineItems: [{ title: "Jacket", price: "120.00", quantity: 1 }] });
    const [earn] = await entriesFor("loyal@example.com");
    expect(earn).toMatchObject({ kind: "earn", status: "pending", points: 120 });

    await stack.advance(15 * 86_400);
    await expect.poll(async () => (await entriesFor("loyal@example.com"))[0]?.status, { timeout: 20_000 }).toBe("approved");
    const mail = await stack.services.mail.waitFor((m) => m.to.includes("loyal@example.com") && m.subject.includes("points are ready"), 20_000);
    expect(mail.text).toContain("120");
  });

  it("without marketing consent the points are approved but the email is skipped, with the reason", async () => {
    await place({ email: "quiet@example.com", country: "FR", marketingConsent: false, lineItems: [{ title: "Socks", price: "20.00", quantity: 1 }] });
    await stack.advance(15 * 86_400);
    await expect.poll(async () => (await entriesFor("quiet@example.com"))[0]?.status, { timeout: 20_000 }).toBe("approved");
    const message = await stack.db.message.findFirst({ where: { recipient: "quiet@example.com", flow: { key: "points_earned" } } });
    await expect.poll(async () => (await stack.db.message.findUnique({ where: { id: message!.id } }))?.status, { timeout: 20_000 }).toBe("skipped");
    expect((await stack.db.message.findUnique({ where: { id: message!.id } }))!.reason).toBe("no marketing consent");
  });

  it("a partial refund reverses points pro rata; a cancellation reverses the rest", async () => {
    const placed = await place({ email: "refunder@example.com", country: "FR", lineItems: [{ title: "Bag", price: "100.00", quantity: 1 }] });
    await stack.control(`/sandbox/api/orders/${placed.orderId}/refund`, { amount: "25.00" });
    const afterRefund = await entriesFor("refunder@example.com");
    expect(afterRefund.map((e) => [e.kind, e.points])).toEqual([["earn", 100], ["reverse", -25]]);
    await stack.control(`/sandbox/api/orders/${placed.orderId}/cancel`, {});
    expect(total(await entriesFor("refunder@example.com"))).toBe(0);
  });

  it("two refund webhooks at the same time never take the balance below zero", async () => {
    const placed = await place({ email: "race@example.com", country: "FR", lineItems: [{ title: "Cap", price: "100.00", quantity: 1 }] });
    await stack.advance(15 * 86_400);
    await expect.poll(async () => (await entriesFor("race@example.com"))[0]?.status, { timeout: 20_000 }).toBe("approved");
    const refund = (id: number) => ({ id, order_id: Number(placed.orderId), created_at: new Date().toISOString(), transactions: [{ kind: "refund", status: "success", amount: "60.00" }], refund_line_items: [] });
    const [a, b] = await Promise.all([postWebhook(stack.appUrl, "refunds/create", refund(9901), { shop }), postWebhook(stack.appUrl, "refunds/create", refund(9902), { shop })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const entries = await entriesFor("race@example.com");
    expect(entries.filter((e) => e.kind === "reverse")).toHaveLength(2);
    expect(total(entries)).toBe(0);
  });
});
