import { describe, expect, it } from "vitest";
import { waitBeforeNextMs } from "../reconcile/orders";
import { HISTORY_BUCKET_RESERVE } from "./import-run";
import { budgetFromEnv, chunkFromEnv } from "./job";
import { createdWithinQuery, grantsAllOrders, importProgress, importWindow } from "./window";

const until = new Date("2026-11-22T10:00:00.123Z");

describe("the import window", () => {
  it("is the last 60 days unless the shop granted read_all_orders", () => {
    expect(importWindow(until, "read_orders,read_customers")).toEqual({ since: new Date("2026-09-23T10:00:00.123Z"), until });
    expect(importWindow(until, null).since).toEqual(new Date("2026-09-23T10:00:00.123Z"));
    expect(importWindow(until, "read_orders, read_all_orders")).toEqual({ since: null, until });
    expect(grantsAllOrders("read_all_ordersx,read_orders")).toBe(false);
  });

  it("asks for orders created inside it, in Shopify search syntax", () => {
    expect(createdWithinQuery(new Date("2026-09-23T10:00:00.123Z"), until)).toBe("created_at:>='2026-09-23T10:00:00Z' created_at:<='2026-11-22T10:00:00Z'");
    expect(createdWithinQuery(null, until)).toBe("created_at:<='2026-11-22T10:00:00Z'");
  });
});

describe("progress", () => {
  const view = { status: "running", since: "2026-09-23T10:00:00.000Z", until: "2026-11-22T10:00:00.000Z", oldestSeen: null as string | null };
  it("is how far back (newest first) the import has reached", () => {
    expect(importProgress(view)).toBe(0);
    expect(importProgress({ ...view, oldestSeen: "2026-10-23T10:00:00.000Z" })).toBe(0.5);
    expect(importProgress({ ...view, oldestSeen: "2026-01-01T00:00:00.000Z" })).toBe(1);
    expect(importProgress({ ...view, status: "done" })).toBe(1);
  });
  it("is unknown for all history while it runs", () => {
    expect(importProgress({ ...view, since: null, oldestSeen: "2026-10-23T10:00:00.000Z" })).toBeNull();
  });
});

describe("the import's settings from the environment", () => {
  // Each: a value it takes, and values that leave the default (undefined).
  for (const { name, takes, read, good, bad } of [
    { name: "TRUSTLOOP_HISTORY_BUDGET_MS", takes: "a positive number", read: budgetFromEnv, good: ["250", 250], bad: [undefined, "", "fast", "-1"] },
    { name: "TRUSTLOOP_HISTORY_CHUNK", takes: "a positive whole number", read: chunkFromEnv, good: ["10", 10], bad: [undefined, "2.5", "0"] },
  ] as const) {
    it(`${name} takes ${takes}, else the default`, () => {
      expect(read(good[0])).toBe(good[1]);
      for (const value of bad) expect(read(value)).toBeUndefined();
    });
  }
});

describe("the cost bucket", () => {
  const cost = (currentlyAvailable: number, maximumAvailable?: number) => ({
    cost: { requestedQueryCost: 802, throttleStatus: { currentlyAvailable, restoreRate: 100, ...(maximumAvailable ? { maximumAvailable } : {}) } },
  });
  it("leaves a reserve to the app's other calls, but never asks for more than the bucket holds", () => {
    expect(waitBeforeNextMs(cost(1102), HISTORY_BUCKET_RESERVE)).toBe(0);
    expect(waitBeforeNextMs(cost(902), HISTORY_BUCKET_RESERVE)).toBe(2000);
    expect(waitBeforeNextMs(cost(902))).toBe(0);
    expect(waitBeforeNextMs(cost(900, 1000), HISTORY_BUCKET_RESERVE)).toBe(1000);
    expect(waitBeforeNextMs(cost(700, 500), HISTORY_BUCKET_RESERVE)).toBe(1020);
  });
});
