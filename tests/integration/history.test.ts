// The order-history import end to end: installing the demo shop (a year of orders in the emulator)
// queues the import; the real worker exports the window with one Shopify bulk operation, streams its
// file and mirrors every order as imported — feeding the customer figures, never messages. The
// admin shows how many orders of the total are in, and its POST restarts the import; the emulator's
// 60-day rule, a failed or expired export, throttling and a killed worker are survived.
import { describe, expect, it } from "vitest";
import type { HistoryImport } from "@prisma/client";
import { HISTORY_CHUNK } from "../../app/engine/history/import-run";
import { postAdminAction } from "../support/admin-actions";
import { SCOPES, type Stack, orderGid } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
let shopId: string;
const DAY = 86_400_000;
/** Orders per transaction in the killed-worker scenario (TRUSTLOOP_HISTORY_CHUNK): many chunks, many jobs. */
const SMALL_CHUNK = 10;

const row = () => stack.db.historyImport.findUniqueOrThrow({ where: { shopId } });

/** The emulator's orders created inside [since, until]. */
function ordersWithin(since: Date | null, until: Date) {
  return stack.services.emulator.shop(shop).orders.filter((o) => {
    const created = Date.parse(o.createdAt);
    return created <= until.getTime() && (!since || created >= since.getTime());
  });
}

/** Bulk exports the app has started in the demo shop so far. */
const exportsStarted = () => stack.services.emulator.adminCalls(shop).filter((c) => c.operationName === "HistoryBulkRun").length;

/** Waits until the import is no longer running. */
async function settled(timeout = 90_000): Promise<HistoryImport> {
  await expect.poll(async () => (await row()).status, { timeout, interval: 250 }).not.toBe("running");
  return row();
}

async function finished(timeout = 90_000): Promise<HistoryImport> {
  const done = await settled(timeout);
  expect(done).toMatchObject({ status: "done", error: null });
  return done;
}

/** The admin home's text as Shopify admin receives it (server-rendered), tags and React's text separators taken out. */
async function homeText(): Promise<string> {
  const home = await stack.adminGet("/app");
  expect(home.status).toBe(200);
  return (await home.text())
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");
}

/** The merchant's "Import again" button. */
async function importAgain() {
  const before = await row();
  const { status } = await postAdminAction(stack.appUrl, "/app/history", {}, shop);
  expect(status).toBeLessThan(400);
  const after = await row();
  expect(after.startedAt.getTime()).toBeGreaterThan(before.startedAt.getTime());
  return after;
}

async function grant(scopes: string | null) {
  await stack.emulator(`/shops/${shop}/scopes`, { scopes });
  const expected = scopes ?? SCOPES;
  await expect.poll(async () => (await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } })).scopes).toBe(expected);
}

/** Shopify Plus limits: the import's few small calls (count, start, status checks) never wait for the bucket. */
const plusPlan = () => stack.emulator(`/shops/${shop}/throttle`, { maximumAvailable: 20_000, restoreRate: 1000, currentlyAvailable: 20_000 });

useStack({}, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  await plusPlan();
  expect((await stack.install()).status).toBe(200);
  shopId = (await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
});

