// Test helpers: a stand-in "app" that records webhooks and checks their HMAC, a sandbox starter (and
// its vitest hooks), the token exchange an app makes at install, and JSON requests to the sandbox.
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { mintIdToken } from "../emulator/id-token";
import { type SandboxServices, startSandboxServices } from "../services";

export interface ReceivedWebhook {
  topic: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
  hmacValid: boolean;
}

export interface FakeApp {
  url: string;
  received: ReceivedWebhook[];
  /** Status codes to answer with, consumed in order (then 200). */
  respondWith: number[];
  close(): Promise<void>;
}

export async function startFakeApp(secret: string): Promise<FakeApp> {
  const received: ReceivedWebhook[] = [];
  const respondWith: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const expected = createHmac("sha256", secret).update(rawBody, "utf8").digest();
      const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
      received.push({
        topic: String(req.headers["x-shopify-topic"] ?? ""),
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body: JSON.parse(rawBody || "{}") as Record<string, unknown>,
        hmacValid: given.length === expected.length && timingSafeEqual(given, expected),
      });
      res.writeHead(respondWith.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    respondWith,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export const TEST_TOML = `
client_id = "test-key"
name = "Trustloop"
application_url = "http://localhost:3000"

[access_scopes]
# comma separated
scopes = "read_orders,read_customers,read_products,write_discounts,write_metafields"

[webhooks]
api_version = "2026-07"

  [[webhooks.subscriptions]]
  topics = [ "app/uninstalled" ]
  uri = "/webhooks/app/uninstalled"

  [[webhooks.subscriptions]]
  topics = [
    "orders/create", "orders/paid", "orders/updated", "orders/cancelled", "orders/fulfilled",
    "fulfillments/create", "fulfillments/update", "fulfillment_events/create", "refunds/create",
  ]
  uri = "/webhooks/commerce"

  [[webhooks.subscriptions]]
  compliance_topics = [ "customers/data_request", "customers/redact", "shop/redact" ]
  uri = "/webhooks/compliance"
`;

export const API_KEY = "test-key";
export const API_SECRET = "test-secret";

export interface TestSandbox {
  sandbox: SandboxServices;
  app: FakeApp;
  close(): Promise<void>;
}

export async function startTestSandbox(): Promise<TestSandbox> {
  const app = await startFakeApp(API_SECRET);
  const dir = mkdtempSync(join(tmpdir(), "trustloop-sandbox-"));
  const appTomlPath = join(dir, "shopify.app.toml");
  writeFileSync(appTomlPath, TEST_TOML);
  const sandbox = await startSandboxServices({
    appUrl: app.url,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    apiVersion: "2026-07",
    appTomlPath,
    webhookRetryDelayMs: 10,
  });
  return {
    sandbox,
    app,
    close: async () => {
      await sandbox.close();
      await app.close();
    },
  };
}

/** A test file's sandbox: started before its tests (handed to `started`), closed after them. */
export function useTestSandbox(started: (t: TestSandbox) => void | Promise<void>) {
  let t: TestSandbox | undefined;
  beforeAll(async () => {
    t = await startTestSandbox();
    await started(t);
  });
  afterAll(() => t?.close());
}

/** The token exchange's body: the session token of the app's admin page for an offline (or online) access token. */
export function tokenExchangeBody(idToken: string, online = false) {
  return {
    client_id: API_KEY,
    client_secret: API_SECRET,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: idToken,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: `urn:shopify:params:oauth:token-type:${online ? "online" : "offline"}-access-token`,
  };
}

/** The offline access token (and the scopes granted) the sandbox gives the app for `shop`, as at install. */
export async function exchangeToken(sandbox: Pick<SandboxServices, "adminApiUrl">, shop: string) {
  const res = await fetch(`${sandbox.adminApiUrl}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(tokenExchangeBody(mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET }))),
  });
  return (await res.json()) as { access_token: string; scope: string };
}

/**
 * A test file's sandbox with `shop` installed (its offline token exchanged before the tests), and
 * requests as that shop's app: Admin GraphQL (the response's JSON) and the emulator's /_control.
 */
export function useInstalledShop(shop: string) {
  let started: { t: TestSandbox; token: string } | undefined;
  useTestSandbox(async (t) => void (started = { t, token: (await exchangeToken(t.sandbox, shop)).access_token }));
  const get = () => {
    if (!started) throw new Error("the sandbox starts before the tests (beforeAll)");
    return started;
  };
  return {
    get t() {
      return get().t;
    },
    gql: async (query: string, variables?: Record<string, unknown>) => (await adminGraphql(get().t, get().token, query, variables)).json,
    control: (path: string, body?: unknown, method = "POST") => sandboxRequest(get().t, `/_control${path}`, { body, method }),
  };
}

/** A JSON request to the sandbox's Admin API origin (the Admin API, the emulator's /_control): POST unless `method` says. */
export async function sandboxRequest(t: TestSandbox, path: string, options: { body?: unknown; method?: string; token?: string } = {}) {
  const res = await fetch(`${t.sandbox.adminApiUrl}${path}`, {
    method: options.method ?? "POST",
    headers: { "content-type": "application/json", ...(options.token ? { "x-shopify-access-token": options.token } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the response holds
  return { status: res.status, json: (await res.json()) as any };
}

export const ADMIN_GRAPHQL_PATH = "/admin/api/2026-07/graphql.json";

/** An Admin GraphQL request with an access token. */
export const adminGraphql = (t: TestSandbox, token: string, query: string, variables?: Record<string, unknown>) =>
  sandboxRequest(t, ADMIN_GRAPHQL_PATH, { token, body: { query, variables } });
