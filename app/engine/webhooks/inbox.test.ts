// The webhook inbox on a real database: the route's one statement records a delivery and wakes the
// shop's apply job; appliers take deliveries oldest first, once each, even side by side; failures
// are retried then given up with their reason; a customer's waiting payloads go with customers/redact.
import { describe, expect, it } from "vitest";
import { sqlPool } from "../../db.server";
import { shopSettings } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock, SANDBOX_CLOCK_KEY } from "../clock";
import { TABLE_COVERAGE } from "../privacy/coverage";
import { resolveCustomerScope } from "../privacy/customer-scope";
import { redactCustomer } from "../privacy/redact";
import { installShop } from "../shops/install";
import { APPLY_LANES, APPLY_MAX_ATTEMPTS, applyJobKey, applyWebhooks, lanesWithDueWebhooks, QUEUED_TOPICS, recordWebhook } from "./inbox";

const DOMAIN = "inbox.myshopify.com";
const clock = new ManualClock(new Date("2026-11-21T10:00:00Z"));
const settings = shopSettings({ name: "Inbox", contactEmail: "owner@inbox.example", timezone: "Europe/Paris", currency: "EUR", countryCode: "FR" });
const quiet = { db: undefined as unknown as TempDb["db"], clock, log: () => {} };
let t: TempDb;
let seq = 0;

const order = (id: number, updatedAt: string, email = `buyer${id}@example.com`) => ({
  id,
  name: `#${id}`,
  email,
  customer: { id: id + 1, email, first_name: "Bea" },
  currency: "EUR",
  total_price: "40.00",
  subtotal_price: "40.00",
  financial_status: "paid",
  created_at: "2026-11-21T09:00:00Z",
  updated_at: updatedAt,
  shipping_address: { country_code: "FR", province_code: null },
  line_items: [{ id: id + 2, product_id: 1, variant_id: 2, title: "Lamp", quantity: 1, price: "40.00" }],
});

const record = (topic: string, body: unknown, webhookId = `w-${++seq}`) =>
  recordWebhook(sqlPool(t.db), clock, {
    shopDomain: DOMAIN,
    topic,
    webhookId,
    apiVersion: "2026-07",
    rawBody: JSON.stringify(body),
    eventId: `e-${webhookId}`,
    triggeredAt: "2026-11-21T09:59:59.123456Z",
  });
const delivery = (webhookId: string) => t.db.webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: DOMAIN, webhookId } } });
const applyJobs = () =>
  t.db.$queryRaw<{ key: string; queue: string | null; payload: { shopDomain: string; lane: number } }[]>`
    SELECT j.key, q.queue_name AS queue, j.payload FROM graphile_worker._private_jobs j
    LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
    WHERE j.key LIKE ${`webhooks:${DOMAIN}:%`} ORDER BY j.key`;

useTempDb("webhook-inbox", async (created) => {
  t = created;
  quiet.db = t.db;
  await installShop(t.db, clock, DOMAIN, settings, "read_orders");
});

