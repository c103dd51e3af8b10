// The send gate under concurrency: two workers, each with one email for the same customer, against
// PostgreSQL. The frequency cap and the flow throttle (the NPS survey's once per 90 days) must hold
// although both workers pass the early checks before either has sent.
import { describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { barrier } from "../../../tests/support/barrier";
import { makeCustomer, makeFlow, makeMessage, makeOrder, makeShop, type FlowOverrides, type ShopOverrides } from "../../../tests/support/factories";
import { useTempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import type { OutgoingEmail } from "../email/transport";
import { markAbandonedSends } from "./claim";
import { sendMessage, type DispatchDeps } from "./dispatch";

let db: Db;
const clock = new ManualClock(new Date("2026-11-20T15:00:00Z"));

useTempDb("send_gate", (created) => {
  db = created.db;
});

/** A shop without quiet hours, its NPS flow, and two orders of one customer with a survey due for each. */
async function setup(name: string, flowData: FlowOverrides, shopData: ShopOverrides) {
  const shop = await makeShop(db, { domain: `${name}.myshopify.com`, installedAt: clock.now(), quietHoursStart: "00:00", quietHoursEnd: "00:00", ...shopData });
  const flow = await makeFlow(db, shop, { key: "nps", name: "NPS", trigger: "delivered", category: "survey", subject: "How did we do?", ...flowData });
  const customer = await makeCustomer(db, shop, { shopifyId: "gid://shopify/Customer/77", email: "pat@example.com" });
  const messages = [];
  for (let i = 0; i < 2; i++) {
    const order = await makeOrder(db, shop, { customer, placedAt: clock.now() });
    const dedupeKey = `${shop.id}:${order.shopifyId}:nps:main`;
    messages.push(await makeMessage(db, flow, { orderId: order.id, dedupeKey, customerShopifyId: customer.shopifyId, anchor: "delivered", at: clock.now() }));
  }
  return { shop, messages };
}

/** One worker's dependencies: rendering and sending succeed, there is no Admin API; `overrides` changes any. */
const deps = (workerId: string, overrides: Partial<DispatchDeps> = {}): DispatchDeps => ({
  db,
  clock,
  workerId,
  mailer: { send: async () => ({ status: "sent", response: "250 ok" }), close() {} },
  render: async () => ({ ok: true, email: { subject: "How did we do?", html: "<p>b</p>", text: "b" } }) as never,
  graphql: async () => {
    throw new Error("no Admin API in this test");
  },
  links: { unsubscribe: (id) => `https://app.test/u/${id}`, preferences: (id) => `https://app.test/p/${id}`, click: (_id, url) => url },
  from: { address: "mail@app.test", name: null },
  messageIdDomain: "app.test",
  log: () => {},
  ...overrides,
});

/** Two workers at once, each running one message's send job; both render (the early checks passed) before either may go on. */
async function twoWorkers(messages: { id: string }[]) {
  const sent: OutgoingEmail[] = [];
  const bothRendered = barrier(2);
  const worker = (workerId: string) =>
    deps(workerId, {
      mailer: { send: async (email) => (sent.push(email), { status: "sent", response: "250 ok" }), close() {} },
      render: async () => {
        await bothRendered();
        return { ok: true, email: { subject: "How did we do?", html: "<p>b</p>", text: "b" } } as never;
      },
    });
  await Promise.all([sendMessage(worker("worker-a"), messages[0].id), sendMessage(worker("worker-b"), messages[1].id)]);
  return sent;
}

describe("the send gate under concurrency", () => {
  it("the frequency cap holds when two workers send to one customer at once", async () => {
    const { messages } = await setup("capped", { throttleDays: null }, { frequencyCapCount: 1, frequencyCapHours: 24 });
    const sent = await twoWorkers(messages);
    expect(sent.length).toBe(1);
    const rows = await db.message.findMany({ where: { id: { in: messages.map((m) => m.id) } } });
    expect(rows.map((m) => m.status).sort()).toEqual(["deferred", "sent"]);
    const deferred = rows.find((m) => m.status === "deferred")!;
    expect(deferred.reason).toContain("frequency cap (1 per 24 h)");
    expect(deferred.sendAt.getTime()).toBeGreaterThan(clock.now().getTime());
  });

  it("the NPS survey goes out once per 90 days when two workers survey one customer at once", async () => {
    const { messages } = await setup("surveyed", { throttleDays: 90 }, { frequencyCapCount: 10, frequencyCapHours: 24 });
    const sent = await twoWorkers(messages);
    expect(sent.length).toBe(1);
    const rows = await db.message.findMany({ where: { id: { in: messages.map((m) => m.id) } } });
    expect(rows.map((m) => m.status).sort()).toEqual(["sent", "skipped"]);
    expect(rows.find((m) => m.status === "skipped")!.reason).toBe("already surveyed within 90 days");
  });

  it("a slow SMTP transaction keeps its sending lease: the abandoned-send sweep leaves it alone", async () => {
    const { messages } = await setup("slow-smtp", { throttleDays: null }, { frequencyCapCount: 10, frequencyCapHours: 24 });
    let release!: () => void;
    const inSmtp = new Promise<void>((resolve) => (release = resolve));
    let sweptAfterJump = -1;
    let sweptDuringSend = -1;
    const slow = deps("slow-worker", {
      sendingLeaseMs: 300, // renewed every 100 ms
      mailer: {
        send: async () => {
          // The app's clock jumps a day (the sandbox's console): leases run on real time, so the
          // sweep right after the jump finds nothing abandoned.
          clock.advance(24 * 3_600_000);
          sweptAfterJump = await markAbandonedSends(db, clock, { id: messages[0].id });
          // Real time passes the first lease while the server is still answering: renewed.
          await new Promise((r) => setTimeout(r, 400));
          sweptDuringSend = await markAbandonedSends(db, clock, { id: messages[0].id });
          release();
          return { status: "sent", response: "250 ok" };
        },
        close() {},
      },
    });
    await sendMessage(slow, messages[0].id);
    await inSmtp;
    expect(sweptAfterJump).toBe(0);
    expect(sweptDuringSend).toBe(0);
    expect((await db.message.findUniqueOrThrow({ where: { id: messages[0].id } })).status).toBe("sent");
  });

  it("a database lost just after the SMTP server answered: the known outcome is recorded once it is back, never left to the lease", async () => {
    const { messages } = await setup("lost-db", { throttleDays: null }, { frequencyCapCount: 10, frequencyCapHours: 24 });
    let smtpAnswered = false;
    let lostWrites = 0;
    // The first two writes after the SMTP answer fail as a restarting server's would.
    const flaky = new Proxy(db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== "$transaction" || typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (smtpAnswered && lostWrites < 2) {
            lostWrites++;
            return Promise.reject(new Error("terminating connection due to administrator command"));
          }
          return value.apply(target, args);
        };
      },
    });
    const logged: string[] = [];
    const events: Record<string, unknown>[] = [];
    const lostDb = deps("lost-db-worker", {
      db: flaky,
      mailer: { send: async () => ((smtpAnswered = true), { status: "sent", response: "250 ok" }), close() {} },
      log: (e) => (logged.push(e.msg), events.push(e)),
    });
    await sendMessage(lostDb, messages[0].id);
    expect(lostWrites).toBe(2);
    expect(logged.filter((m) => m === "recording the send's outcome failed; trying again")).toHaveLength(2);
    // The log names the failure by class (a database error's text can quote the row's values).
    expect(events.filter((e) => e.msg === "recording the send's outcome failed; trying again")).toEqual([
      expect.objectContaining({ errorClass: "Error", attempt: 1 }),
      expect.objectContaining({ errorClass: "Error", attempt: 2 }),
    ]);
    expect(JSON.stringify(events)).not.toContain("terminating connection");
    const row = await db.message.findUniqueOrThrow({ where: { id: messages[0].id }, include: { events: true } });
    expect(row.status).toBe("sent");
    expect(row.events.filter((e) => e.status === "sent")).toHaveLength(1);
  });
});
