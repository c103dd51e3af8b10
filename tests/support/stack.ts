// A whole Trustloop stack for one test file: the real web server (and optionally the worker)
// as child processes, the sandbox's Admin API emulator and SMTP catcher in-process, and a
// fresh PostgreSQL database copied from the run's migrated template. Nothing of our own is mocked.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
import path from "node:path";
import { createDb, type Db } from "../../app/db.server";
import { linkKeys, type LinkKeys } from "../../app/engine/links/tokens";
import { startSandboxServices, type SandboxServices } from "../../sandbox/services";
import { mintIdToken } from "../../sandbox/emulator/id-token";
import { createTestDatabase } from "./test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const API_KEY = "test-api-key";
export const API_SECRET = "test-api-secret";
export const API_VERSION = "2026-07";
export const SCOPES = "read_all_orders,read_customers,write_customers,read_discounts,write_discounts,read_fulfillments,read_orders,read_products,write_products";
/** The stack's link keys (TRUSTLOOP_LINK_KEYS), fresh per test run: LINK_KEY signs, OLDER_LINK_KEY only verifies (a rotated-out key). */
export const LINK_KEY = { kid: "test2", secret: crypto.randomBytes(32).toString("base64url") };
export const OLDER_LINK_KEY = { kid: "test1", secret: crypto.randomBytes(32).toString("base64url") };
/** Signs and verifies links the way the stack's processes do. */
export const testLinkKeys = (): LinkKeys => linkKeys([LINK_KEY, OLDER_LINK_KEY], { legacyApiSecret: API_SECRET });
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface Stack {
  appUrl: string;
  services: SandboxServices;
  db: Db;
  /** The stack's database (a postgres:// URL). */
  databaseUrl: string;
  env: Record<string, string>;
  output: () => string;
  startWorker(): Promise<ChildProcess>;
  stopWorker(signal?: NodeJS.Signals): Promise<number | null>;
  install(shop?: string): Promise<Response>;
  adminGet(pathname: string, shop?: string): Promise<Response>;
  control<T = unknown>(pathname: string, body?: unknown): Promise<T>;
  emulator<T = unknown>(pathname: string, body?: unknown): Promise<T>;
  /** Sandbox time now. */
  now(): Promise<Date>;
  /** Moves sandbox time forward to `target` (never backwards). */
  advanceTo(target: Date): Promise<Date>;
  advance(seconds: number): Promise<Date>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function spawnTs(script: string, env: Record<string, string | undefined>, log: (chunk: string) => void): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => log(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log(d.toString()));
  return child;
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

export async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`web server exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`web server did not become healthy:\n${output()}`);
}

/** `env`: extra variables for the web server and the worker (e.g. DKIM keys). */
export async function startStack(options: { env?: Record<string, string> } = {}): Promise<Stack> {
  const database = await createTestDatabase("stack");
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const services = await startSandboxServices({
    appUrl,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    apiVersion: API_VERSION,
    appTomlPath: path.join(ROOT, "shopify.app.toml"),
  });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "test",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    TRUSTLOOP_LINK_KEYS: [LINK_KEY, OLDER_LINK_KEY].map((k) => `${k.kid}:${k.secret}`).join(","),
    SHOPIFY_APP_URL: appUrl,
    SCOPES,
    DATABASE_URL: database.url,
    PORT: String(port),
    TRUSTLOOP_SANDBOX: "1",
    SHOPIFY_ADMIN_API_URL: services.adminApiUrl,
    SMTP_URL: services.smtpUrl,
    MAIL_FROM: "Trustloop Demo <hello@trustloop-demo.example>",
    TRUSTLOOP_WORKER_POLL_MS: "200",
    ...options.env,
  };
  let log = "";
  const append = (chunk: string) => {
    log += chunk;
    if (process.env.TRUSTLOOP_TEST_LOGS) process.stderr.write(chunk);
  };
  const web = spawnTs("server.ts", env, append);
  await waitForHealth(appUrl, web, () => log);
  const db = createDb(env.DATABASE_URL);
  let worker: ChildProcess | null = null;

  const adminGet = (pathname: string, shop = services.demoShop) => {
    const url = new URL(pathname, appUrl);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", shop);
    url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"));
    url.searchParams.set("id_token", mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET }));
    return fetch(url, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
  };

  return {
    appUrl,
    services,
    db,
    databaseUrl: database.url,
    env,
    output: () => log,
    async startWorker() {
      worker = spawnTs("app/worker.ts", env, append);
      return worker;
    },
    async stopWorker(signal = "SIGTERM") {
      if (!worker) return null;
      worker.kill(signal);
      const code = await exitOf(worker);
      worker = null;
      return code;
    },
    install: (shop = services.demoShop) => adminGet("/app", shop),
    adminGet,
    control: <T>(pathname: string, body?: unknown) => jsonRequest<T>(`${appUrl}${pathname}`, body),
    emulator: <T>(pathname: string, body?: unknown) => jsonRequest<T>(`${services.adminApiUrl}/_control${pathname}`, body),
    async now() {
      const { now } = await jsonRequest<{ now: string }>(`${appUrl}/sandbox/api/status`);
      return new Date(now);
    },
    async advance(seconds: number) {
      const { now } = await jsonRequest<{ now: string }>(`${appUrl}/sandbox/api/clock`, { advanceSeconds: Math.max(0, Math.ceil(seconds)) });
      return new Date(now);
    },
    async advanceTo(target: Date) {
      const { now } = await jsonRequest<{ now: string }>(`${appUrl}/sandbox/api/status`);
      const seconds = (target.getTime() - Date.parse(now)) / 1000;
      if (seconds < 0) throw new Error(`cannot move the clock back to ${target.toISOString()} (now ${now})`);
      const moved = await jsonRequest<{ now: string }>(`${appUrl}/sandbox/api/clock`, { advanceSeconds: Math.ceil(seconds) });
      return new Date(moved.now);
    },
    async stop() {
      worker?.kill("SIGTERM");
      web.kill("SIGTERM");
      await Promise.all([exitOf(web), worker ? exitOf(worker) : null]);
      await db.$disconnect();
      await services.close();
      await database.drop();
    },
  };
}

async function jsonRequest<T>(url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Posts a webhook the way Shopify does, signed with `secret` (tests also sign it wrongly). */
export async function postWebhook(
  appUrl: string,
  topic: string,
  body: string | object,
  options: { shop: string; webhookId?: string; secret?: string; triggeredAt?: string },
) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const hmac = crypto.createHmac("sha256", options.secret ?? API_SECRET).update(raw).digest("base64");
  return fetch(`${appUrl}/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": API_VERSION,
      "X-Shopify-Webhook-Id": options.webhookId ?? crypto.randomUUID(),
      "X-Shopify-Triggered-At": options.triggeredAt ?? new Date().toISOString(),
      "X-Shopify-Event-Id": crypto.randomUUID(),
    },
    body: raw,
  });
}
