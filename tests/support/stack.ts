// A whole Trustloop stack, for the integration and browser tests and for the benchmarks: the real
// web server(s) and worker(s) as child processes, the sandbox's Admin API emulator and SMTP catcher
// in-process, and a PostgreSQL database (by default a fresh copy of the test run's migrated
// template; the benchmarks pass their own). Nothing of our own is mocked. No vitest import here:
// bench/ uses this module too.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import path from "node:path";
import { createDb, type Db } from "../../app/db.server";
import { linkKeys, type LinkKeys } from "../../app/engine/links/tokens";
import { freePort } from "../../sandbox/postgres";
import { startSandboxServices, type CapturedMail, type SandboxServices } from "../../sandbox/services";
import { mintIdToken } from "../../sandbox/emulator/id-token";

export { freePort };

const ROOT = path.resolve(import.meta.dirname, "../..");
export const API_KEY = "test-api-key";
export const API_SECRET = "test-api-secret";
export const API_VERSION = "2026-07";
export const SCOPES =
  "read_all_orders,read_customers,write_customers,read_discounts,write_discounts,read_fulfillments,read_orders,read_products,write_products,read_locales";
/** The stack's link keys (TRUSTLOOP_LINK_KEYS), fresh per test run: LINK_KEY signs, OLDER_LINK_KEY only verifies (a rotated-out key). */
export const LINK_KEY = { kid: "test2", secret: crypto.randomBytes(32).toString("base64url") };
export const OLDER_LINK_KEY = { kid: "test1", secret: crypto.randomBytes(32).toString("base64url") };
/** Signs and verifies links the way the stack's processes do. */
export const testLinkKeys = (): LinkKeys => linkKeys([LINK_KEY, OLDER_LINK_KEY], { legacyApiSecret: API_SECRET });
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A database for the stack; `drop` runs when the stack stops. */
export interface StackDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface StackOptions {
  /** Extra variables for the web servers and the workers (e.g. DKIM keys). */
  env?: Record<string, string>;
  /** The stack's database. Default: a fresh copy of the test run's migrated template (inside vitest only). */
  database?: StackDatabase;
  /** Web servers started with the stack, each on its own port over the same database (default 1). */
  webServers?: number;
  /** Workers started with the stack (default 0; more with `startWorker()`). */
  workers?: number;
  /** Install the demo shop (through the token exchange, as Shopify admin opens the app) before any worker starts. */
  install?: boolean;
}

/** The sandbox's answer to placing an order: the order, and the webhooks delivered for it. */
export interface PlacedOrder {
  orderId: string;
  orderName: string;
  customerId: string;
  email: string;
  webhooks: { id: string; topic: string }[];
}

export interface WebServer {
  url: string;
  port: number;
  process: ChildProcess;
}

export interface Stack {
  /** The first web server's URL: SHOPIFY_APP_URL, where the emulator delivers. */
  appUrl: string;
  webServers: WebServer[];
  workers: ChildProcess[];
  services: SandboxServices;
  db: Db;
  /** The stack's database (a postgres:// URL). */
  databaseUrl: string;
  env: Record<string, string>;
  /** Everything the stack's processes wrote, interleaved. */
  output: () => string;
  /**
   * Another web server, same database and SHOPIFY_APP_URL (as behind a load balancer): on a free
   * port, or on `port` (a process manager bringing back one that exited).
   */
  startWebServer(port?: number): Promise<WebServer>;
  /** Another worker process; call it N times for N workers. */
  startWorker(): Promise<ChildProcess>;
  /** Stops the most recently started worker still running; its exit code (null when killed). */
  stopWorker(signal?: NodeJS.Signals): Promise<number | null>;
  /**
   * Resolves once every running worker has had an idle tick that began after this call: all that
   * was due by then (jobs, the jobs they added) has run. What a test waits on instead of sleeping.
   */
  idle(timeoutMs?: number): Promise<void>;
  install(shop?: string): Promise<Response>;
  adminGet(pathname: string, shop?: string): Promise<Response>;
  /** An admin page's HTML, as adminGet gets it; throws unless it answers 200. */
  adminPage(pathname: string, shop?: string): Promise<string>;
  control<T = unknown>(pathname: string, body?: unknown): Promise<T>;
  /** Places an order through the sandbox (as the console does), in the demo shop unless `shop` is given. */
  place(body?: Record<string, unknown>, shop?: string): Promise<PlacedOrder>;
  /** Fulfils an order of the demo shop through the sandbox. */
  fulfil(orderId: string, body?: Record<string, unknown>): Promise<{ fulfillmentId: string }>;
  /** A carrier's event on a fulfillment ("in_transit", "delivered", "failure", …). */
  shipmentEvent(fulfillmentId: string, status: string): Promise<unknown>;
  /** The emails the SMTP catcher holds for `email`, those whose subject starts with `subjectPrefix` when given. */
  mailsTo(email: string, subjectPrefix?: string): CapturedMail[];
  emulator<T = unknown>(pathname: string, body?: unknown): Promise<T>;
  /** Applies the recorded webhook deliveries of the demo shop (or `shop`) now, as the worker would; how many it settled. */
  applyWebhooks(shop?: string): Promise<number>;
  /** Sandbox time now. */
  now(): Promise<Date>;
  /** Moves sandbox time forward to `target` (never backwards). */
  advanceTo(target: Date): Promise<Date>;
  advance(seconds: number): Promise<Date>;
  stop(): Promise<void>;
}

