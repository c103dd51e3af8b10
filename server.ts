// The production web server: `npm start` (after `npm run build`). Validates the configuration
// first, then serves the Remix build, with the public endpoints' rate limits and body caps in front.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { db } from "./app/db.server";
import { migrationFiles, migrationStatus } from "./app/db/migrations.server";
import { loadEnvOrExit } from "./app/env.server";
import { publicGuards, withBody } from "./app/http/public-guards.server";
import { log } from "./app/log.server";

const config = loadEnvOrExit("web");
if (config.TRUSTLOOP_SANDBOX) {
  // Read by @shopify/shopify-app-remix's node adapter for the session-token bounce page.
  process.env.APP_BRIDGE_URL = `${config.SHOPIFY_APP_URL}/sandbox/app-bridge.js`;
}

const buildPath = path.resolve("build/server/index.js");
if (!fs.existsSync(buildPath)) {
  console.error("[web] No build found at build/server/index.js. Run `npm run build` first.");
  process.exit(1);
}
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
// Which proxies' X-Forwarded-For names the client (req.ip, the rate limits' key): decision 018.
app.set("trust proxy", config.TRUSTLOOP_TRUST_PROXY);
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Liveness: the process answers. Readiness: it can serve, i.e. the database answers and has every
// migration this build expects. Both only read; the bodies name the failed check, never a URL or a secret.
app.get("/healthz", (_req, res) => {
  res.type("text/plain").send("ok");
});
const READY_TIMEOUT_MS = 3_000;
let migrations: ReturnType<typeof migrationFiles> | undefined;
app.get("/readyz", async (_req, res) => {
  res.set("Cache-Control", "no-store");
  const unavailable = (body: Record<string, unknown>) => res.status(503).json({ status: "unavailable", ...body });
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS).unref());
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
  } catch {
    return unavailable({ failed: "database", reason: "the database does not answer" });
  }
  try {
    migrations ??= migrationFiles();
    const status = await Promise.race([migrationStatus((sql) => db.$queryRawUnsafe(sql), migrations), timeout]);
    if (status.pending.length > 0) return unavailable({ failed: "migrations", reason: "migrations pending: run npm run db:migrate", pending: status.pending });
  } catch {
    return unavailable({ failed: "migrations", reason: "the migration status could not be read" });
  }
  res.json({ status: "ready" });
});
app.use(
  publicGuards({
    db,
    perMinute: { links: config.TRUSTLOOP_RATE_LIMIT_LINKS, checkout: config.TRUSTLOOP_RATE_LIMIT_CHECKOUT },
    secret: config.SHOPIFY_API_SECRET,
    log,
  }),
);
const remix = createRequestHandler({ build });
// A guarded path's body was read (and capped) by publicGuards: Remix gets it from there.
app.all("*", (req, res, next) => remix(Buffer.isBuffer(res.locals.body) ? withBody(req, res.locals.body) : req, res, next));

// The sandbox listens on loopback only; production on every interface.
const host = config.TRUSTLOOP_SANDBOX ? "127.0.0.1" : "0.0.0.0";
const server = app.listen(config.PORT, host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  log({ msg: "web listening", host, port });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
