// The history import against a real PostgreSQL database, with the sandbox emulator's resolvers standing in
// for the Admin API (same schema, search syntax, cursors and the 60-day rule).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, Shop } from "@prisma/client";
import { execute, parse, type OperationDefinitionNode } from "graphql";
import type { Db } from "../../db.server";
import { createTempDb, type TempDb } from "../../../tests/support/temp-db";
import { adminSchema } from "../../../sandbox/emulator/schema";
import { rootResolvers } from "../../../sandbox/emulator/resolvers";
import { seedDemoShop } from "../../../sandbox/emulator/seed";
import { EmulatorState, type ShopState } from "../../../sandbox/emulator/state";
import { OffsetClock } from "../clock";
import { applyOrder, ensureOrder } from "../orders/mirror";
import { ORDER_NESTED_ITEMS, ORDER_QUERY, toOrderPayload } from "../reconcile/graphql-order";
import type { ShopGraphqlRaw } from "../reconcile/orders";
import { HISTORY_IMPORT_JOB_KIND, runHistoryImport, startHistoryImport } from "./import";
import { historyJobHandlers, HISTORY_MAX_ATTEMPTS } from "./job";
import { historyImportView } from "./view";

let temp: TempDb;
let db: Db;
const clock = new OffsetClock(0);
const ALL = "read_orders,read_all_orders";
const RECENT_ONLY = "read_orders";
let shopCount = 0;

beforeAll(async () => {
  temp = await createTempDb("history");
  db = temp.db;
}, 60_000);
afterAll(() => temp.close());

interface Emulated {
  emu: ShopState;
  graphql: ShopGraphqlRaw;
  calls: { operation: string; after: unknown }[];
  logs: Record<string, unknown>[];
}

/**
 * The demo shop cut down to a few pages: its two test checkouts, every refunded or cancelled order,
 * and the most recent 20. `intercept` may throw (a failed call) or change the answer.
 */
function emulated(scopes: string, intercept?: (call: number, operation: string, data: any) => void): Emulated {
  const state = new EmulatorState();
  const emu = seedDemoShop(state);
  emu.orders = emu.orders.filter((o, i) => i < 2 || o.cancelledAt || o.refunds.length || i >= emu.orders.length - 20);
  const calls: Emulated["calls"] = [];
  const graphql: ShopGraphqlRaw = async (_shop, query, variables) => {
    const document = parse(query);
    const operation = (document.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode).name?.value ?? "";
    calls.push({ operation, after: variables?.after });
    const result = await execute({ schema: adminSchema, document, rootValue: rootResolvers(state, emu, scopes), variableValues: variables });
    if (result.errors?.length) throw Object.assign(new Error(`Admin API 200: ${result.errors[0].message}`), { retryable: false });
    const data = JSON.parse(JSON.stringify(result.data));
    intercept?.(calls.length, operation, data);
    return { data };
  };
  return { emu, graphql, calls, logs: [] };
}

async function installed(scopes: string): Promise<Shop> {
  const domain = `history-${++shopCount}.myshopify.com`;
  const shop = await db.shop.create({ data: { domain, name: "Demo", timezone: "UTC", currency: "USD", installedAt: clock.now(), scopes } });
  await db.$transaction((tx) => startHistoryImport(tx, clock, shop));
  return shop;
}

const deps = (e: Emulated, budgetMs = 60_000) => ({ db, clock, graphql: e.graphql, log: (event: Record<string, unknown>) => void e.logs.push(event), sleep: async () => {}, budgetMs });

/** Runs the import's jobs the way the worker would, until none is left. */
async function runJobs(shop: Shop, e: Emulated, budgetMs?: number) {
  const handler = historyJobHandlers(e.graphql, { budgetMs, sleep: async () => {} })[HISTORY_IMPORT_JOB_KIND];
  for (let guard = 0; guard < 100; guard++) {
    const job = await db.job.findFirst({ where: { shopId: shop.id, kind: HISTORY_IMPORT_JOB_KIND, status: "pending" }, orderBy: { createdAt: "asc" } });
    if (!job) return;
    await db.job.update({ where: { id: job.id }, data: { status: "running", attempts: { increment: 1 } } });
    await handler({ ...job, attempts: job.attempts + 1 }, { db, clock, log: (event: Record<string, unknown>) => void e.logs.push(event) } as never);
    await db.job.update({ where: { id: job.id }, data: { status: "done" } });
  }
  throw new Error("the import never finished");
}

