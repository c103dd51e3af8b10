import { describe, expect, it } from "vitest";
import { enqueueJob } from "../../app/engine/queue/jobs";
import { exitOf, spawnTs, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

describe("start-up configuration", () => {
  it.each(["server.ts", "app/worker.ts"])("%s stops with a message naming a missing SHOPIFY_API_SECRET", async (script) => {
    let output = "";
    const child = spawnTs(
      script,
      {
        PATH: process.env.PATH ?? "",
        SHOPIFY_API_KEY: "k",
        SHOPIFY_APP_URL: "http://localhost:3000",
        SCOPES: "read_orders",
        TRUSTLOOP_SANDBOX: "1",
        SHOPIFY_ADMIN_API_URL: "http://127.0.0.1:9",
      },
      (chunk) => (output += chunk),
    );
    expect(await exitOf(child)).toBe(1);
    expect(output).toContain("SHOPIFY_API_SECRET is required");
  });
});

describe("the worker process", () => {
  let stack: Stack;
  useStack({}, async (started) => {
    stack = started;
    expect((await stack.install()).status).toBe(200);
  });

  it("beats, runs due jobs on the shared sandbox clock, and stops gracefully on SIGTERM", async () => {
    await stack.startWorker();
    await expect.poll(() => stack.db.workerHeartbeat.count({ where: { stoppedAt: null } }), { timeout: 15_000 }).toBe(1);

    // A data request compiled one day from now: not before the clock moves, then by the worker.
    const shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: stack.services.demoShop } });
    const request = await stack.db.dataRequest.create({ data: { shopId: shop.id, customerEmail: "nobody@example.com", requestedAt: new Date() } });
    await enqueueJob(stack.db, {
      kind: "privacy.compile_data_request",
      key: request.id,
      shopId: shop.id,
      payload: { dataRequestId: request.id },
      runAt: new Date(Date.now() + 86400_000),
    });
    await stack.idle();
    expect((await stack.db.job.findFirstOrThrow({ where: { key: request.id } })).status).toBe("pending");

    const { now } = await stack.control<{ now: string }>("/sandbox/api/clock", { advanceSeconds: 86400 + 60 });
    expect(Date.parse(now)).toBeGreaterThan(Date.now() + 86400_000);
    await expect.poll(async () => (await stack.db.job.findFirstOrThrow({ where: { key: request.id } })).status, { timeout: 15_000 }).toBe("done");
    expect((await stack.db.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("ready");

    expect(await stack.stopWorker("SIGTERM")).toBe(0);
    const beat = await stack.db.workerHeartbeat.findFirstOrThrow();
    expect(beat.stoppedAt).not.toBeNull();
  });
});
