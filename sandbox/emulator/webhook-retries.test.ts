import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookDispatcher } from "./webhooks";

// A receiving app that answers with the scripted statuses in turn (200 once the script is used up).
const answers: number[] = [];
let received = 0;
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    received++;
    req.resume().on("end", () => res.writeHead(answers.shift() ?? 200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const dispatcher = (retryDelayMs: number) =>
  new WebhookDispatcher({
    appUrl: url,
    apiSecret: "s",
    apiVersion: "2026-07",
    subscriptions: [{ topics: ["orders/create"], uri: url }],
    now: () => new Date().toISOString(),
    log: () => {},
    retryDelayMs,
  });

describe("webhook delivery retries", () => {
  it("tries again after a failure and stops at the first 2xx, logging each try", async () => {
    answers.splice(0, answers.length, 503, 500);
    received = 0;
    const d = dispatcher(1);
    const result = await d.deliver("a.myshopify.com", "orders/create", { id: 1 });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(received).toBe(3);
    expect(d.deliveries.map((x) => [x.attempt, x.status])).toEqual([
      [1, 503],
      [2, 500],
      [3, 200],
    ]);
  });

  it("gives up after three tries with the last status, waiting the configured delay between them", async () => {
    answers.splice(0, answers.length, 500, 502, 504, 200);
    received = 0;
    const d = dispatcher(30);
    const started = performance.now();
    const result = await d.deliver("a.myshopify.com", "orders/create", { id: 2 });
    expect(result).toMatchObject({ ok: false, status: 504 });
    expect(received).toBe(3);
    expect(d.deliveries.map((x) => x.status)).toEqual([500, 502, 504]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55); // two pauses of 30 ms
  });

  it("counts an unreachable app as a failed try", async () => {
    const d = new WebhookDispatcher({
      appUrl: "http://127.0.0.1:1",
      apiSecret: "s",
      apiVersion: "2026-07",
      subscriptions: [{ topics: ["orders/create"], uri: "/w" }],
      now: () => new Date().toISOString(),
      log: () => {},
      retryDelayMs: 1,
    });
    const result = await d.deliver("a.myshopify.com", "orders/create", {});
    expect(result?.ok).toBe(false);
    expect(typeof result?.status).toBe("string"); // the network error's code, not an HTTP status
    expect(d.deliveries.map((x) => x.attempt)).toEqual([1, 2, 3]);
  });
});
