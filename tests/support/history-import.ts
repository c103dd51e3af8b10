// The history import's test set-up: a real PostgreSQL database, with the sandbox emulator's
// resolvers standing in for the Admin API (same schema, search syntax, bulk operations and their
// JSONL files, the 60-day rule). Shared by the import's unit test files.
import { Readable } from "node:stream";
import { afterAll, beforeAll, expect } from "vitest";
import type { Shop } from "@prisma/client";
import { execute, parse, type OperationDefinitionNode } from "graphql";
import type { Db } from "../../app/db.server";
import { createTempDb, type TempDb } from "./temp-db";
import { adminSchema } from "../../sandbox/emulator/schema";
import { bulkDeps, rootResolvers } from "../../sandbox/emulator/resolvers";
import { bulkDownload, bulkFile } from "../../sandbox/emulator/bulk";
import { seedDemoShop } from "../../sandbox/emulator/seed";
import { EmulatorState, type ShopState } from "../../sandbox/emulator/state";
import { OffsetClock } from "../../app/engine/clock";
import type { ShopGraphqlRaw } from "../../app/engine/reconcile/orders";
import { runHistoryImport, startHistoryImport } from "../../app/engine/history/import";
import { HISTORY_IMPORT_JOB_KIND } from "../../app/engine/history/import-queue";
import { historyJobHandlers } from "../../app/engine/history/job";

/** The test file's database (set before its tests run). */
export let db: Db;
export const clock = new OffsetClock(0);
export const ALL = "read_orders,read_all_orders";
export const RECENT_ONLY = "read_orders";
let shopCount = 0;

/** A database of the test file's own for its tests. */
export function useHistoryDb(name: string) {
  let temp: TempDb;
  beforeAll(async () => {
    temp = await createTempDb(name);
    db = temp.db;
  }, 60_000);
  afterAll(() => temp.close());
}

export interface Emulated {
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
export function emulated(
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
    const found = bulkDownload(
      state,
      u.pathname
        .split("/")
        .pop()!
        .replace(/\.jsonl$/, ""),
      u.searchParams.get("signature"),
    );
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

export async function installed(scopes: string): Promise<Shop> {
  const domain = `history-${++shopCount}.myshopify.com`;
  const shop = await db.shop.create({ data: { domain, name: "Demo", timezone: "UTC", currency: "USD", installedAt: clock.now(), scopes } });
  await db.$transaction((tx) => startHistoryImport(tx, clock, shop));
  return shop;
}

export const deps = (e: Emulated, budgetMs = 60_000, chunkSize = 10) => ({
  db,
  clock,
  graphql: e.graphql,
  download: e.download,
  log: (event: Record<string, unknown>) => void e.logs.push(event),
  sleep: async () => {},
  budgetMs,
  chunkSize,
});

/** Runs the import's jobs the way the worker would, until none is left. */
export async function runJobs(shop: Shop, e: Emulated, budgetMs?: number) {
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

export const gidOf = (id: number) => `gid://shopify/Order/${id}`;
export const mirrored = (shop: Shop) => db.order.findMany({ where: { shopId: shop.id }, include: { refunds: true } });

/** Runs the import step after step (start the export, check on it, apply the file) until it stops running. */
export async function importAll(e: Emulated, shop: Shop, budgetMs?: number) {
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
export async function exportReady(e: Emulated, shop: Shop) {
  await runHistoryImport(deps(e), shop);
  await expect.poll(() => e.state.bulkOperations.at(-1)?.status).toBe("COMPLETED");
}
