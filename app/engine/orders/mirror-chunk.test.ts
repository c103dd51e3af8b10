// The chunk mirror (the history import's path) against the per-order mirror (the webhooks' path):
// the same payloads over the same rows already mirrored must leave the same rows — orders and their
// versions, imported flags, line items, fulfillments, refunds, customers, customer figures and the
// rollup days marked. Payloads are the emulator's demo history, read from its bulk file.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeShop } from "../../../tests/support/factories";
import { bulkSteps, runBulkQuery } from "../../../sandbox/emulator/bulk";
import { bulkDeps } from "../../../sandbox/emulator/resolvers";
import { seedDemoShop } from "../../../sandbox/emulator/seed";
import { EmulatorState } from "../../../sandbox/emulator/state";
import { bulkOrdersQuery } from "../history/bulk-query";
import { readOrders } from "../history/jsonl";
import { toOrderPayload } from "../reconcile/graphql-order";
import { type DayMarks, orderFiguresChanged, ordersFiguresChanged } from "../dashboard/customer-stats";
import { touchDays } from "../dashboard/touch";
import { applyFulfillmentEvent, applyOrder, applyRefund, ensureOrder } from "./mirror";
import { applyOrderChunk } from "./mirror-chunk";
import type { OrderPayload } from "./payloads";

let db: Db;
let history: OrderPayload[];
const DAY = 86_400_000;

useTempDb("mirror-chunk", async (created) => {
  db = created.db;
  const state = new EmulatorState();
  const emu = seedDemoShop(state);
  const deps = bulkDeps(state, emu);
  runBulkQuery(deps, bulkOrdersQuery("created_at:<='2100-01-01T00:00:00Z'"));
  const op = state.bulkOperations[0];
  async function* lines() {
    for (const step of bulkSteps(deps, op)) yield* step.lines;
  }
  const all: OrderPayload[] = [];
  for await (const order of readOrders(lines())) all.push(toOrderPayload(order.node));
  // Every refunded, cancelled or test order, and enough others for customers with several orders.
  history = all.filter((p, i) => p.refunds.length || p.cancelled_at || p.test || i % 4 === 0);
});

/** One install time for every shop: the reference and the chunked shop must judge `imported` alike. */
const installedAt = new Date(Date.now() - 3_600_000);
const newShop = () => makeShop(db, { installedAt });

const later = (at: Date, days: number) => new Date(at.getTime() + days * DAY);
const copy = (p: OrderPayload): OrderPayload => structuredClone(p);

/** Everything the mirror wrote for the shop, without row ids and timestamps of our own. */
async function dump(shop: Shop) {
  const orders = await db.order.findMany({
    where: { shopId: shop.id },
    include: { lineItems: true, fulfillments: true, refunds: true },
    orderBy: { shopifyId: "asc" },
  });
  const strip = (row: object): Record<string, any> =>
    Object.fromEntries(Object.entries(row).filter(([k]) => !["id", "shopId", "orderId", "createdAt", "updatedAt"].includes(k)));
  const by = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[key]).localeCompare(String(b[key]));
  return {
    orders: orders.map(({ lineItems, fulfillments, refunds, ...order }): Record<string, any> => ({
      ...strip(order),
      lineItems: lineItems.map((li) => strip(li)).sort(by("shopifyId")),
      fulfillments: fulfillments.map((f) => strip(f)).sort(by("shopifyId")),
      refunds: refunds.map((r) => strip(r)).sort(by("shopifyId")),
    })),
    customers: (await db.customer.findMany({ where: { shopId: shop.id }, orderBy: { shopifyId: "asc" } })).map((c) => strip(c)),
    stats: (await db.customerStat.findMany({ where: { shopId: shop.id }, orderBy: { customerKey: "asc" } })).map((s) => strip(s)),
    days: [...new Set((await db.rollupMark.findMany({ where: { shopId: shop.id } })).map((m) => m.day))].sort(),
  };
}

/** The per-order path, as the import applied chunks before (and the webhooks still apply orders). */
async function oneByOne(shop: Shop, payloads: OrderPayload[]) {
  await db.$transaction(
    async (tx) => {
      const marks: DayMarks = [];
      for (const payload of payloads) {
        const { orderId } = await applyOrder(tx, shop, payload);
        await orderFiguresChanged(tx, shop.id, orderId, marks);
      }
      await touchDays(tx, shop.id, ...marks);
    },
    { timeout: 60_000 },
  );
}

async function asChunk(shop: Shop, payloads: OrderPayload[]) {
  return db.$transaction(async (tx) => {
    const marks: DayMarks = [];
    const result = await applyOrderChunk(tx, shop, payloads, marks);
    await ordersFiguresChanged(tx, shop.id, result.orderIds, marks);
    await touchDays(tx, shop.id, ...marks);
    return result;
  });
}