const gidOf = (id: number) => `gid://shopify/Order/${id}`;
const mirrored = (shop: Shop) => db.order.findMany({ where: { shopId: shop.id }, include: { refunds: true } });

describe("startHistoryImport", () => {
  it("asks for the last 60 days, or everything with read_all_orders, and queues the first run", async () => {
    const recent = await installed(RECENT_ONLY);
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: recent.id } });
    expect(row).toMatchObject({ status: "running", pages: 0, orders: 0, cursor: null });
    expect(row.until.getTime() - row.since!.getTime()).toBe(60 * 86_400_000);
    const job = await db.job.findFirstOrThrow({ where: { shopId: recent.id, kind: HISTORY_IMPORT_JOB_KIND } });
    expect(job.key).toBe(`${recent.id}:${row.startedAt.getTime()}:0`);
    expect(job.payload).toEqual({ shopId: recent.id, startedAt: row.startedAt.toISOString() });

    const all = await installed(ALL);
    expect((await db.historyImport.findUniqueOrThrow({ where: { shopId: all.id } })).since).toBeNull();
  });

  it("is idempotent: an install that runs again, or a restart while it runs, changes nothing", async () => {
    const shop = await installed(ALL);
    const before = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(await db.$transaction((tx) => startHistoryImport(tx, clock, shop))).toBe(false);
    expect(await db.$transaction((tx) => startHistoryImport(tx, clock, shop, { restart: true }))).toBe(false);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toEqual(before);
    expect(await db.job.count({ where: { shopId: shop.id } })).toBe(1);

    // A running import whose job is gone (the app was uninstalled mid-way) can start over.
    await db.job.updateMany({ where: { shopId: shop.id }, data: { status: "cancelled" } });
    expect(await db.$transaction((tx) => startHistoryImport(tx, clock, shop, { restart: true }))).toBe(true);
    expect(await db.job.count({ where: { shopId: shop.id, status: "pending" } })).toBe(1);
  });
});

