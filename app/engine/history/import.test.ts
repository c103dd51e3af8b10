// The history import against a real PostgreSQL database, with the sandbox emulator's resolvers standing in
// for the Admin API (same schema, search syntax, bulk operations and their JSONL files, the 60-day rule).
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, Shop } from "@prisma/client";
import { execute, parse, type OperationDefinitionNode } from "graphql";
import type { Db } from "../../db.server";
import { createTempDb, type TempDb } from "../../../tests/support/temp-db";
import { adminSchema } from "../../../sandbox/emulator/schema";
import { bulkDeps, rootResolvers } from "../../../sandbox/emulator/resolvers";
import { bulkDownload, bulkFile, workThrough } from "../../../sandbox/emulator/bulk";
import { seedDemoShop } from "../../../sandbox/emulator/seed";
import { EmulatorState, type ShopState } from "../../../sandbox/emulator/state";
import { OffsetClock } from "../clock";
import { applyOrder, ensureOrder } from "../orders/mirror";
import { ORDER_NESTED_ITEMS, ORDER_QUERY, toOrderPayload } from "../reconcile/graphql-order";
import type { ShopGraphqlRaw } from "../reconcile/orders";
import { HISTORY_IMPORT_JOB_KIND, HISTORY_POLL_MS, runHistoryImport, startHistoryImport } from "./import";
import { bulkOrdersQuery } from "./bulk-query";
import { createdWithinQuery } from "./window";
import { historyJobHandlers, HISTORY_MAX_ATTEMPTS } from "./job";
import { historyImportView } from "./view";
import { dayOf } from "../dashboard/days";

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
  state: EmulatorState;
  emu: ShopState;
  graphql: ShopGraphqlRaw;
  /** The bulk operation's file, as the emulator serves it at its signed URL; `lines` may change or cut it. */
  download: (url: string, signal?: AbortSignal, fromByte?: number) => Promise<Response>;
  calls: { operation: string; after: unknown }[];
  logs: Record<string, unknown>[];
}

/**
 * The demo shop cut down to a few pages: its two test checkouts, every refunded or cancelled order,
 * and the most recent 20. `intercept` may throw (a failed call) or change the answer.
 */
function emulated(
  scopes: string,
  intercept?: (call: number, operation: string, data: any) => void,
  fileLines?: (lines: string[]) => (string | Error)[],
): Emulated {
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
  const download = async (url: string) => {
    const u = new URL(url);
    const found = bulkDownload(state, u.pathname.split("/").pop()!.replace(/\.jsonl$/, ""), u.searchParams.get("signature"));
    if ("status" in found) return new Response(found.message, { status: found.status });
    const text = [...bulkFile(bulkDeps(state, emu, scopes), found.op)].join("");
    const lines = fileLines?.(text.split("\n").filter(Boolean)) ?? text.split("\n").filter(Boolean);
    return new Response(Readable.toWeb(Readable.from(lineStream(lines))) as ReadableStream);
  };
  return { state, emu, graphql, download, calls, logs: [] };
}

/** The file's lines; a line that is an Error makes the stream fail there (a dropped connection). */
async function* lineStream(lines: (string | Error)[]) {
  for (const line of lines) {
    if (line instanceof Error) throw line;
    yield `${line}\n`;
  }
}

async function installed(scopes: string): Promise<Shop> {
  const domain = `history-${++shopCount}.myshopify.com`;
  const shop = await db.shop.create({ data: { domain, name: "Demo", timezone: "UTC", currency: "USD", installedAt: clock.now(), scopes } });
  await db.$transaction((tx) => startHistoryImport(tx, clock, shop));
  return shop;
}

const deps = (e: Emulated, budgetMs = 60_000, chunkSize = 10) => ({ db, clock, graphql: e.graphql, download: e.download, log: (event: Record<string, unknown>) => void e.logs.push(event), sleep: async () => {}, budgetMs, chunkSize });