/** Runs `before` (webhooks) on two shops, then the chunk one by one on the first and as a chunk on the second. */
async function compare(before: (shop: Shop) => Promise<void>, chunk: OrderPayload[]) {
  const [reference, chunked] = [await newShop(), await newShop()];
  await before(reference);
  await before(chunked);
  await db.rollupMark.deleteMany({ where: { shopId: { in: [reference.id, chunked.id] } } });
  await oneByOne(reference, chunk);
  const result = await asChunk(chunked, chunk);
  const [expected, actual] = [await dump(reference), await dump(chunked)];
  expect(actual).toEqual(expected);
  return { result, rows: actual };
}

describe("applyOrderChunk", { timeout: 60_000 }, () => {
  it("mirrors new orders as the per-order path does: line items, fulfillments, refunds, customers, figures, days", async () => {
    const { rows } = await compare(async () => {}, history);
    expect(rows.orders).toHaveLength(history.length);
    expect(rows.orders.every((o) => o.imported)).toBe(true);
    // The shipping coordinates travel from the bulk file to both paths (the recipient's time zone).
    expect(rows.orders.every((o) => typeof o.shipLatitude === "number" && typeof o.shipLongitude === "number")).toBe(true);
    expect(rows.orders.flatMap((o) => o.refunds).length).toBeGreaterThan(0);
    expect(rows.orders.flatMap((o) => o.fulfillments).length).toBeGreaterThan(0);
    expect(rows.stats.length).toBeGreaterThan(0);
    expect(rows.days.length).toBeGreaterThan(0);
  });

  it("keeps an order a webhook mirrored in a newer version, and updates one it mirrored in an older version", async () => {
    const [newer, older] = history.filter((p) => p.customer && p.line_items.length);
    const webhookNewer = copy(newer);
    webhookNewer.updated_at = later(newer.updated_at, 1);
    webhookNewer.total_price = "999.00";
    webhookNewer.email = "newer@example.com";
    webhookNewer.line_items[0].title = "Renamed by the newer version";
    const webhookOlder = copy(older);
    webhookOlder.updated_at = later(older.updated_at, -1);
    webhookOlder.total_price = "1.00";
    webhookOlder.line_items[0].title = "Older title";
    webhookOlder.line_items.push({ ...webhookOlder.line_items[0], id: "987654321", title: "Removed since" });

    const { rows, result } = await compare(async (shop) => {
      await db.$transaction(async (tx) => {
        for (const p of [webhookNewer, webhookOlder]) await orderFiguresChanged(tx, shop.id, (await applyOrder(tx, shop, p)).orderId);
      });
    }, history);
    const kept = rows.orders.find((o) => o.shopifyId === `gid://shopify/Order/${newer.id}`)!;
    expect(kept).toMatchObject({ totalCents: 99_900, email: "newer@example.com", shopifyUpdatedAt: webhookNewer.updated_at });
    expect((kept.lineItems as { title: string }[]).map((li) => li.title)).toContain("Renamed by the newer version");
    const moved = rows.orders.find((o) => o.shopifyId === `gid://shopify/Order/${older.id}`)!;
    expect(moved).toMatchObject({ shopifyUpdatedAt: older.updated_at });
    expect(moved.totalCents).not.toBe(100);
    expect((moved.lineItems as { title: string }[]).map((li) => li.title)).not.toContain("Older title");
    expect(result.stale).toBe(1);
  });

  it("fills in placeholders a fulfillment event or a refund made first, and decides `imported` then", async () => {
    const [withFulfillment, withRefund, bare, afterInstall] = history.filter((p) => p.fulfillments.length).slice(-4);
    const placedLate = copy(afterInstall);
    placedLate.created_at = placedLate.processed_at = new Date(); // placed after the install: not imported
    const { rows } = await compare(
      async (shop) => {
        await db.$transaction(async (tx) => {
          const f = withFulfillment.fulfillments[0];
          await applyFulfillmentEvent(
            tx,
            shop.id,
            { id: "5550001", fulfillment_id: f.id, order_id: withFulfillment.id, status: "delivered", happened_at: later(f.created_at!, 30) },
            new Date(),
          );
          await applyRefund(tx, shop.id, {
            id: "7770001",
            order_id: withRefund.id,
            note: "early",
            transactions: [{ amount: "3.50", kind: "refund", status: "success" }],
          });
          await ensureOrder(tx, shop.id, `gid://shopify/Order/${bare.id}`);
        });
      },
      [withFulfillment, withRefund, bare, placedLate],
    );
    expect(rows.orders.every((o) => !o.placeholder)).toBe(true);
    expect(rows.orders.find((o) => o.shopifyId === `gid://shopify/Order/${afterInstall.id}`)!.imported).toBe(false);
    const delivered = rows.orders.find((o) => o.shopifyId === `gid://shopify/Order/${withFulfillment.id}`)!.fulfillments as { shipmentStatus: string | null }[];
    expect(delivered.map((f) => f.shipmentStatus)).toContain("delivered");
  });

  it("applies an order that comes twice in one chunk in file order: the newest version wins, an older one after it changes nothing", async () => {
    const [a, b] = history.filter((p) => p.line_items.length && p.customer).slice(3, 5);
    const aNewer = copy(a);
    aNewer.updated_at = later(a.updated_at, 2);
    aNewer.financial_status = "refunded";
    aNewer.line_items[0].quantity += 3;
    const bNewer = copy(b);
    bNewer.updated_at = later(b.updated_at, 2);
    bNewer.customer = { ...b.customer!, id: "424242", email: "moved@example.com" }; // the order moved to another customer
    bNewer.email = "moved@example.com";
    const { rows } = await compare(async () => {}, [aNewer, b, a, bNewer]);
    expect(rows.orders.find((o) => o.shopifyId === `gid://shopify/Order/${a.id}`)).toMatchObject({ financialStatus: "refunded" });
    expect(rows.orders.find((o) => o.shopifyId === `gid://shopify/Order/${b.id}`)).toMatchObject({ customerShopifyId: "gid://shopify/Customer/424242" });
    expect(rows.stats.map((s) => s.customerKey)).toContain("gid://shopify/Customer/424242");
  });

  it("moves an already counted order to its new customer: both customers' figures are refreshed", async () => {
    const customer = history.find((p) => p.customer)!.customer!;
    const theirs = history.filter((p) => p.customer?.id === customer.id);
    const moved = copy(theirs[0]);
    moved.updated_at = later(moved.updated_at, 1);
    moved.customer = null;
    moved.email = "guest@example.com";
    const { rows } = await compare(
      async (shop) => {
        await db.$transaction(async (tx) => {
          for (const p of theirs) await orderFiguresChanged(tx, shop.id, (await applyOrder(tx, shop, p)).orderId);
        });
      },
      [moved],
    );
    expect(rows.stats.find((s) => s.customerKey === "guest@example.com")).toMatchObject({ orderCount: moved.cancelled_at ? undefined : 1 });
  });

  it("keeps a fulfillment's newer version and its delivery; an older one only fills what it may", async () => {
    const order = history.filter((p) => p.fulfillments.length).at(-1)!;
    const webhook = copy(order);
    webhook.updated_at = later(order.updated_at, -1); // the order itself is older: the chunk's version applies
    webhook.fulfillments[0].updated_at = later(order.fulfillments[0].updated_at ?? order.fulfillments[0].created_at!, 1);
    webhook.fulfillments[0].tracking_company = "Newer Carrier";
    webhook.fulfillments[0].shipment_status = "delivered";
    const { rows } = await compare(
      async (shop) => {
        await db.$transaction((tx) => applyOrder(tx, shop, webhook));
      },
      [order],
    );
    const f = (rows.orders[0].fulfillments as { trackingCompany: string | null; deliveredAt: Date | null }[])[0];
    expect(f.trackingCompany).toBe("Newer Carrier");
    expect(f.deliveredAt).not.toBeNull();
  });

  it("does not overwrite a newer version a webhook commits while the chunk runs (a known order, and one the chunk found new)", async () => {
    const [known, fresh] = history.filter((p) => p.line_items.length).slice(0, 2);
    const shop = await newShop();
    const older = copy(known);
    older.updated_at = later(known.updated_at, -1);
    await db.$transaction((tx) => applyOrder(tx, shop, older));
    const newer = [known, fresh].map((p) => {
      const v = copy(p);
      v.updated_at = later(p.updated_at, 1);
      v.total_price = "555.00";
      v.line_items[0].title = "From the webhook";
      return v;
    });
    let raced = false;
    await db.$transaction(async (tx) => {
      // After the chunk has read the orders, the webhooks commit their newer versions.
      const racing = new Proxy(tx, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (prop !== "order") return value;
          return new Proxy(value, {
            get(model, method) {
              const fn = Reflect.get(model, method);
              if (method !== "findMany" || raced) return fn;
              return async (...args: unknown[]) => {
                const rows = await fn.apply(model, args);
                raced = true;
                await db.$transaction(async (other) => {
                  for (const v of newer) await applyOrder(other, shop, v);
                });
                return rows;
              };
            },
          });
        },
      });
      await applyOrderChunk(racing, shop, [known, fresh], []);
    });
    expect(raced).toBe(true);
    const rows = await db.order.findMany({ where: { shopId: shop.id }, include: { lineItems: true } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ totalCents: 55_500, placeholder: false });
      expect(row.lineItems.map((li) => li.title)).toContain("From the webhook");
    }
  });
});
