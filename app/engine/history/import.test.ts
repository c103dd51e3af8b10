// The history import's happy paths against a real PostgreSQL database and the sandbox emulator
// (tests/support/history-import.ts): start, export, mirror, continue, resume by byte range.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runHistoryImport, startHistoryImport } from "./import";
import { HISTORY_IMPORT_JOB_KIND } from "./import-queue";
import { HISTORY_POLL_MS } from "./import-run";
import { historyImportView } from "./view";
import { dayOf } from "../dashboard/days";
import {
  db,
  clock,
  ALL,
  RECENT_ONLY,
  type Emulated,
  emulated,
  installed,
  deps,
  gidOf,
  mirrored,
  importAll,
  exportReady,
  useHistoryDb,
} from "../../../tests/support/history-import";

useHistoryDb("history");

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

describe("runHistoryImport", () => {
  it("exports the window with one bulk operation and mirrors every order once, as imported, with refunds, cancellations and test flags", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const steps = await importAll(e, shop);
    expect(steps.at(-1)).toMatchObject({ outcome: "done" });
    expect(steps.reduce((n, r) => n + r.orders, 0)).toBe(e.emu.orders.length);

    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    const created = e.emu.orders.map((o) => Date.parse(o.createdAt));
    expect(row).toMatchObject({
      status: "done",
      orders: e.emu.orders.length,
      total: e.emu.orders.length,
      exported: e.emu.orders.length,
      pages: Math.ceil(e.emu.orders.length / 10),
      error: null,
      bulkStatus: "COMPLETED",
    });
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
    const next = await db.job.findFirstOrThrow({
      where: { shopId: shop.id, kind: HISTORY_IMPORT_JOB_KIND, key: `${shop.id}:${row.startedAt.getTime()}:poll:1` },
    });
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
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      status: "done",
      orders: e.emu.orders.length,
      pages: Math.ceil(e.emu.orders.length / 10),
    });
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
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      status: "done",
      orders: e.emu.orders.length,
      bytes: BigInt(file.length),
    });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(e.emu.orders.length);
    // The first run reads the whole file; each continuation starts where the last chunk ended: at an order's line.
    expect(asked[0]).toBeUndefined();
    const resumed = asked.slice(1) as number[];
    expect(resumed.length).toBe(Math.ceil(e.emu.orders.length / 10) - 1);
    expect(resumed).toEqual([...resumed].sort((a, b) => a - b));
    for (const at of resumed) expect(file.subarray(at, at + 30).toString()).toMatch(/^\{"id":"gid:\/\/shopify\/Order\//);
  });
});
