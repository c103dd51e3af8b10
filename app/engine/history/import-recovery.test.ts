// The history import when things go wrong (a broken download, a race, an expired file, a failed
// export, an invalid order) and its job's failure handling, against the sandbox emulator.
import { describe, expect, it } from "vitest";
import type { Job, Shop } from "@prisma/client";
import { workThrough } from "../../../sandbox/emulator/bulk";
import { bulkDeps } from "../../../sandbox/emulator/resolvers";
import { applyOrder, ensureOrder } from "../orders/mirror";
import { toOrderPayload } from "../reconcile/graphql-order";
import { ORDER_NESTED_ITEMS, ORDER_QUERY } from "../reconcile/order-query";
import { runHistoryImport } from "./import";
import { HISTORY_IMPORT_JOB_KIND } from "./import-queue";
import { bulkOrdersQuery } from "./bulk-query";
import { createdWithinQuery } from "./window";
import { historyImportView } from "./view";
import { historyJobHandlers, HISTORY_MAX_ATTEMPTS } from "./job";
import {
  db,
  clock,
  ALL,
  type Emulated,
  emulated,
  installed,
  deps,
  runJobs,
  gidOf,
  importAll,
  exportReady,
  useHistoryDb,
} from "../../../tests/support/history-import";

useHistoryDb("history-recovery");

describe("runHistoryImport after a failure or a race", () => {
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
  }, 30_000); // two whole runs, the first of the file (it warms the emulator and the mirror's code)

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
    expect(e.logs).toContainEqual(
      expect.objectContaining({ msg: "history import: starting the export again", reason: "the export's file could not be read (HTTP 403)" }),
    );
  });

  it("starts the export again when Shopify fails it for a passing reason, and gives up after a few", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    e.state.bulkFailures.set(e.emu.domain, "INTERNAL_SERVER_ERROR");
    await importAll(e, shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      status: "done",
      orders: e.emu.orders.length,
      restarts: 1,
    });
  });

  it("adopts its own export that is already running (a run that crashed before recording it), and waits for another app's", async () => {
    const e = emulated(ALL);
    const shop = await installed(ALL);
    const row = await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } });
    const ours = bulkOrdersQuery(createdWithinQuery(row.since, row.until));
    await e.graphql(shop.domain, "mutation Other($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", {
      q: "{ orders { edges { node { id } } } }",
    });
    const other = e.state.bulkOperations.at(-1)!;
    other.status = "RUNNING"; // held running while the import looks at it (on a busy machine it could finish first)
    await runHistoryImport(deps(e), shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      bulkOperationId: null,
      error: expect.stringContaining("Waiting for another export"),
    });
    other.status = "CREATED";
    void workThrough(bulkDeps(e.state, e.emu, ALL), other);
    await expect.poll(() => other.status).toBe("COMPLETED");

    await e.graphql(shop.domain, "mutation Ours($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", {
      q: ours,
    });
    const op = e.state.bulkOperations.at(-1)!;
    op.status = "RUNNING"; // held running while the import looks at it
    await runHistoryImport(deps(e), shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      bulkOperationId: `gid://shopify/BulkOperation/${op.id}`,
      error: null,
    });
    op.status = "CREATED";
    void workThrough(bulkDeps(e.state, e.emu, ALL), op);
    await importAll(e, shop);
    expect(await db.historyImport.findUniqueOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      status: "done",
      bulkOperationId: `gid://shopify/BulkOperation/${op.id}`,
      orders: e.emu.orders.length,
    });
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
    expect(e.logs).toContainEqual(
      expect.objectContaining({ msg: "history import: order skipped", level: "warn", orderGid: expect.any(String), issues: "email: invalid_type" }),
    );
    expect(JSON.stringify(e.logs)).not.toContain("@");
  });
});

describe("the history.import job", () => {
  const job = (shop: Shop, startedAt: Date, attempts: number) =>
    ({ id: "j", kind: HISTORY_IMPORT_JOB_KIND, payload: { shopId: shop.id, startedAt: startedAt.toISOString() }, attempts }) as unknown as Job;
  const run = (e: Emulated, j: Job) =>
    historyJobHandlers(e.graphql, { sleep: async () => {} })[HISTORY_IMPORT_JOB_KIND](j, { db, clock, log: () => {} } as never);

  it("fails the import with a readable reason when Shopify refuses access", async () => {
    const e = emulated(ALL, () => {
      throw Object.assign(new Error('Admin API 200: Access denied for orders field. Required access: `read_orders` access scope.: {"response":{}}'), {
        retryable: false,
      });
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
    expect(await historyImportView(db, shop.id)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("Shopify refused access to the shop's orders"),
    });
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