describe("recording", () => {
  it("queues the mirror topics; the app and compliance topics are applied in the request", () => {
    expect([...QUEUED_TOPICS].sort()).toEqual([
      "fulfillment_events/create",
      "fulfillments/create",
      "fulfillments/update",
      "orders/cancelled",
      "orders/create",
      "orders/fulfilled",
      "orders/paid",
      "orders/updated",
      "refunds/create",
    ]);
  });

  it("stores the delivery with its ids and payload, once, and keeps one waiting apply job for the shop", async () => {
    expect(await record("orders/create", order(101, "2026-11-21T09:00:00Z"), "rec-1")).toBe("received");
    expect(await record("orders/create", order(101, "2026-11-21T09:00:00Z"), "rec-1")).toBe("duplicate");
    expect(await record("orders/updated", order(101, "2026-11-21T09:05:00Z"), "rec-2")).toBe("received");
    const row = await delivery("rec-1");
    expect(row).toMatchObject({ status: "received", eventId: "e-rec-1", topic: "orders/create", attempts: 0, resourceId: "gid://shopify/Order/101" });
    expect(row.triggeredAt?.toISOString()).toBe("2026-11-21T09:59:59.123Z");
    expect((row.payload as { id: number }).id).toBe(101);
    // Both deliveries are about order 101: one lane, one waiting job, in the lane's own queue.
    const [job, ...others] = await applyJobs();
    expect(others).toEqual([]);
    expect(job.key).toMatch(new RegExp(`^webhooks:${DOMAIN}:[0-${APPLY_LANES - 1}]$`));
    expect(job).toEqual({ key: applyJobKey(DOMAIN, job.payload.lane), queue: job.key, payload: { shopDomain: DOMAIN, lane: job.payload.lane } });
    expect(await t.db.order.count({ where: { shopifyId: "gid://shopify/Order/101" } })).toBe(0);
  });

  it("receives at the clock's time, plus the sandbox's stored clock offset in sandbox mode (read by the statement itself)", async () => {
    const shopDomain = "clock.myshopify.com"; // not the shop the other tests apply
    const received = async (webhookId: string, sandboxClock: boolean) => {
      await recordWebhook(
        sqlPool(t.db),
        clock,
        { shopDomain, topic: "orders/paid", webhookId, apiVersion: null, rawBody: JSON.stringify(order(120, "2026-11-21T09:00:00Z")) },
        { sandboxClock },
      );
      return (await t.db.webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain, webhookId } } })).receivedAt.toISOString();
    };
    expect(await received("clock-1", true)).toBe("2026-11-21T10:00:00.000Z"); // no offset stored yet
    await t.db.appState.create({ data: { key: SANDBOX_CLOCK_KEY, value: String(3 * 86_400_000 + 1_500) } });
    try {
      expect(await received("clock-2", true)).toBe("2026-11-24T10:00:01.500Z");
      expect(await received("clock-3", false)).toBe("2026-11-21T10:00:00.000Z");
    } finally {
      await t.db.appState.delete({ where: { key: SANDBOX_CLOCK_KEY } });
      await t.db.webhookDelivery.deleteMany({ where: { shopDomain } });
    }
  });

  it("JSON that jsonb cannot hold (a NUL escape) is not recorded: the route applies it at once instead", async () => {
    const raw = JSON.stringify(order(150, "2026-11-21T09:00:00Z")).replace('"name":"#150"', '"name":"#150\\u0000"');
    expect(JSON.parse(raw).name).toBe("#150\u0000");
    expect(await recordWebhook(sqlPool(t.db), clock, { shopDomain: DOMAIN, topic: "orders/create", webhookId: "nul-1", apiVersion: null, rawBody: raw })).toBe(
      "unstorable",
    );
    expect(await t.db.webhookDelivery.count({ where: { webhookId: "nul-1" } })).toBe(0);
  });
});

