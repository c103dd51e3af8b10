// The rollups, maintained write by write, stay equal to a full recomputation from raw rows after
// a random sequence of orders, refunds, cancellations, sends, clicks and redactions — all applied
// through the real webhook intake and the real ledger functions on a real PostgreSQL database.
import { describe, expect, it } from "vitest";
import { shopSettings } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { recordClick } from "../links/clicks";
import { transition } from "../messages/ledger";
import { installShop } from "../shops/install";
import { mulberry32 as rng } from "../util/random";
import { receiveWebhook } from "../webhooks/intake";
import { dayOf } from "./days";
import { computeRows, rebuildAllDirty, type RollupRow } from "./rollups";
import { customerFiguresFromOrders, memoryStats } from "./scan";

const SHOP = "random-ops.myshopify.com";
const clock = new ManualClock(new Date("2026-06-01T09:00:00Z"));
let t: TempDb;
let shopId: string;
let timezone: string;

let delivery = 0;
async function webhook(topic: string, payload: unknown) {
  const result = await receiveWebhook(
    { db: t.db, clock, log: () => {} },
    { shopDomain: SHOP, topic, webhookId: `w${++delivery}`, apiVersion: "2026-07", rawBody: JSON.stringify(payload) },
  );
  expect(result.outcome, `${topic}: ${JSON.stringify(result)}`).toBe("applied");
}

interface PlacedOrder {
  id: number;
  customer: number;
  totalCents: number;
  refundedCents: number;
  cancelled: boolean;
  created: string;
}

const customers = Array.from({ length: 14 }, (_, i) => ({ id: 9000 + i, email: `shopper${i}@example.com`, guest: i % 5 === 4 }));

function orderPayload(o: PlacedOrder, updatedAt: string) {
  const c = customers[o.customer];
  return {
    id: o.id,
    name: `#${o.id}`,
    email: c.email,
    customer: c.guest ? null : { id: c.id, email: c.email, first_name: "Sam" },
    currency: "USD",
    total_price: (o.totalCents / 100).toFixed(2),
    subtotal_price: (o.totalCents / 100).toFixed(2),
    financial_status: "paid",
    created_at: o.created,
    processed_at: o.created,
    updated_at: updatedAt,
    cancelled_at: o.cancelled ? updatedAt : null,
    shipping_address: { country_code: "US", province_code: "NY" },
    line_items: [{ id: o.id * 10, product_id: 1, variant_id: 2, title: "Mug", quantity: 1, price: (o.totalCents / 100).toFixed(2) }],
  };
}

async function snapshot() {
  const rows = await t.db.dailyRollup.findMany({ where: { shopId }, select: { day: true, metric: true, dim: true, value: true } });
  return sortRows(rows);
}
const sortRows = (rows: RollupRow[]) => rows.map((r) => `${r.day} ${r.metric} ${r.dim} ${r.value}`).sort();

async function fullRecomputation() {
  const figures = await customerFiguresFromOrders(t.db, shopId);
  const first = await t.db.order.findFirst({ where: { shopId }, orderBy: { placedAt: "asc" } });
  const from = dayOf(new Date(Math.min(first?.placedAt?.getTime() ?? Infinity, new Date("2026-06-01").getTime())), timezone);
  // Codes, points and offers carry the database's own creation time, which is today's real date.
  const to = dayOf(new Date(Math.max(clock.now().getTime(), Date.now()) + 86_400_000), timezone);
  const rows = await computeRows(t.db, { id: shopId, timezone }, from, to, memoryStats(figures));
  return { figures, rows: sortRows(rows) };
}

async function expectRollupsEqualRecomputation() {
  await rebuildAllDirty(t.db);
  const { figures, rows } = await fullRecomputation();
  expect(await snapshot()).toEqual(rows);
  const table = await t.db.customerStat.findMany({ where: { shopId } });
  expect(
    new Map(
      table.map((s) => [
        s.customerKey,
        {
          orderCount: s.orderCount,
          firstOrderAt: s.firstOrderAt,
          secondOrderAt: s.secondOrderAt,
          lastOrderAt: s.lastOrderAt,
          revenueCents: s.revenueCents,
          revenue90Cents: s.revenue90Cents,
        },
      ]),
    ),
  ).toEqual(figures);
  return rows.length;
}

useTempDb("dashboard-rollups", async (created) => {
  t = created;
  const shop = await installShop(t.db, clock, SHOP, shopSettings({ name: "Random", primaryDomain: "random.example" }), "read_orders");
  shopId = shop.id;
  timezone = shop.timezone;
  await t.db.flow.updateMany({ where: { shopId, key: "thank_you" }, data: { holdoutPercent: 40 } });
});