describe("runHistoryImport", () => {
  it("mirrors every order of the window once, newest first, as imported, with refunds, cancellations and test flags", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    expect(await runHistoryImport(deps(e), shop)).toMatchObject({ outcome: "done", orders: e.emu.orders.length });

    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    const created = e.emu.orders.map((o) => Date.parse(o.createdAt));
    expect(row).toMatchObject({ status: "done", orders: e.emu.orders.length, pages: Math.ceil(e.emu.orders.length / 10), error: null });
    expect(row.finishedAt).not.toBeNull();
    expect(row.oldestSeen!.getTime()).toBe(Math.min(...created));
    expect(row.newestSeen!.getTime()).toBe(Math.max(...created));

    const orders = await mirrored(shop);
    expect(orders.map((o) => o.shopifyId).sort()).toEqual(e.emu.orders.map((o) => gidOf(o.id)).sort());
    expect(orders.every((o) => o.imported && !o.placeholder)).toBe(true);
    const refunded = (list: { amountCents: number }[]) => list.reduce((s, r) => s + r.amountCents, 0);
    expect(refunded(orders.flatMap((o) => o.refunds))).toBe(refunded(e.emu.orders.flatMap((o) => o.refunds)));
    expect(orders.filter((o) => o.cancelledAt).length).toBe(e.emu.orders.filter((o) => o.cancelledAt).length);
    expect(orders.filter((o) => o.test).length).toBe(2);

    // The dashboard's figures follow; nothing else does.
    const counted = new Set(orders.filter((o) => !o.test && !o.cancelledAt).map((o) => o.customerShopifyId));
    expect(await db.customerStat.count({ where: { shopId: shop.id } })).toBe(counted.size);
    expect(await db.message.count({ where: { shopId: shop.id } })).toBe(0);

    // Newest first: the first page is the most recent orders.
    const first = e.calls.find((c) => c.operation === "HistoryOrders")!;
    expect(first.after).toBeNull();
    expect(JSON.stringify(e.logs)).not.toContain("@");
  });

  it("takes the last 60 days when read_all_orders is not granted", async () => {
    const e = emulated(RECENT_ONLY);
    const shop = await installed(RECENT_ONLY);
    await runHistoryImport(deps(e), shop);
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    const expected = e.emu.orders.filter((o) => Date.parse(o.createdAt) >= row.since!.getTime());
    expect(expected.length).toBeLessThan(e.emu.orders.length);
    expect(row).toMatchObject({ status: "done", orders: expected.length });
    expect((await mirrored(shop)).map((o) => o.shopifyId).sort()).toEqual(expected.map((o) => gidOf(o.id)).sort());
  });

  it("continues in a new job when its time budget is used", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const result = await runHistoryImport(deps(e, 0), shop);
    expect(result).toMatchObject({ outcome: "continued", pages: 1, orders: 10 });
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ status: "running", pages: 1, orders: 10 });
    expect(await db.job.findFirst({ where: { kind: HISTORY_IMPORT_JOB_KIND, key: `${shop.id}:${row.startedAt.getTime()}:1` } })).not.toBeNull();

    await runJobs(shop, e, 0);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", orders: e.emu.orders.length, pages: Math.ceil(e.emu.orders.length / 10) });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(e.emu.orders.length);
  });

  it("leaves the worker free while the cost bucket refills: the continuation is queued for when it can afford a page", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const drained: ShopGraphqlRaw = async (...args) => ({
      ...(await e.graphql(...args)),
      extensions: { cost: { requestedQueryCost: 802, throttleStatus: { currentlyAvailable: 2, restoreRate: 100 } } },
    });
    const before = clock.now().getTime();
    expect(await runHistoryImport({ ...deps(e), graphql: drained }, shop)).toMatchObject({ outcome: "continued", pages: 1 });
    const next = await db.job.findFirstOrThrow({ where: { shopId: shop.id, kind: HISTORY_IMPORT_JOB_KIND, status: "pending", key: { endsWith: ":1" } } });
    // 802 points for the page plus the 300 left to the app's other calls, at 100 points a second.
    expect(next.runAt.getTime() - before).toBeGreaterThanOrEqual(11_000);
    expect(e.logs).toContainEqual(expect.objectContaining({ msg: "history import: continuing in a new job", reason: "cost bucket", waitMs: 11_000 }));
  });

  it("resumes from the last committed page after a crash, counting every order once", async () => {
    let crash = true;
    const e = emulated(ALL, (call) => {
      if (crash && call === 3) throw new Error("socket hang up");
    });
    const shop = await installed(ALL);
    await expect(runHistoryImport(deps(e), shop)).rejects.toThrow("socket hang up");
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "running", pages: 2, orders: 20 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(20);

    crash = false;
    const resumed = e.calls.length;
    await runHistoryImport(deps(e), shop);
    expect(e.calls[resumed].after).toEqual(expect.any(String));
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", orders: e.emu.orders.length });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(e.emu.orders.length);
  });

  it("stops without applying anything when another run moved the import on", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    // The row moves between the query and the commit (a job re-run after its lease got there first).
    const moving: ShopGraphqlRaw = async (...args) => {
      const answer = await e.graphql(...args);
      await db.historyImport.update({ where: { shopId: shop.id }, data: { pages: 1, cursor: "elsewhere" } });
      return answer;
    };
    expect(await runHistoryImport({ ...deps(e), graphql: moving }, shop)).toMatchObject({ outcome: "skipped", pages: 0 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("an order placed before the install that came by webhook first stays imported and is never overwritten by an older version", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const live = e.emu.orders[e.emu.orders.length - 1];
    const single = await e.graphql(shop.domain, ORDER_QUERY, { id: gidOf(live.id), items: ORDER_NESTED_ITEMS });
    const payload = toOrderPayload((single.data as { order: unknown }).order);
    const newer = { ...payload, name: "#from-webhook", updated_at: new Date(Date.now() + 60_000) };
    await db.$transaction((tx) => applyOrder(tx, shop, newer));
    // A refund webhook that came before its order leaves a placeholder: the import fills it in.
    const early = e.emu.orders[e.emu.orders.length - 2];
    await db.$transaction((tx) => ensureOrder(tx, shop.id, gidOf(early.id)));

    await runHistoryImport(deps(e), shop);
    const byId = async (id: number) => db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: gidOf(id) } } });
    expect(await byId(live.id)).toMatchObject({ imported: true, name: "#from-webhook" });
    expect(await byId(early.id)).toMatchObject({ imported: true, placeholder: false, name: early.name });
    expect((await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).orders).toBe(e.emu.orders.length);
  });

  it("skips an order that fails validation and logs it without its data", async () => {
    const e = emulated(ALL, (call, operation, data) => {
      if (call === 1 && operation === "HistoryOrders") data.orders.nodes[0].email = 42;
    });
    const shop = await installed(ALL);
    await runHistoryImport(deps(e), shop);
    expect((await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).orders).toBe(e.emu.orders.length - 1);
    expect(e.logs).toContainEqual(expect.objectContaining({ msg: "history import: order skipped", level: "warn", orderGid: expect.any(String) }));
    expect(JSON.stringify(e.logs)).not.toContain("@");
  });
});

