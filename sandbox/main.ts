// CLI: `tsx sandbox/main.ts` starts the Admin API emulator + mail catcher from the environment.
//   SHOPIFY_APP_URL, SHOPIFY_API_KEY, SHOPIFY_API_SECRET (required)
//   SANDBOX_HTTP_PORT (4100), SANDBOX_SMTP_PORT (2525), SANDBOX_HOST (127.0.0.1)
//   SHOPIFY_API_VERSION (else [webhooks] api_version from the toml, else 2026-07)
//   SHOPIFY_APP_TOML (./shopify.app.toml), SANDBOX_QUIET=1 to silence delivery logs
import { resolve } from "node:path";
import { readAppToml } from "./app-toml";
import { startSandboxServices } from "./services";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`[sandbox] ${name} is required`);
    process.exit(1);
  }
  return value;
}

const appTomlPath = resolve(process.env.SHOPIFY_APP_TOML ?? "shopify.app.toml");
const apiVersion = process.env.SHOPIFY_API_VERSION ?? readAppToml(appTomlPath).webhookApiVersion ?? "2026-07";
const host = process.env.SANDBOX_HOST ?? "127.0.0.1";
if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
  console.error(`[sandbox] refusing to bind to ${host}: the sandbox only listens on localhost`);
  process.exit(1);
}

const services = await startSandboxServices({
  httpPort: Number(process.env.SANDBOX_HTTP_PORT ?? 4100),
  smtpPort: Number(process.env.SANDBOX_SMTP_PORT ?? 2525),
  host,
  appUrl: required("SHOPIFY_APP_URL"),
  apiKey: required("SHOPIFY_API_KEY"),
  apiSecret: required("SHOPIFY_API_SECRET"),
  apiVersion,
  appTomlPath,
  log: process.env.SANDBOX_QUIET === "1" ? undefined : (line) => console.log(line),
});

console.log(`[sandbox] Admin API emulator: ${services.adminApiUrl}`);
console.log(`[sandbox] SMTP:                ${services.smtpUrl}`);
console.log(`[sandbox] Inbox:               ${services.adminApiUrl}/inbox`);
console.log(`[sandbox] Demo shop:           ${services.demoShop}`);

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void services.close().then(() => process.exit(0));
  });
}