describe("rollups under a random sequence of changes", () => {
  it("equal a full recomputation after every stretch of 15 operations", async () => {
    const random = rng(42);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const placed: PlacedOrder[] = [];
    const counts: Record<string, number> = {};
    let nextOrderId = 5000;
    let checkedRows = 0;

    for (let op = 1; op <= 120; op++) {
      clock.advance(Math.floor(random() * 3 * 86_400_000));
      const now = clock.now().toISOString();
      const live = placed.filter((o) => !o.cancelled);
      const roll = random();
      let kind: string;
      if (roll < 0.45 || placed.length < 3) {
        kind = "order";
        const o: PlacedOrder = {
          id: nextOrderId++,
          customer: Math.floor(random() * customers.length),
          totalCents: 1000 + Math.floor(random() * 20_000),
          refundedCents: 0,
          cancelled: false,
          created: now,
        };
        placed.push(o);
        await webhook("orders/create", orderPayload(o, now));
      } else if (roll < 0.6 && live.length) {
        kind = "refund";
        const o = pick(live);
        const amount = Math.min(o.totalCents - o.refundedCents, 500 + Math.floor(random() * 3000));
        if (amount <= 0) continue;
        o.refundedCents += amount;
        await webhook("refunds/create", {
          id: o.id * 100 + op,
          order_id: o.id,
          created_at: now,
          transactions: [{ amount: (amount / 100).toFixed(2), kind: "refund", status: "success" }],
        });
      } else if (roll < 0.7 && live.length) {
        kind = "cancel";
        const o = pick(live);
        o.cancelled = true;
        await webhook("orders/cancelled", orderPayload(o, now));
      } else if (roll < 0.85) {
        kind = "send";
        // Any scheduled ones, not the oldest first: a customer's later message may go out before an
        // earlier one, which changes which of them is the customer's first exposure to the flow.
        const scheduled = await t.db.message.findMany({ where: { shopId, status: "scheduled" } });
        for (let i = 0; i < 4 && scheduled.length; i++) {
          const [m] = scheduled.splice(Math.floor(random() * scheduled.length), 1);
          await transition(t.db, clock, m, { from: ["scheduled"], to: "sent", data: { sentAt: clock.now() } });
        }
      } else if (roll < 0.93) {
        kind = "click";
        const sent = await t.db.message.findMany({ where: { shopId, status: "sent" } });
        if (!sent.length) continue;
        await recordClick(t.db, clock, { shopId, messageId: pick(sent).id, url: "https://random.example/" });
      } else {
        kind = "redact";
        const c = customers[Math.floor(random() * customers.length)];
        const theirs = placed.filter((o) => customers[o.customer] === c);
        await webhook("customers/redact", { shop_domain: SHOP, customer: { id: c.id, email: c.email }, orders_to_redact: theirs.map((o) => o.id) });
        for (const o of theirs) placed.splice(placed.indexOf(o), 1);
      }
      counts[kind] = (counts[kind] ?? 0) + 1;
      if (op % 15 === 0) checkedRows = await expectRollupsEqualRecomputation();
    }

    // The sequence really exercised every kind of change, and the figures are not trivially empty.
    for (const kind of ["order", "refund", "cancel", "send", "click", "redact"]) expect(counts[kind], kind).toBeGreaterThan(0);
    expect(checkedRows).toBeGreaterThan(100);
    expect(await t.db.message.count({ where: { shopId, status: "held_out" } })).toBeGreaterThan(0);
    expect(await t.db.customerStat.count({ where: { shopId, orderCount: { gte: 2 } } })).toBeGreaterThan(0);
  }, 120_000);

  it("a customer's later message sent first, then the earlier one: the first exposure moves to the earlier day", async () => {
    // A customer outside the thank-you holdout (the holdout is a deterministic hash of the customer).
    let id = 70_000;
    let messages: { id: string; createdAt: Date }[] = [];
    for (; messages.length < 2 && id < 70_100; id++) {
      const customer = { id, email: `late${id}@example.com`, guest: false };
      customers.push(customer);
      messages = [];
      for (const n of [1, 2]) {
        clock.advance(2 * 86_400_000);
        const o: PlacedOrder = {
          id: id * 10 + n,
          customer: customers.length - 1,
          totalCents: 5000,
          refundedCents: 0,
          cancelled: false,
          created: clock.now().toISOString(),
        };
        await webhook("orders/create", orderPayload(o, o.created));
        const m = await t.db.message.findFirst({
          where: { shopId, order: { shopifyId: `gid://shopify/Order/${o.id}` }, flow: { key: "thank_you" }, status: "scheduled" },
        });
        if (m) messages.push(m);
      }
    }
    expect(messages).toHaveLength(2);
    const [earlier, later] = messages;
    await transition(t.db, clock, later, { from: ["scheduled"], to: "sent", data: { sentAt: clock.now() } });
    await expectRollupsEqualRecomputation(); // the later day counts the customer once…
    await transition(t.db, clock, earlier, { from: ["scheduled"], to: "sent", data: { sentAt: clock.now() } });
    await expectRollupsEqualRecomputation(); // …until the earlier message goes out: then only the earlier day does
    const liftRows = await t.db.dailyRollup.findMany({
      where: { shopId, metric: "lift.n", day: { in: [dayOf(earlier.createdAt, timezone), dayOf(later.createdAt, timezone)] } },
    });
    expect(liftRows.map((r) => r.day)).toContain(dayOf(earlier.createdAt, timezone));
  }, 60_000);
});
