// App-side sandbox support: a guard, the demo shop, and a thin client for the emulator's
// control API. Everything here answers 404 unless TRUSTLOOP_SANDBOX=1 (which env.server.ts
// refuses in production and off localhost) and the request names a loopback host.
import { env } from "./env.server";
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
  return new Response(response.body, { status: response.status, headers: { "Content-Type": "application/json" } });
}

export async function forwardGet(request: Request, path: string): Promise<Response> {
  requireSandbox(request);
  const response = await emulatorFetch(path);
  return new Response(response.body, { status: response.status, headers: { "Content-Type": "application/json" } });
}