describe("applying", () => {
  it("applies oldest first, records each outcome and drops the payload", async () => {
    await record("orders/create", { name: "no id" }, "bad-shape");
    const run = await applyWebhooks(quiet, DOMAIN);
    expect(run).toEqual({ settled: 3, more: false });
    expect(await delivery("rec-1")).toMatchObject({ status: "applied", payload: null, resourceId: "gid://shopify/Order/101" });
    expect(await delivery("rec-2")).toMatchObject({ status: "applied", payload: null });
    expect(await delivery("bad-shape")).toMatchObject({ status: "rejected", reason: "invalid payload: id: Required; updated_at: Required", payload: null });
    // The newer version (rec-2, applied last) is what the mirror holds.
    expect((await t.db.order.findFirstOrThrow({ where: { shopifyId: "gid://shopify/Order/101" } })).shopifyUpdatedAt?.toISOString()).toBe(
      "2026-11-21T09:05:00.000Z",
    );
    expect(await applyWebhooks(quiet, DOMAIN)).toEqual({ settled: 0, more: false });
  });

  it("stops at its limit and says more are waiting", async () => {
    for (let i = 0; i < 3; i++) await record("orders/create", order(200 + i * 10, "2026-11-21T09:00:00Z"));
    expect(await applyWebhooks(quiet, DOMAIN, { limit: 2 })).toEqual({ settled: 2, more: true });
    expect(await applyWebhooks(quiet, DOMAIN, { limit: 2 })).toEqual({ settled: 1, more: false });
  });

  it("two appliers side by side apply every delivery exactly once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(`pair-${i}`);
      await record("orders/create", order(1000 + i * 10, "2026-11-21T09:00:00Z"), `pair-${i}`);
    }
    const [a, b] = await Promise.all([applyWebhooks(quiet, DOMAIN), applyWebhooks(quiet, DOMAIN)]);
    expect(a.settled + b.settled).toBe(20);
    const rows = await t.db.webhookDelivery.findMany({ where: { webhookId: { in: ids } } });
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => "applied"));
    expect(await t.db.order.count({ where: { shopifyId: { in: ids.map((_, i) => `gid://shopify/Order/${1000 + i * 10}`) } } })).toBe(20);
  });

  it("orders are spread over the lanes; an applier of one lane applies that lane's deliveries only", async () => {
    const ids = Array.from({ length: 16 }, (_, i) => 7000 + i * 10);
    for (const id of ids) await record("orders/create", order(id, "2026-11-21T09:00:00Z"), `lane-${id}`);
    const lanes = await lanesWithDueWebhooks(t.db, clock.now());
    expect(lanes.length).toBeGreaterThan(1); // 16 orders in one lane of 4: a broken hash
    const jobs = await applyJobs();
    expect(jobs.map((j) => j.payload.lane).sort()).toEqual(lanes.map((l) => l.lane).sort());
    const [first, ...rest] = lanes;
    const run = await applyWebhooks(quiet, DOMAIN, { lane: first.lane });
    expect(run.settled).toBeGreaterThan(0);
    expect(run.settled).toBeLessThan(ids.length);
    expect((await lanesWithDueWebhooks(t.db, clock.now())).map((l) => l.lane)).toEqual(rest.map((l) => l.lane));
    for (const lane of rest) await applyWebhooks(quiet, DOMAIN, { lane: lane.lane });
    expect(await t.db.webhookDelivery.count({ where: { webhookId: { in: ids.map((id) => `lane-${id}`) }, status: "applied" } })).toBe(ids.length);
    await t.db.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key LIKE ${`webhooks:${DOMAIN}:%`}`;
  });

  it("a payload already applied under another webhook id (same handler) is not applied again; a changed one is", async () => {
    const payload = order(6000, "2026-11-21T09:00:00Z");
    await record("orders/create", payload, "first-copy");
    await applyWebhooks(quiet, DOMAIN);
    expect((await delivery("first-copy")).status).toBe("applied");
    // From here on any write to the order fails: a delivery that is applied again would be retried.
    await t.db.$executeRawUnsafe(
      `CREATE FUNCTION freeze_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."shopifyId" = 'gid://shopify/Order/6000' THEN RAISE EXCEPTION 'order frozen (test)'; END IF; RETURN NEW; END $$`,
    );
    await t.db.$executeRawUnsafe(`CREATE TRIGGER freeze_order BEFORE UPDATE ON "Order" FOR EACH ROW EXECUTE FUNCTION freeze_order()`);
    try {
      await record("orders/paid", payload, "same-payload"); // Shopify's orders/paid for an order paid at once
      await record("orders/updated", order(6000, "2026-11-21T09:30:00Z"), "changed-payload");
      await applyWebhooks(quiet, DOMAIN);
      expect(await delivery("same-payload")).toMatchObject({
        status: "applied",
        reason: "same payload as webhook first-copy, already applied",
        resourceId: "gid://shopify/Order/6000",
        payload: null,
      });
      const changed = await delivery("changed-payload");
      expect(changed).toMatchObject({ status: "received", attempts: 1 });
      expect(changed.reason).toMatch(/order frozen \(test\)/);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER freeze_order ON "Order"`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION freeze_order()`);
    }
    clock.advance((await delivery("changed-payload")).retryAt!.getTime() - clock.now().getTime());
    await applyWebhooks(quiet, DOMAIN);
    expect(await delivery("changed-payload")).toMatchObject({ status: "applied", reason: null });
  });

  it("a failing application is retried later, then rejected with its reason; the others go on", async () => {
    // A real database failure inside the application (its transaction rolls back).
    await t.db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."shopifyId" = 'gid://shopify/Order/3000' THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$`,
    );
    await t.db.$executeRawUnsafe(`CREATE TRIGGER refuse_order BEFORE INSERT OR UPDATE ON "Order" FOR EACH ROW EXECUTE FUNCTION refuse_order()`);
    try {
      await record("orders/create", order(3000, "2026-11-21T09:00:00Z"), "fails");
      await record("orders/create", order(3010, "2026-11-21T09:00:00Z"), "after-fail");
      const logs: Record<string, unknown>[] = [];
      expect(await applyWebhooks({ ...quiet, log: (event) => logs.push(event) }, DOMAIN)).toEqual({ settled: 2, more: false });
      // The log names the failure by class and code: PostgreSQL's text can quote the payload's values.
      expect(logs).toContainEqual(
        expect.objectContaining({
          msg: "webhook not applied",
          level: "warn",
          webhookId: "fails",
          attempt: 1,
          errorClass: expect.any(String),
          sqlState: "P0001",
        }),
      );
      expect(JSON.stringify(logs)).not.toContain("disk full");
      const failed = await delivery("fails");
      expect(failed).toMatchObject({ status: "received", attempts: 1 });
      expect(failed.reason).toMatch(/^will retry: .*disk full \(test\)/);
      expect(failed.payload).not.toBeNull();
      expect((await delivery("after-fail")).status).toBe("applied");
      // Not due before its retry time; due after it (the sweep then wakes the shop's job).
      expect(await lanesWithDueWebhooks(t.db, clock.now())).toEqual([]);
      for (let attempt = 2; attempt <= APPLY_MAX_ATTEMPTS; attempt++) {
        clock.advance((await delivery("fails")).retryAt!.getTime() - clock.now().getTime());
        expect((await lanesWithDueWebhooks(t.db, clock.now())).map((l) => l.shopDomain)).toEqual([DOMAIN]);
        expect((await applyWebhooks(quiet, DOMAIN)).settled).toBe(1);
      }
      const given = await delivery("fails");
      expect(given).toMatchObject({ status: "rejected", attempts: APPLY_MAX_ATTEMPTS, payload: null });
      expect(given.reason).toMatch(new RegExp(`^could not be applied after ${APPLY_MAX_ATTEMPTS} attempts: .*disk full \\(test\\)`));
      expect(await t.db.order.count({ where: { shopifyId: "gid://shopify/Order/3000" } })).toBe(0);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER refuse_order ON "Order"`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION refuse_order()`);
    }
  });

  it("a shop that is not installed: its deliveries are rejected with the reason", async () => {
    await recordWebhook(sqlPool(t.db), clock, {
      shopDomain: "gone.myshopify.com",
      topic: "orders/create",
      webhookId: "gone-1",
      apiVersion: null,
      rawBody: JSON.stringify(order(4000, "2026-11-21T09:00:00Z")),
    });
    await applyWebhooks(quiet, "gone.myshopify.com");
    const row = await t.db.webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: "gone.myshopify.com", webhookId: "gone-1" } } });
    expect(row).toMatchObject({ status: "rejected", reason: "shop is not installed", payload: null });
  });
});

