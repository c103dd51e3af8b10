// Test helpers: a stand-in "app" that records webhooks and checks their HMAC, and a sandbox starter.
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    close: () => new Promise((r) => {
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

export async function startTestSandbox(): Promise<{ sandbox: SandboxServices; app: FakeApp; close(): Promise<void> }> {
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
