// App-side sandbox support: a guard, the demo shop, and a thin client for the emulator's
// control API. Everything here answers 404 unless TRUSTLOOP_SANDBOX=1 (which env.server.ts
// refuses in production and off localhost) and the request names a loopback host.
import { currentClock } from "./clock.server";
import { db } from "./db.server";
import { env } from "./env.server";
import { log } from "./log.server";
import { applyWebhooks } from "./engine/webhooks/inbox";
import { isLoopbackHost } from "./sandbox/loopback";

/**
 * Every sandbox route starts here. The Host check keeps the sandbox (which mints session tokens
 * and drives the emulator) to the machine it runs on, even when the port is reachable from
 * elsewhere or a web page resolves its own name to 127.0.0.1 (DNS rebinding).
 */
export function requireSandbox(request: Request) {
  const sandbox = sandboxConfig();
  if (!isLoopbackHost(request.headers.get("host"))) throw new Response("Not found", { status: 404 });
  return sandbox;
}

function sandboxConfig() {
  const config = env();
  if (!config.TRUSTLOOP_SANDBOX || !config.SHOPIFY_ADMIN_API_URL) throw new Response("Not found", { status: 404 });
  return { adminApiUrl: config.SHOPIFY_ADMIN_API_URL, config };
}

async function emulatorFetch(path: string, init?: RequestInit): Promise<Response> {
  const { adminApiUrl } = sandboxConfig();
  try {
    return await fetch(`${adminApiUrl}${path}`, init);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Response.json({ error: `Admin API emulator unreachable at ${adminApiUrl}: ${reason}` }, { status: 502 });
  }
}

/** The shop the console acts on: ?shop=… or the emulator's demo shop. */
export async function sandboxShop(request: Request): Promise<string> {
  requireSandbox(request);
  const fromQuery = new URL(request.url).searchParams.get("shop");
  if (fromQuery) return fromQuery;
  const status = await emulatorFetch("/_control/status");
  if (!status.ok) throw status;
  return ((await status.json()) as { demoShop: string }).demoShop;
}

export async function emulatorJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await emulatorFetch(path, init);
  if (!response.ok) throw new Response(await response.text(), { status: response.status, headers: { "Content-Type": "application/json" } });
  return (await response.json()) as T;
}

/** Forwards a console/test action to the emulator, which updates its state and sends webhooks. */
export async function forwardShopAction(request: Request, path: string): Promise<Response> {
  requireSandbox(request);
  if (request.method !== "POST") return Response.json({ error: "POST only" }, { status: 405 });
  const shop = await sandboxShop(request);
  const body = await request.text();
  const response = await emulatorFetch(`/_control/shops/${encodeURIComponent(shop)}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: body || "{}",
  });
  if (response.ok) await applyWaitingWebhooks(shop);
  return new Response(response.body, { status: response.status, headers: { "Content-Type": "application/json" } });
}

/** How long the sandbox waits for deliveries another process (a worker) is applying. */
const APPLY_WAIT_MS = 30_000;

/**
 * The deliveries a console action caused are applied before it answers, so the console and the
 * tests see the order's new state at once. In production the worker applies them (decision 030);
 * here the web process runs the same engine function, and a worker running beside it takes the
 * others: each delivery is applied once, whoever gets it. Returns how many this call settled.
 */
export async function applyWaitingWebhooks(shopDomain: string): Promise<number> {
  const deadline = Date.now() + APPLY_WAIT_MS;
  let settled = 0;
  for (;;) {
    const clock = await currentClock(db, true);
    const run = await applyWebhooks({ db, clock, log }, shopDomain);
    settled += run.settled;
    // Deliveries another process holds: wait for it, as a later read would otherwise miss them.
    const held = await db.webhookDelivery.count({ where: { shopDomain, status: "received", OR: [{ retryAt: null }, { retryAt: { lte: clock.now() } }] } });
    if (!run.more && held === 0) return settled;
    if (Date.now() > deadline) {
      log({ msg: "sandbox: deliveries still waiting to be applied", level: "warn", shop: shopDomain, waiting: held });
      return settled;
    }
    if (!run.more) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function forwardGet(request: Request, path: string): Promise<Response> {
  requireSandbox(request);
  const response = await emulatorFetch(path);
  return new Response(response.body, { status: response.status, headers: { "Content-Type": "application/json" } });
}