describe("privacy", () => {
  it("a customer's waiting payloads are in the data-request finder and go with customers/redact; another's stay", async () => {
    await record("orders/create", order(5000, "2026-11-21T09:00:00Z", "Erase.Me@example.com"), "erase-waiting");
    await record("orders/create", order(5010, "2026-11-21T09:00:00Z", "keep@example.com"), "keep-waiting");
    const shop = await t.db.shop.findUniqueOrThrow({ where: { domain: DOMAIN } });
    const coverage = TABLE_COVERAGE.WebhookDelivery;
    if (coverage.holds !== "customer data") throw new Error("WebhookDelivery must be classified as customer data");
    const scope = await resolveCustomerScope(t.db, {
      shopId: shop.id,
      customerGid: "gid://shopify/Customer/5001",
      email: "erase.me@example.com",
      orderGids: [],
    });
    expect((await coverage.rows(t.db, scope)).map((r) => r.id)).toEqual([(await delivery("erase-waiting")).id]);
    // By order alone (orders_to_redact), too.
    const byOrder = await resolveCustomerScope(t.db, { shopId: shop.id, customerGid: null, email: null, orderGids: ["gid://shopify/Order/5000"] });
    expect((await coverage.rows(t.db, byOrder)).map((r) => r.id)).toEqual([(await delivery("erase-waiting")).id]);

    await t.db.$transaction((tx) => redactCustomer(tx, clock, DOMAIN, { customer: { id: "5001", email: "erase.me@example.com" }, orders_to_redact: [] }));
    expect(await t.db.webhookDelivery.count({ where: { webhookId: "erase-waiting" } })).toBe(0);
    await applyWebhooks(quiet, DOMAIN);
    expect(await t.db.order.count({ where: { shopifyId: "gid://shopify/Order/5000" } })).toBe(0);
    expect((await delivery("keep-waiting")).status).toBe("applied");
  });
});
