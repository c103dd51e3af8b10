// Sandbox services: the Admin API emulator (token exchange, GraphQL, control API, signed webhooks)
// and the mail catcher (SMTP + inbox pages), on one HTTP server and one SMTP server.
import { type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readAppToml } from "./app-toml";
import { registerControlApi } from "./emulator/control-api";
import { Emulator } from "./emulator/emulator";
import { FaultRegistry } from "./emulator/faults";
import { graphqlHandler } from "./emulator/graphql-http";
import { bulkFileHandler } from "./emulator/bulk-http";
import { DEMO_SHOP, seedDemoShop } from "./emulator/seed";
import { EmulatorState } from "./emulator/state";
import { tokenExchangeHandler } from "./emulator/token-exchange";
import { WebhookDispatcher } from "./emulator/webhooks";
import { createApp, createRouter, route } from "./http";
import { type MailCatcher, SmtpMailCatcher } from "./mail/catcher";
import { registerMailRoutes } from "./mail/inbox-page";

export type { Emulator } from "./emulator/emulator";
export type { CapturedMail, MailCatcher } from "./mail/catcher";

export interface SandboxServicesOptions {
  httpPort?: number;
  smtpPort?: number;
  host?: string;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  apiVersion: string;
  appTomlPath: string;
  seedDemoShop?: boolean;
  log?: (line: string) => void;
  /** Delay between webhook delivery retries (default 200 ms). */
  webhookRetryDelayMs?: number;
}

export interface SandboxServices {
  adminApiUrl: string;
  smtpUrl: string;
  demoShop: string;
  emulator: Emulator;
  mail: MailCatcher;
  close(): Promise<void>;
}

export async function startSandboxServices(opts: SandboxServicesOptions): Promise<SandboxServices> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? (() => {});
  const toml = readAppToml(opts.appTomlPath);
  const state = new EmulatorState();
  if (opts.seedDemoShop ?? true) seedDemoShop(state);

  const faults = new FaultRegistry();
  const held = new Set<ServerResponse>();
  const webhooks = new WebhookDispatcher({
    appUrl: opts.appUrl,
    apiSecret: opts.apiSecret,
    apiVersion: opts.apiVersion,
    subscriptions: toml.subscriptions,
    now: () => state.now().toISOString(),
    log,
    retryDelayMs: opts.webhookRetryDelayMs,
  });
  const emulator = new Emulator({
    state,
    webhooks,
    faults,
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    apiVersion: opts.apiVersion,
    scopes: toml.scopes,
  });
  const mail = new SmtpMailCatcher({ log, now: () => state.now() });

  const router = createRouter()
    .post("/admin/oauth/access_token", route(tokenExchangeHandler({ state, apiKey: opts.apiKey, apiSecret: opts.apiSecret, scopes: toml.scopes })))
    .post("/admin/api/:version/graphql.json", route(graphqlHandler({ state, faults, held })))
    .get("/_bulk/:file", route(bulkFileHandler(state)));
  registerControlApi(router, emulator);
  registerMailRoutes(router, mail);

  const server: Server = createServer(createApp(router));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.httpPort ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const httpPort = (server.address() as AddressInfo).port;
  let smtpPort: number;
  try {
    smtpPort = await mail.listen(opts.smtpPort ?? 0, host);
  } catch (err) {
    server.close();
    throw err;
  }
  const urlHost = host.includes(":") ? `[${host}]` : host;
  log(`[sandbox] admin API emulator on http://${urlHost}:${httpPort}, SMTP on ${urlHost}:${smtpPort}`);

  return {
    adminApiUrl: `http://${urlHost}:${httpPort}`,
    smtpUrl: `smtp://${urlHost}:${smtpPort}`,
    demoShop: DEMO_SHOP,
    emulator,
    mail,
    async close() {
      for (const res of held) res.destroy();
      held.clear();
      await mail.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