describe("history import", { timeout: 120_000 }, () => {
  it("on install › the worker exports the shop's history once and imports every order once, as imported: customer figures, no messages, points or attribution", async () => {
    const started = await row();
    expect(started).toMatchObject({ status: "running", since: null, pages: 0, orders: 0, lines: 0, total: null, bulkOperationId: null });
    const expected = ordersWithin(null, started.until);
    expect(expected.length).toBeGreaterThanOrEqual(250);

    await stack.startWorker();
    const done = await finished();
    // One export, counted first; its file applied in chunks, each counted once.
    expect(done).toMatchObject({
      orders: expected.length,
      total: expected.length,
      exported: expected.length,
      pages: Math.ceil(expected.length / HISTORY_CHUNK),
      bulkStatus: "COMPLETED",
      restarts: 0,
    });
    expect(done.lines).toBeGreaterThan(expected.length); // line items and fulfillment/refund lines are lines of their own
    expect(exportsStarted()).toBe(1);
    expect(await homeText()).toContain(`${expected.length} orders imported`);
    expect(done.oldestSeen!.toISOString().replace(/\.\d{3}Z$/, "Z")).toBe(expected[0].createdAt);

    const mirrored = await stack.db.order.findMany({ where: { shopId, shopifyId: { in: expected.map((o) => orderGid(o.id)) } }, include: { refunds: true } });
    expect(mirrored).toHaveLength(expected.length);
    expect(mirrored.every((o) => o.imported && !o.placeholder)).toBe(true);
    const ids = mirrored.map((o) => o.id);
    expect(await stack.db.message.count({ where: { orderId: { in: ids } } })).toBe(0);
    expect(await stack.db.attribution.count({ where: { orderId: { in: ids } } })).toBe(0);
    expect(await stack.db.pointsEntry.count({ where: { orderGid: { in: mirrored.map((o) => o.shopifyId) } } })).toBe(0);
    expect(await stack.db.delayIncident.count({ where: { orderId: { in: ids } } })).toBe(0);

    // Refunds, cancellations and test checkouts came along: revenue is net, and only real orders count.
    const refunded = (list: { amountCents: number }[]) => list.reduce((sum, r) => sum + r.amountCents, 0);
    expect(refunded(mirrored.flatMap((o) => o.refunds))).toBe(refunded(expected.flatMap((o) => o.refunds)));
    expect(mirrored.filter((o) => o.cancelledAt)).toHaveLength(expected.filter((o) => o.cancelledAt).length);
    expect(mirrored.filter((o) => o.test)).toHaveLength(2);
    const buyers = new Set(mirrored.filter((o) => !o.test && !o.cancelledAt).map((o) => o.customerShopifyId!));
    const stats = await stack.db.customerStat.findMany({ where: { shopId } });
    expect(stats.map((s) => s.customerKey).sort()).toEqual([...buyers].sort());
    expect(stats.filter((s) => s.orderCount >= 2).length / stats.length).toBeGreaterThan(0.2);
  });

  it("GET /app/history changes nothing; POST restarts a finished import, and not a running one", async () => {
    const before = await row();
    const jobs = await stack.db.job.count({ where: { shopId, kind: "history.import" } });
    const get = await stack.adminGet("/app/history");
    expect(get.status).toBe(302);
    expect(new URL(get.headers.get("location")!, stack.appUrl).pathname).toBe("/app");
    expect(await row()).toEqual(before);
    expect(await stack.db.job.count({ where: { shopId, kind: "history.import" } })).toBe(jobs);

    const restarted = await importAgain();
    expect(restarted).toMatchObject({ status: "running", pages: 0, orders: 0, lines: 0, restarts: 0, finishedAt: null });
    // Pressing the button again while it runs changes nothing.
    await postAdminAction(stack.appUrl, "/app/history", {}, shop);
    expect((await row()).startedAt).toEqual(restarted.startedAt);
    const done = await finished();
    expect(done.orders).toBe(ordersWithin(null, done.until).length);
  });

  it("without read_all_orders › only the last 60 days; with it › everything", async () => {
    const all = stack.services.emulator.shop(shop).orders.length;
    const withoutAll = SCOPES.split(",")
      .filter((s) => s !== "read_all_orders")
      .join(",");
    await grant(withoutAll);
    const recent = await importAgain();
    expect(recent.until.getTime() - recent.since!.getTime()).toBe(60 * DAY);
    const sixtyDays = await finished();
    expect(sixtyDays.orders).toBe(ordersWithin(recent.since, recent.until).length);
    expect(sixtyDays.orders).toBeLessThan(all);

    // Shopify enforces it too: an app that believes it may read everything still gets 60 days.
    await stack.db.shop.update({ where: { id: shopId }, data: { scopes: SCOPES } });
    const believed = await importAgain();
    expect(believed.since).toBeNull();
    const enforced = await finished();
    const now = await stack.now();
    expect(enforced.orders).toBe(ordersWithin(new Date(now.getTime() - 60 * DAY), enforced.until).length);

    // Granting read_all_orders (app/scopes_update) restarts the import by itself, without the button.
    await stack.db.shop.update({ where: { id: shopId }, data: { scopes: withoutAll } });
    await grant(null);
    await expect.poll(async () => (await row()).startedAt.getTime(), { timeout: 15_000 }).toBeGreaterThan(enforced.startedAt.getTime());
    expect((await row()).since).toBeNull();
    expect((await finished()).orders).toBe(all);
  });

  it("Shopify ends the export FAILED with ACCESS_DENIED › the import fails with its reason, shown in the admin", async () => {
    const exports = exportsStarted();
    await stack.emulator(`/shops/${shop}/bulk/fail`, { errorCode: "ACCESS_DENIED" });
    await importAgain();
    const failed = await settled();
    expect(failed).toMatchObject({ status: "failed", orders: 0, restarts: 0 });
    expect(failed.error).toMatch(/^Shopify refused access to the shop's orders\./);
    expect(exportsStarted()).toBe(exports + 1); // not exported again: access will not mend by itself
    const home = await homeText();
    expect(home).toContain("The import stopped");
    expect(home).toContain("Shopify refused access to the shop's orders.");
  });

  it("Shopify ends the export FAILED for a passing reason › a new export from the start, every order once", async () => {
    const exports = exportsStarted();
    await stack.emulator(`/shops/${shop}/bulk/fail`, { errorCode: "INTERNAL_SERVER_ERROR" });
    await importAgain();
    const done = await finished();
    const expected = ordersWithin(null, done.until).length;
    expect(done).toMatchObject({ orders: expected, total: expected, restarts: 1, bulkStatus: "COMPLETED" });
    expect(exportsStarted()).toBe(exports + 2);
    expect(stack.output()).toMatch(/"msg":"history import: starting the export again","reason":"the export ended FAILED \(INTERNAL_SERVER_ERROR\)"/);
  });

  it("the export's file URL has expired › a new export from the start, every order once", async () => {
    const exports = exportsStarted();
    await importAgain();
    // The export is recorded at once; its first status check comes a few seconds later. Its URL expires in between.
    await expect.poll(async () => (await row()).bulkOperationId, { timeout: 10_000, interval: 50 }).not.toBeNull();
    await stack.emulator(`/shops/${shop}/bulk/expire`, {});
    const done = await finished();
    const expected = ordersWithin(null, done.until).length;
    expect(done).toMatchObject({ orders: expected, total: expected, restarts: 1 });
    expect(exportsStarted()).toBe(exports + 2);
    expect(stack.output()).toMatch(/"msg":"history import: starting the export again","reason":"the export's file could not be read \(HTTP 403\)"/);
  });

  it("waits out THROTTLED answers to its status checks", async () => {
    await stack.emulator("/faults", { operation: "HistoryBulkPoll", mode: "throttled", times: 2 });
    await importAgain();
    await expect.poll(() => stack.output(), { timeout: 30_000 }).toContain('"msg":"history import throttled"');
    const done = await finished();
    expect(done).toMatchObject({ orders: ordersWithin(null, done.until).length, restarts: 0 });
  });

  it("resumes after the worker is killed mid-apply: every order exactly once; meanwhile the admin shows the orders imported of the total", async () => {
    await stack.stopWorker();
    await stack.db.order.deleteMany({ where: { shopId, imported: true } });
    // One small chunk per run, so the import spans many jobs and the kill lands in the middle.
    stack.env.TRUSTLOOP_HISTORY_BUDGET_MS = "1";
    stack.env.TRUSTLOOP_HISTORY_CHUNK = String(SMALL_CHUNK);
    const restarted = await importAgain();
    const expected = ordersWithin(null, restarted.until);
    const chunks = Math.ceil(expected.length / SMALL_CHUNK);

    await stack.startWorker();
    await expect.poll(async () => (await row()).pages, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(5);
    expect(await stack.stopWorker("SIGKILL")).toBeNull();
    const cut = await row();
    expect(cut).toMatchObject({ status: "running", total: expected.length, orders: cut.pages * SMALL_CHUNK });
    expect(cut.pages).toBeLessThan(chunks);
    // Only whole chunks: the one the kill interrupted left nothing behind.
    expect(await stack.db.order.count({ where: { shopId, imported: true } })).toBe(cut.orders);
    expect(await homeText()).toContain(`${cut.orders} orders of ${expected.length} so far`);

    // A job left running is re-run once its lease (60 s of sandbox time) has expired.
    delete stack.env.TRUSTLOOP_HISTORY_BUDGET_MS;
    await stack.advance(120);
    await stack.startWorker();
    const done = await finished();
    delete stack.env.TRUSTLOOP_HISTORY_CHUNK;
    expect(done).toMatchObject({ orders: expected.length, total: expected.length, pages: chunks, startedAt: restarted.startedAt });
    const mirrored = await stack.db.order.findMany({
      where: { shopId, shopifyId: { in: expected.map((o) => orderGid(o.id)) } },
      select: { shopifyId: true, imported: true },
    });
    expect(mirrored.map((o) => o.shopifyId).sort()).toEqual(expected.map((o) => orderGid(o.id)).sort());
    expect(mirrored.every((o) => o.imported)).toBe(true);
    // Every run of this import ended (the one killed was run again; a run that found its chunk applied stopped).
    const runs = () => stack.db.job.findMany({ where: { shopId, kind: "history.import", key: { startsWith: `${shopId}:${restarted.startedAt.getTime()}:` } } });
    expect((await runs()).length).toBeGreaterThan(5);
    await expect.poll(async () => (await runs()).filter((j) => j.status !== "done").map((j) => `${j.key} ${j.status}`), { timeout: 15_000 }).toEqual([]);
  });

  it("imported orders stay silent as time passes: the recent ones still in flight get no delay notice", async () => {
    // The demo's order of 3 days ago is in transit (due tomorrow), the one of yesterday unshipped.
    const inFlight = stack.services.emulator
      .shop(shop)
      .orders.slice(-2)
      .map((o) => orderGid(o.id));
    const imported = await stack.db.order.findMany({ where: { shopId, shopifyId: { in: inFlight } } });
    expect(imported.map((o) => o.imported)).toEqual([true, true]);
    await stack.advance(8 * 86_400);
    await stack.idle(); // the sweeps the clock jump runs, delay detection included
    const ids = imported.map((o) => o.id);
    expect(await stack.db.delayIncident.count({ where: { orderId: { in: ids } } })).toBe(0);
    expect(await stack.db.message.count({ where: { orderId: { in: ids } } })).toBe(0);
  });
});