/** `node --import tsx <script>` from the repository root, its stdout and stderr to `log`. */
export function spawnTs(
  script: string,
  env: Record<string, string | undefined>,
  log: (chunk: string) => void,
  options: { stdin?: boolean; ipc?: boolean } = {},
): ChildProcess {
  const stdio: ("pipe" | "ignore" | "ipc")[] = [options.stdin ? "pipe" : "ignore", "pipe", "pipe", ...(options.ipc ? ["ipc" as const] : [])];
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio });
  child.stdout?.on("data", (d: Buffer) => log(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log(d.toString()));
  return child;
}

/** Its exit code once it has exited (null when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
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

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // Imported only when no database is given: it reads the test run's template through vitest's inject().
  const database = options.database ?? (await (await import("./test-database")).createTestDatabase("stack"));
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
    if (log.length > 8 * 2 ** 20) log = log.slice(-4 * 2 ** 20); // long benchmark runs
    if (process.env.TRUSTLOOP_TEST_LOGS) process.stderr.write(chunk);
  };
  const webServers: WebServer[] = [];
  const workers: ChildProcess[] = [];
  const startWebServer = async (at?: number): Promise<WebServer> => {
    const webPort = at ?? (await freePort());
    const url = `http://127.0.0.1:${webPort}`;
    const child = spawnTs("server.ts", { ...env, PORT: String(webPort) }, append);
    const server = { url, port: webPort, process: child };
    webServers.push(server);
    await waitForHealth(url, child, () => log);
    return server;
  };
  // Each worker's latest idle tick (app/engine/worker/idle.ts), over its IPC channel.
  const idleTicks = new Map<ChildProcess, number>();
  const ticked = new EventEmitter();
  const startWorker = async () => {
    const worker = spawnTs("app/worker.ts", env, append, { ipc: true });
    worker.channel?.unref();
    worker.on("message", (m: { idle?: number }) => {
      if (typeof m?.idle !== "number") return;
      idleTicks.set(worker, Math.max(m.idle, idleTicks.get(worker) ?? -Infinity));
      ticked.emit("tick");
    });
    workers.push(worker);
    return worker;
  };
  const idle = async (timeoutMs = 30_000) => {
    const since = Date.now();
    const running = () => workers.filter((w) => w.exitCode === null && w.signalCode === null);
    if (!running().length) throw new Error("no worker is running: nothing will become idle");
    const settled = () => running().every((w) => (idleTicks.get(w) ?? -Infinity) > since);
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!settled()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the workers were not idle within ${timeoutMs} ms:\n${log.slice(-4000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        ticked.off("tick", check);
      };
      ticked.on("tick", check);
    });
  };
  await startWebServer(port);
  for (let i = 1; i < (options.webServers ?? 1); i++) await startWebServer();
  const db = createDb(env.DATABASE_URL);

  const adminGet = (pathname: string, shop = services.demoShop) => {
    const url = new URL(pathname, appUrl);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", shop);
    url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"));
    url.searchParams.set("id_token", mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET }));
    return fetch(url, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
  };

  if (options.install) {
    const installed = await adminGet("/app");
    if (installed.status !== 200) throw new Error(`installing ${services.demoShop} answered ${installed.status}:\n${log}`);
  }
  for (let i = 0; i < (options.workers ?? 0); i++) await startWorker();

  return {
    appUrl,
    webServers,
    workers,
    services,
    db,
    databaseUrl: database.url,
    env,
    output: () => log,
    startWebServer: (at?: number) => startWebServer(at),
    startWorker,
    idle,
    async stopWorker(signal = "SIGTERM") {
      const worker = workers.pop();
      if (!worker) return null;
      worker.kill(signal);
      return exitOf(worker);
    },
    install: (shop = services.demoShop) => adminGet("/app", shop),
    adminGet,
    async adminPage(pathname: string, shop?: string) {
      const response = await adminGet(pathname, shop);
      if (response.status !== 200) throw new Error(`${pathname} answered ${response.status}`);
      return response.text();
    },
    control: <T>(pathname: string, body?: unknown) => jsonRequest<T>(`${appUrl}${pathname}`, body),
    place: (body = {}, shop?: string) => jsonRequest<PlacedOrder>(`${appUrl}/sandbox/api/orders${shop ? `?shop=${shop}` : ""}`, body),
    fulfil: (orderId: string, body = {}) => jsonRequest<{ fulfillmentId: string }>(`${appUrl}/sandbox/api/orders/${orderId}/fulfill`, body),
    shipmentEvent: (fulfillmentId: string, status: string) => jsonRequest(`${appUrl}/sandbox/api/fulfillments/${fulfillmentId}/events`, { status }),
    mailsTo: (email: string, subjectPrefix = "") => services.mail.messages().filter((m) => m.to.includes(email) && m.subject.startsWith(subjectPrefix)),
    emulator: <T>(pathname: string, body?: unknown) => jsonRequest<T>(`${services.adminApiUrl}/_control${pathname}`, body),
    async applyWebhooks(shop?: string) {
      const { settled } = await jsonRequest<{ settled: number }>(`${appUrl}/sandbox/api/webhooks/apply${shop ? `?shop=${shop}` : ""}`, {});
      return settled;
    },
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
      const children = [...workers.splice(0), ...webServers.splice(0).map((w) => w.process)];
      for (const child of children) child.kill("SIGTERM");
      await Promise.all(children.map(exitOf));
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

/** A form POST (application/x-www-form-urlencoded), as a browser submits one. */
export function postForm(url: string, fields: Record<string, string> | string, init: RequestInit = {}) {
  return fetch(url, {
    ...init,
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: typeof fields === "string" ? fields : new URLSearchParams(fields),
  });
}

