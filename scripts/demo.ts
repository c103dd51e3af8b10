// `npm run demo`: the whole product on one machine. Starts the Admin API emulator and the mail
// catcher (unless SHOPIFY_ADMIN_API_URL / SMTP_URL point elsewhere), PostgreSQL (embedded, unless
// DATABASE_URL names a server), migrates the demo database, builds the app, runs the web server
// and the worker, installs the demo shop through the real token-exchange path, and prints where
// to look. Ctrl-C stops everything it started.
//
// Every run starts afresh: the emulator keeps its shops and orders in memory only, so the demo
// database goes with it — the embedded cluster's data directory (<data dir>/postgres; --data-dir
// DIR or TRUSTLOOP_DEMO_DATA_DIR, default data/) is created anew, and on a DATABASE_URL server the
// demo replaces its own `trustloop_demo` database, never the one the URL names. Keeping one without
// the other would hand a new order the id and name of an order the app already holds (decision 020).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { migrate } from "../app/db/migrations.server";
import { clusterFromUrl, startEmbeddedPostgres, type Cluster } from "../sandbox/postgres";
import { startSandboxServices, type SandboxServices } from "../sandbox/services";
import { mintIdToken } from "../sandbox/emulator/id-token";
import { readAppToml } from "../sandbox/app-toml";

const ROOT = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const appUrl = process.env.SHOPIFY_APP_URL ?? `http://localhost:${port}`;
const apiKey = process.env.SHOPIFY_API_KEY ?? "trustloop-sandbox-key";
const tomlPath = path.join(ROOT, "shopify.app.toml");
// Our own emulator and catcher unless both are given (then their state is theirs to keep).
const ownServices = !process.env.SHOPIFY_ADMIN_API_URL || !process.env.SMTP_URL;
// Never the inherited SHOPIFY_API_SECRET: the sandbox mints session tokens for any shop with
// this secret, so it must be one that no real Shopify app has. Our own emulator gets a fresh
// one per run; an emulator of yours must be given its secret as SANDBOX_API_SECRET.
const apiSecret = ownServices ? `sandbox-${randomBytes(32).toString("hex")}` : process.env.SANDBOX_API_SECRET;
const dataDir = path.resolve(ROOT, optionValue("--data-dir") ?? process.env.TRUSTLOOP_DEMO_DATA_DIR ?? "data");
const DEMO_DATABASE = "trustloop_demo";

function optionValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** The demo's link key: generated on first run and kept next to the demo database, so links in demo emails survive restarts. */
function demoLinkKeys(): string {
  const file = path.join(ROOT, "data", "demo-link-keys");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `demo1:${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

const children: ChildProcess[] = [];
let services: SandboxServices | null = null;
let cluster: Cluster | null = null;
let embedded = false;

function say(line: string) {
  console.log(`\x1b[36m[demo]\x1b[0m ${line}`);
}

function run(label: string, args: string[], env: NodeJS.ProcessEnv) {
  say(label);
  execFileSync(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
}

function start(name: string, script: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((line) => `\x1b[90m[${name}]\x1b[0m ${line}`)
      .join("\n");
  child.stdout.on("data", (d: Buffer) => console.log(prefix(d)));
  child.stderr.on("data", (d: Buffer) => console.error(prefix(d)));
  child.on("exit", (code) => {
    if (!stopping) {
      say(`${name} exited with code ${code}; stopping the demo.`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r)))));
  await services?.close();
  if (embedded) await cluster?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

async function waitForHealth() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${appUrl}/healthz`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the web server did not start");
}

/**
 * The demo database, on the embedded cluster or beside DATABASE_URL's: empty when the demo runs
 * its own emulator (whose state starts empty too), kept when the emulator is yours.
 */
async function demoDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) {
    cluster = clusterFromUrl(process.env.DATABASE_URL);
  } else {
    say(`starting PostgreSQL (embedded) in ${path.relative(ROOT, path.join(dataDir, "postgres")) || dataDir}`);
    cluster = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), durable: true, keep: !ownServices });
    embedded = true;
  }
  return ownServices ? cluster.createDatabase(DEMO_DATABASE) : cluster.ensureDatabase(DEMO_DATABASE);
}

async function main() {
  if (!apiSecret) throw new Error("SANDBOX_API_SECRET is required when SHOPIFY_ADMIN_API_URL and SMTP_URL name your own emulator: the secret it signs with");
  if (ownServices) {
    // Started first: a demo already running holds the ports, and its database must survive.
    services = await startSandboxServices({
      httpPort: Number(process.env.SANDBOX_HTTP_PORT ?? 4100),
      smtpPort: Number(process.env.SANDBOX_SMTP_PORT ?? 2525),
      appUrl,
      apiKey,
      apiSecret,
      apiVersion: "2026-07",
      appTomlPath: tomlPath,
    });
    say("starting afresh: emulator, mail catcher and the demo database");
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const databaseUrl = await demoDatabase();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    TRUSTLOOP_SANDBOX: "1",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    TRUSTLOOP_LINK_KEYS: process.env.TRUSTLOOP_LINK_KEYS ?? demoLinkKeys(),
    SHOPIFY_APP_URL: appUrl,
    SCOPES: process.env.SCOPES ?? readAppToml(tomlPath).scopes,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    SHOPIFY_ADMIN_API_URL: process.env.SHOPIFY_ADMIN_API_URL ?? services!.adminApiUrl,
    SMTP_URL: process.env.SMTP_URL ?? services!.smtpUrl,
    MAIL_FROM: process.env.MAIL_FROM ?? "Trustloop Demo Outfitters <hello@trustloop-demo.example>",
    // Log lines for a person reading the terminal (LOG_PRETTY=0 keeps the JSON).
    LOG_PRETTY: process.env.LOG_PRETTY ?? "1",
  };
  say("applying database migrations");
  await migrate(databaseUrl);
  if (!process.argv.includes("--no-build")) run("building the app", ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], env);

  start("web", "server.ts", env);
  start("worker", "app/worker.ts", env);
  await waitForHealth();

  // Install the demo shop the way Shopify admin would: load the app with a session token.
  const shop = services?.demoShop ?? "trustloop-demo.myshopify.com";
  const idToken = mintIdToken({ shop, apiKey, apiSecret });
  const install = await fetch(
    `${appUrl}/app?embedded=1&shop=${shop}&host=${Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url")}&id_token=${idToken}`,
    {
      headers: { "User-Agent": "Mozilla/5.0 (trustloop demo installer)" },
    },
  );
  say(install.ok ? `demo shop ${shop} installed` : `installing the demo shop failed: HTTP ${install.status}`);

  say("ready:");
  say(`  admin (embedded app home)  ${appUrl}/sandbox`);
  say(`  console (orders, carriers, clock, emails)  ${appUrl}/sandbox/console`);
  if (services) {
    say(`  mail inbox  ${services.adminApiUrl}/inbox`);
    say(`  Admin API emulator  ${services.adminApiUrl}   SMTP catcher  ${services.smtpUrl}`);
  }
  // The embedded cluster's credentials are local and throwaway; a server of yours keeps its password.
  say(`  database  ${embedded ? databaseUrl : databaseUrl.replace(/\/\/([^:@/]+):[^@]*@/, "//$1:***@")}`);
  say("Ctrl-C stops everything.");
}

main().catch(async (error) => {
  console.error(error);
  await stop(1);
});
