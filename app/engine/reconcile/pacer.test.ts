// The pacer waits for the Admin API's cost bucket, but not through a worker's shutdown: the wait ends
// when the job's abort signal fires, and the query is not sent.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { MAX_TRIES, Pacer, type ReconcileDeps } from "./orders";

describe("the Admin API pacer", () => {
  it("ends a wait for the cost bucket when the worker shuts down, without sending the query", async () => {
    const sent: string[] = [];
    const shutdown = new AbortController();
    const deps = {
      log: () => {},
      signal: shutdown.signal,
      // The bucket is empty after the first query: the next one would wait 60 s.
      graphql: async (_shop: string, query: string) => (
        sent.push(query),
        { data: {}, extensions: { cost: { requestedQueryCost: 600, throttleStatus: { currentlyAvailable: 0, restoreRate: 10 } } } }
      ),
    } as unknown as ReconcileDeps;
    const pacer = new Pacer(deps, { id: "s1", domain: "s1.myshopify.com" } as Shop, "history import");
    await pacer.query("first", {});
    expect(pacer.pendingWaitMs).toBe(60_000);
    setTimeout(() => shutdown.abort(), 50);
    await expect(pacer.query("second", {})).rejects.toThrow("history import stopped: the worker is shutting down");
    expect(sent).toEqual(["first"]);
  });

  // A fake Admin API that fails with the given errors first, then answers; sleeps are recorded, not taken.
  const flaky = (...failures: unknown[]) => {
    const calls: number[] = [];
    const sleeps: number[] = [];
    const logs: Record<string, unknown>[] = [];
    const deps = {
      log: (event: Record<string, unknown>) => void logs.push(event),
      sleep: async (ms: number) => void sleeps.push(ms),
      graphql: async () => {
        calls.push(calls.length + 1);
        if (calls.length <= failures.length) throw failures[calls.length - 1];
        return { data: { ok: true } };
      },
    } as unknown as ReconcileDeps;
    return { pacer: new Pacer(deps, { id: "s1", domain: "s1.myshopify.com" } as Shop), calls, sleeps, logs };
  };
  const throttled = () => Object.assign(new Error("Admin API 200 THROTTLED"), { retryable: true });

  it("backs off 1 s, 2 s… when THROTTLED and returns the answer that follows", async () => {
    const { pacer, calls, sleeps, logs } = flaky(throttled(), throttled());
    await expect(pacer.query("q", {})).resolves.toEqual({ data: { ok: true } });
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(logs.map((l) => [l.msg, l.attempt, l.waitMs])).toEqual([
      ["reconcile throttled", 1, 1000],
      ["reconcile throttled", 2, 2000],
    ]);
  });

  it("gives up after MAX_TRIES throttled answers, with the last error", async () => {
    const errors = Array.from({ length: MAX_TRIES + 1 }, throttled);
    const { pacer, calls, sleeps } = flaky(...errors);
    await expect(pacer.query("q", {})).rejects.toBe(errors[MAX_TRIES - 1]);
    expect(calls).toHaveLength(MAX_TRIES);
    expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  it("does not retry an error that is not worth retrying", async () => {
    const denied = Object.assign(new Error("ACCESS_DENIED"), { retryable: false });
    const { pacer, calls, sleeps } = flaky(denied);
    await expect(pacer.query("q", {})).rejects.toBe(denied);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("recognises a THROTTLED GraphQL error without the client's flag", async () => {
    const graphqlThrottled = Object.assign(new Error("Throttled"), { response: { errors: [{ extensions: { code: "THROTTLED" } }] } });
    const { pacer, calls } = flaky(graphqlThrottled);
    await pacer.query("q", {});
    expect(calls).toHaveLength(2);
  });
});
