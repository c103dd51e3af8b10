// The production web server: `npm start` (after `npm run build`). Validates the configuration
// first, then serves the Remix build, with the public endpoints' rate limits and body caps in front.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { db } from "./app/db.server";
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
app.get("/healthz", (_req, res) => {
  res.type("text/plain").send("ok");
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
  console.log(JSON.stringify({ at: new Date().toISOString(), msg: "web listening", host, port }));
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
