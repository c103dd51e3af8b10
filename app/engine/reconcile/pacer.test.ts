// The pacer waits for the Admin API's cost bucket, but not through a worker's shutdown: the wait ends
// when the job's abort signal fires, and the query is not sent.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { Pacer, type ReconcileDeps } from "./orders";

describe("the Admin API pacer", () => {
  it("ends a wait for the cost bucket when the worker shuts down, without sending the query", async () => {
    const sent: string[] = [];
    const shutdown = new AbortController();
    const deps = {
      log: () => {},
      signal: shutdown.signal,
      // The bucket is empty after the first query: the next one would wait 60 s.
      graphql: async (_shop: string, query: string) => (sent.push(query), { data: {}, extensions: { cost: { requestedQueryCost: 600, throttleStatus: { currentlyAvailable: 0, restoreRate: 10 } } } }),
    } as unknown as ReconcileDeps;
    const pacer = new Pacer(deps, { id: "s1", domain: "s1.myshopify.com" } as Shop, "history import");
    await pacer.query("first", {});
    expect(pacer.pendingWaitMs).toBe(60_000);
    setTimeout(() => shutdown.abort(), 50);
    await expect(pacer.query("second", {})).rejects.toThrow("history import stopped: the worker is shutting down");
    expect(sent).toEqual(["first"]);
  });
});