/** The Admin API calls the emulator received from the app that created discount code `code` in `shop`. */
export function discountCodeCreateCalls(stack: Stack, shop: string, code: string) {
  return stack.services.emulator
    .adminCalls(shop)
    .filter((c) => c.query.includes("discountCodeBasicCreate") && (c.variables?.input as { code?: string } | undefined)?.code === code);
}

/** A Shopify order GID from its numeric id. */
export const orderGid = (id: string | number) => `gid://shopify/Order/${id}`;

/** Posts a webhook the way Shopify does, signed with `secret` (tests also sign it wrongly). */
export async function postWebhook(
  appUrl: string,
  topic: string,
  body: string | object,
  options: { shop: string; webhookId?: string; secret?: string; triggeredAt?: string; eventId?: string },
) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const hmac = crypto
    .createHmac("sha256", options.secret ?? API_SECRET)
    .update(raw)
    .digest("base64");
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
      "X-Shopify-Event-Id": options.eventId ?? crypto.randomUUID(),
    },
    body: raw,
  });
}

/** The next `weekday` (0 = Sunday) at hh:00 UTC after the stack's sandbox now. */
export async function nextWeekdayUtc(stack: Pick<Stack, "now">, weekday: number, hh: number): Promise<Date> {
  const now = await stack.now();
  const t = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hh));
  while (t.getUTCDay() !== weekday || t <= now) t.setUTCDate(t.getUTCDate() + 1);
  return t;
}
