// `npm run demo` itself, run twice against one data directory (with an existing build): the
// second run must behave like the first, its embedded PostgreSQL included. Also: the sandbox never signs with an inherited
// SHOPIFY_API_SECRET, and answers only requests addressed to this machine.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/db.server";
import { IdTokenError, verifyIdToken } from "../../sandbox/emulator/id-token";
import type { CapturedMail } from "../../sandbox/services";
import { freePort } from "../support/stack";

const ROOT = path.resolve(import.meta.dirname, "../..");
const REAL_SECRET = "shpss_00000000000000000000000000000000";
const MINUTE = 60_000;

let dataDir: string;
let ports: { app: number; http: number; smtp: number };
let appUrl: string;

interface Demo {
  process: ChildProcess;
  output: () => string;
}

async function startDemo(): Promise<Demo> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A shell's real configuration must not leak into the sandbox.
    SHOPIFY_API_SECRET: REAL_SECRET,
    PORT: String(ports.app),
    SANDBOX_HTTP_PORT: String(ports.http),
    SANDBOX_SMTP_PORT: String(ports.smtp),
  };
  // No DATABASE_URL: the demo starts its own PostgreSQL, as on a fresh clone.
  for (const name of ["SHOPIFY_ADMIN_API_URL", "SMTP_URL", "SHOPIFY_APP_URL", "NODE_ENV", "TRUSTLOOP_SANDBOX", "DATABASE_URL"]) delete env[name];
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--no-build", "--data-dir", dataDir], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes("Ctrl-C stops everything.")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(output).toMatch(/demo shop \S+ installed/);
  return { process: child, output: () => output };
}

async function stopDemo(demo: Demo) {
  if (demo.process.exitCode !== null) return;
  const exited = new Promise((resolve) => demo.process.once("exit", resolve));
  demo.process.kill("SIGINT");
  await exited;
}

async function api<T>(pathname: string, body?: unknown): Promise<T> {
  const response = await fetch(`${appUrl}${pathname}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${pathname} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A GET with a chosen Host header (fetch does not let a caller set Host). */
function getWithHost(pathname: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port: ports.app, path: pathname, headers: { Host: host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
}

/**
 * Places an order at 14:00 in Paris (outside quiet hours), moves the clock past the thank-you
 * flow's delay, and waits for the thank-you to reach the customer.
 */
async function orderWithThankYou(email: string) {
  const { now } = await api<{ now: string }>("/sandbox/api/status");
  const at = new Date(now);
  let target = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), 13);
  if (target < at.getTime() + MINUTE) target += 24 * 60 * MINUTE;
  await api("/sandbox/api/clock", { advanceSeconds: Math.ceil((target - at.getTime()) / 1000) });
  const placed = await api<{ orderId: string; orderName: string }>("/sandbox/api/orders", { email, firstName: "Ada", country: "FR" });
  await api("/sandbox/api/clock", { advanceSeconds: 16 * 60 });
  let thankYou: CapturedMail | undefined;
  await expect
    .poll(
      async () => {
        const mails = await api<CapturedMail[]>("/sandbox/api/mail");
        thankYou = mails.find((m) => m.to.includes(email) && m.subject === `Thank you for your order ${placed.orderName}`);
        return Boolean(thankYou);
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  return placed;
}

/** The demo prints where its database is (the embedded cluster's local, throwaway credentials). */
function databaseOf(demo: Demo): string {
  const url = /database {2}(postgres:\/\/\S+)/.exec(demo.output())?.[1];
  if (!url) throw new Error(`the demo did not print its database:\n${demo.output()}`);
  return url;
}

async function ordersPlacedInTheApp(demo: Demo) {
  const db = createDb(databaseOf(demo));
  try {
    return await db.order.findMany({ where: { imported: false }, select: { shopifyId: true, name: true, email: true } });
  } finally {
    await db.$disconnect();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trustloop-demo-"));
  ports = { app: await freePort(), http: await freePort(), smtp: await freePort() };
  appUrl = `http://localhost:${ports.app}`;
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run demo, twice on the same data directory", () => {
  it("gives an order placed in the second run its own record and its thank-you, like the first run", async () => {
    const first = await startDemo();
    try {
      // The sandbox signs with a secret of its own, not the SHOPIFY_API_SECRET it inherited.
      const { token } = await api<{ token: string }>("/sandbox/api/id-token");
      expect(() => verifyIdToken(token, { apiKey: "trustloop-sandbox-key", apiSecret: REAL_SECRET })).toThrow(IdTokenError);
      // …and only for requests addressed to this machine.
      expect(await getWithHost("/sandbox/api/id-token", `localhost:${ports.app}`)).toBe(200);
      expect(await getWithHost("/sandbox/api/id-token", "demo.attacker.example")).toBe(404);
      expect(await getWithHost("/sandbox", `rebind.attacker.example:${ports.app}`)).toBe(404);

      const placed = await orderWithThankYou("first-run@example.com");
      expect(await ordersPlacedInTheApp(first)).toEqual([
        { shopifyId: `gid://shopify/Order/${placed.orderId}`, name: placed.orderName, email: "first-run@example.com" },
      ]);
    } finally {
      await stopDemo(first);
    }

    const second = await startDemo();
    try {
      const placed = await orderWithThankYou("second-run@example.com");
      // Both worlds started afresh: the app holds this order alone, with its own customer.
      expect(await ordersPlacedInTheApp(second)).toEqual([
        { shopifyId: `gid://shopify/Order/${placed.orderId}`, name: placed.orderName, email: "second-run@example.com" },
      ]);
      expect(second.output()).toContain("starting afresh");
    } finally {
      await stopDemo(second);
    }
  }, 300_000);
});