/** Runs the import's jobs the way the worker would, until none is left. */
async function runJobs(shop: Shop, e: Emulated, budgetMs?: number) {
  const handler = historyJobHandlers(e.graphql, { budgetMs, sleep: async () => {}, download: e.download, chunkSize: 10 })[HISTORY_IMPORT_JOB_KIND];
  for (let guard = 0; guard < 200; guard++) {
    await new Promise((resolve) => setImmediate(resolve)); // the emulator's export works between the checks
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
    expect(row).toMatchObject({ status: "running", pages: 0, orders: 0, lines: 0, bulkOperationId: null });
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

/** Runs the import step after step (start the export, check on it, apply the file) until it stops running. */
async function importAll(e: Emulated, shop: Shop, budgetMs?: number) {
  const results = [];
  for (let guard = 0; guard < 200; guard++) {
    await new Promise((resolve) => setImmediate(resolve));
    const result = await runHistoryImport(deps(e, budgetMs), shop);
    results.push(result);
    if ((await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).status !== "running") return results;
  }
  throw new Error("the import never finished");
}

/** Runs steps until the export is ready to be read (the next step applies the file). */
async function exportReady(e: Emulated, shop: Shop) {
  await runHistoryImport(deps(e), shop);
  await expect.poll(() => e.state.bulkOperations.at(-1)?.status).toBe("COMPLETED");
}

describe("runHistoryImport", () => {
  it("exports the window with one bulk operation and mirrors every order once, as imported, with refunds, cancellations and test flags", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const steps = await importAll(e, shop);
    expect(steps.at(-1)).toMatchObject({ outcome: "done" });
    expect(steps.reduce((n, r) => n + r.orders, 0)).toBe(e.emu.orders.length);

    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    const created = e.emu.orders.map((o) => Date.parse(o.createdAt));
    expect(row).toMatchObject({ status: "done", orders: e.emu.orders.length, total: e.emu.orders.length, exported: e.emu.orders.length, pages: Math.ceil(e.emu.orders.length / 10), error: null, bulkStatus: "COMPLETED" });
    expect(row.bulkOperationId).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);
    expect(row.finishedAt).not.toBeNull();
    expect(row.oldestSeen!.getTime()).toBe(Math.min(...created));
    expect(row.newestSeen!.getTime()).toBe(Math.max(...created));
    // One export, read once: no page-by-page queries.
    expect(e.calls.filter((c) => c.operation === "HistoryBulkRun")).toHaveLength(1);
    expect(e.calls.some((c) => c.operation === "HistoryOrders")).toBe(false);

    const orders = await mirrored(shop);
    expect(orders.map((o) => o.shopifyId).sort()).toEqual(e.emu.orders.map((o) => gidOf(o.id)).sort());
    expect(orders.every((o) => o.imported && !o.placeholder)).toBe(true);
    const refunded = (list: { amountCents: number }[]) => list.reduce((s, r) => s + r.amountCents, 0);
    expect(refunded(orders.flatMap((o) => o.refunds))).toBe(refunded(e.emu.orders.flatMap((o) => o.refunds)));
    expect(orders.filter((o) => o.cancelledAt).length).toBe(e.emu.orders.filter((o) => o.cancelledAt).length);
    expect(orders.filter((o) => o.test).length).toBe(2);
    // Line items came from their own lines of the file.
    const items = await db.lineItem.count({ where: { order: { shopId: shop.id } } });
    expect(items).toBe(e.emu.orders.reduce((n, o) => n + o.lineItems.length, 0));

    // The dashboard's figures follow; nothing else does.
    const counted = new Set(orders.filter((o) => !o.test && !o.cancelledAt).map((o) => o.customerShopifyId));
    expect(await db.customerStat.count({ where: { shopId: shop.id } })).toBe(counted.size);
    expect(await db.message.count({ where: { shopId: shop.id } })).toBe(0);
    expect(JSON.stringify(e.logs)).not.toContain("@");
  });

  it("takes the last 60 days when read_all_orders is not granted", async () => {
    const e = emulated(RECENT_ONLY);
    const shop = await installed(RECENT_ONLY);
    await importAll(e, shop);
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    const expected = e.emu.orders.filter((o) => Date.parse(o.createdAt) >= row.since!.getTime());
    expect(expected.length).toBeLessThan(e.emu.orders.length);
    expect(row).toMatchObject({ status: "done", orders: expected.length, total: expected.length });
    expect((await mirrored(shop)).map((o) => o.shopifyId).sort()).toEqual(expected.map((o) => gidOf(o.id)).sort());
  });

  it("marks each rollup day a chunk changed once, when the chunk ends", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    await exportReady(e, shop);
    expect(await runHistoryImport({ ...deps(e), chunkSize: 1000 }, shop)).toMatchObject({ outcome: "done", pages: 1, orders: e.emu.orders.length });
    const days = (await db.rollupMark.findMany({ where: { shopId: shop.id }, select: { day: true } })).map((m) => m.day);
    expect(days.length).toBe(new Set(days).size);
    // The days the orders were placed on (their customers' first orders are among them).
    const placed = (await mirrored(shop)).map((o) => dayOf(o.placedAt!, "UTC"));
    expect(new Set(days)).toEqual(new Set(placed));
  });

  it("checks on the export in a new job a few seconds later while Shopify builds the file", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const before = clock.now().getTime();
    expect(await runHistoryImport(deps(e), shop)).toMatchObject({ outcome: "continued", orders: 0 });
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ status: "running", bulkStatus: "CREATED", total: e.emu.orders.length, orders: 0, polls: 1 });
    const next = await db.job.findFirstOrThrow({ where: { shopId: shop.id, kind: HISTORY_IMPORT_JOB_KIND, key: `${shop.id}:${row.startedAt.getTime()}:poll:1` } });
    expect(next.runAt.getTime() - before).toBeGreaterThanOrEqual(HISTORY_POLL_MS);
    const view = await historyImportView(db, shop.id);
    expect(view).toMatchObject({ status: "running", total: e.emu.orders.length, orders: 0, secondsLeft: null });
  });

  it("continues in a new job when its time budget is used, from the line it reached", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    await exportReady(e, shop);
    expect(await runHistoryImport(deps(e, 0), shop)).toMatchObject({ outcome: "continued", pages: 1, orders: 10 });
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ status: "running", pages: 1, orders: 10 });
    expect(row.lines).toBeGreaterThan(10); // the ten orders and their line items
    expect(await db.job.findFirst({ where: { kind: HISTORY_IMPORT_JOB_KIND, key: `${shop.id}:${row.startedAt.getTime()}:line:${row.lines}` } })).not.toBeNull();
    // Time left comes from the rate so far.
    const view = await historyImportView(db, shop.id, new Date(clock.now().getTime() + 10_000));
    expect(view!.secondsLeft).toBeGreaterThan(0);

    await importAll(e, shop, 0);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", orders: e.emu.orders.length, pages: Math.ceil(e.emu.orders.length / 10) });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(e.emu.orders.length);
    expect(e.calls.filter((c) => c.operation === "HistoryBulkRun")).toHaveLength(1);
  });

  it("a continuation downloads only the rest of the file (Range from the byte its lines end at), and counts every order once", async () => {
    const e = emulated(ALL);
    const whole = e.download;
    const asked: (number | undefined)[] = [];
    let file = Buffer.alloc(0);
    // File storage as Shopify's: `Range: bytes=N-` answers 206 with the file from byte N.
    e.download = (async (url: string, _signal?: AbortSignal, fromByte?: number) => {
      asked.push(fromByte);
      const pieces: Buffer[] = [];
      for await (const piece of Readable.fromWeb((await whole(url)).body as import("node:stream/web").ReadableStream)) pieces.push(Buffer.from(piece));
      file = Buffer.concat(pieces);
      if (!fromByte) return new Response(file);
      return new Response(file.subarray(fromByte), { status: 206, headers: { "content-range": `bytes ${fromByte}-${file.length - 1}/${file.length}` } });
    }) as Emulated["download"];
    const shop = await installed(ALL);
    await exportReady(e, shop);
    await importAll(e, shop, 0);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", orders: e.emu.orders.length, bytes: BigInt(file.length) });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(e.emu.orders.length);
    // The first run reads the whole file; each continuation starts where the last chunk ended: at an order's line.
    expect(asked[0]).toBeUndefined();
    const resumed = asked.slice(1) as number[];
    expect(resumed.length).toBe(Math.ceil(e.emu.orders.length / 10) - 1);
    expect(resumed).toEqual([...resumed].sort((a, b) => a - b));
    for (const at of resumed) expect(file.subarray(at, at + 30).toString()).toMatch(/^\{"id":"gid:\/\/shopify\/Order\//);
  });

  it("resumes from the last committed chunk after the download breaks, counting every order once", async () => {
    let crash = true;
    const e = emulated(ALL, undefined, (lines) => (crash ? [...lines.slice(0, Math.floor(lines.length / 2)), new Error("socket hang up")] : lines));
    const shop = await installed(ALL);
    await exportReady(e, shop);
    await expect(runHistoryImport(deps(e), shop)).rejects.toThrow("socket hang up");
    const cut = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(cut.status).toBe("running");
    expect(cut.orders).toBeGreaterThan(0);
    expect(cut.orders % 10).toBe(0);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(cut.orders);

    crash = false;
    await importAll(e, shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", orders: e.emu.orders.length });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(e.emu.orders.length);
  });

  it("stops without applying anything when another run moved the import on", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    await exportReady(e, shop);
    // The row moves between the download and the commit (a job re-run after its lease got there first).
    const download = e.download;
    e.download = async (url) => {
      const answer = await download(url);
      await db.historyImport.update({ where: { shopId: shop.id }, data: { lines: 7 } });
      return answer;
    };
    expect(await runHistoryImport(deps(e), shop)).toMatchObject({ outcome: "skipped", pages: 0 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("starts the export again when its file has expired, and counts every order once", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    await exportReady(e, shop);
    await runHistoryImport(deps(e, 0), shop); // one chunk applied
    e.state.bulkOperations.at(-1)!.expired = true;
    await importAll(e, shop);
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ status: "done", orders: e.emu.orders.length, restarts: 1 });
    expect(e.calls.filter((c) => c.operation === "HistoryBulkRun")).toHaveLength(2);
    expect(e.logs).toContainEqual(expect.objectContaining({ msg: "history import: starting the export again", reason: "the export's file could not be read (HTTP 403)" }));
  });

  it("starts the export again when Shopify fails it for a passing reason, and gives up after a few", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    e.state.bulkFailures.set(e.emu.domain, "INTERNAL_SERVER_ERROR");
    await importAll(e, shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", orders: e.emu.orders.length, restarts: 1 });
  });

  it("adopts its own export that is already running (a run that crashed before recording it), and waits for another app's", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    const ours = bulkOrdersQuery(createdWithinQuery(row.since, row.until));
    await e.graphql(shop.domain, "mutation Other($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: "{ orders { edges { node { id } } } }" });
    const other = e.state.bulkOperations.at(-1)!;
    other.status = "RUNNING"; // held running while the import looks at it (on a busy machine it could finish first)
    await runHistoryImport(deps(e), shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ bulkOperationId: null, error: expect.stringContaining("Waiting for another export") });
    other.status = "CREATED";
    void workThrough(bulkDeps(e.state, e.emu, ALL), other);
    await expect.poll(() => other.status).toBe("COMPLETED");

    await e.graphql(shop.domain, "mutation Ours($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", { q: ours });
    const op = e.state.bulkOperations.at(-1)!;
    op.status = "RUNNING"; // held running while the import looks at it
    await runHistoryImport(deps(e), shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ bulkOperationId: `gid://shopify/BulkOperation/${op.id}`, error: null });
    op.status = "CREATED";
    void workThrough(bulkDeps(e.state, e.emu, ALL), op);
    await importAll(e, shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", bulkOperationId: `gid://shopify/BulkOperation/${op.id}`, orders: e.emu.orders.length });
    expect(e.calls.filter((c) => c.operation === "HistoryBulkRun")).toHaveLength(2); // both refused: one waited, one adopted
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

    await importAll(e, shop);
    const byId = async (id: number) => db.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: gidOf(id) } } });
    expect(await byId(live.id)).toMatchObject({ imported: true, name: "#from-webhook" });
    expect(await byId(early.id)).toMatchObject({ imported: true, placeholder: false, name: early.name });
    expect((await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).orders).toBe(e.emu.orders.length);
  });

  it("skips an order that fails validation and logs it without its data", async () => {
    const e = emulated(ALL, undefined, (lines) => lines.map((l, i) => (i === 0 ? l.replace(/"email":"[^"]*"/, '"email":42') : l)));
    const shop = await installed(ALL);
    await importAll(e, shop);
    expect((await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).orders).toBe(e.emu.orders.length - 1);
    expect(e.logs).toContainEqual(expect.objectContaining({ msg: "history import: order skipped", level: "warn", orderGid: expect.any(String), issues: "email: invalid_type" }));
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

  it("fails the import with a readable reason when Shopify ends the export with ACCESS_DENIED", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    e.state.bulkFailures.set(e.emu.domain, "ACCESS_DENIED");
    await runJobs(shop, e);
    expect(await historyImportView(db, shop.id)).toMatchObject({ status: "failed", error: expect.stringContaining("Shopify refused access to the shop's orders") });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
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