describe("the history.import job", () => {
  const job = (shop: Shop, startedAt: Date, attempts: number) =>
    ({ id: "j", kind: HISTORY_IMPORT_JOB_KIND, payload: { shopId: shop.id, startedAt: startedAt.toISOString() }, attempts }) as unknown as Job;
  const run = (e: Emulated, j: Job) => historyJobHandlers(e.graphql, { sleep: async () => {} })[HISTORY_IMPORT_JOB_KIND](j, { db, clock, log: () => {} } as never);

  it("fails the import with a readable reason when Shopify refuses access", async () => {
    const e = emulated(ALL, () => {
      throw Object.assign(new Error('Admin API 200: Access denied for orders field. Required access: `read_orders` access scope.: {"response":{}}'), { retryable: false });
    });
    const shop = await installed(ALL);
    const { startedAt } = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    await run(e, job(shop, startedAt, 1));
    const view = await historyImportView(db, shop.id);
    expect(view).toMatchObject({ status: "failed", error: expect.stringContaining("Shopify refused access to the shop's orders") });
    expect(view!.finishedAt).not.toBeNull();
  });

  it("lets the queue retry a passing failure, and gives up after a few tries", async () => {
    const e = emulated(ALL, () => {
      throw Object.assign(new Error("Admin API 503: Service Unavailable"), { retryable: true });
    });
    const shop = await installed(ALL);
    const { startedAt } = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    await expect(run(e, job(shop, startedAt, 1))).rejects.toThrow("503");
    expect(await historyImportView(db, shop.id)).toMatchObject({ status: "running", error: "Waiting to retry: Admin API 503: Service Unavailable" });
    await run(e, job(shop, startedAt, HISTORY_MAX_ATTEMPTS));
    expect(await historyImportView(db, shop.id)).toMatchObject({ status: "failed", error: "The import stopped: Admin API 503: Service Unavailable" });
  });

  it("does nothing for a shop that was uninstalled, or for an import that was restarted since", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const { startedAt } = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    await run(e, job(shop, new Date(startedAt.getTime() - 1000), 1));
    await db.shop.update({ where: { id: shop.id }, data: { status: "uninstalled" } });
    await run(e, job(shop, startedAt, 1));
    expect(e.calls).toHaveLength(0);
    expect(await historyImportView(db, shop.id)).toMatchObject({ status: "running", pages: 0 });
  });
});
