// Webhook intake throughput: signed orders/create deliveries into the real /webhooks/orders/create
// route (verify, record the delivery and wake the shop's apply job: decision 030) next to a bare
// route in the same server that only runs the library's verification and answers 200. Same server,
// same run, same load. Then one worker applies the recorded backlog (mirror, plan), timed.
//
//   node --import tsx bench/intake.ts        (npm run bench:intake)
//   BENCH_INTAKE_REQUESTS=3000 BENCH_INTAKE_WARMUP=300 BENCH_INTAKE_CONCURRENCY=16,64
//   BENCH_INTAKE_APPLY=0 (skip applying the backlog), BENCH_INTAKE_SERVER_NODE_OPTIONS (the web server's NODE_OPTIONS)
// Each concurrency in the list is measured on both routes; `intake ratio:` is the first one's.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { REST_CUSTOMER_FIXED } from "../sandbox/emulator/rest-order";
import { API_SECRET, API_VERSION, BROWSER_UA, startStack } from "../tests/support/stack";
import { clusterCpuMs, cpuMs, eachConcurrently, fixed, migratedDatabase, onCleanup, percentile, printMachine, ROOT, run } from "./support";

const REQUESTS = Number(process.env.BENCH_INTAKE_REQUESTS ?? 3000);
const WARMUP = Number(process.env.BENCH_INTAKE_WARMUP ?? 300);
const CONCURRENCIES = (process.env.BENCH_INTAKE_CONCURRENCY ?? "16,64").split(",").map(Number);
if (!CONCURRENCIES.every((c) => Number.isInteger(c) && c > 0))
  throw new Error(`BENCH_INTAKE_CONCURRENCY must list positive integers, e.g. 16,64 (got ${process.env.BENCH_INTAKE_CONCURRENCY})`);

// The backlog is applied by a worker after the load unless BENCH_INTAKE_APPLY=0 (a quicker run
// that measures the route only).
const APPLY = process.env.BENCH_INTAKE_APPLY !== "0";
// NODE_OPTIONS of the web server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/intake-prof" to profile it.
const SERVER_NODE_OPTIONS = process.env.BENCH_INTAKE_SERVER_NODE_OPTIONS;

const BENCH_ROUTE = "routes/sandbox.bench.webhook";

async function main() {
  printMachine("webhook intake benchmark");
  console.log(
    `load: ${REQUESTS} signed orders/create per route and concurrency after ${WARMUP} warm-up, concurrency ${CONCURRENCIES.join(" then ")}, HTTP/1.1 keep-alive, client in this process`,
  );

  ensureBuild();

  // The stack the integration tests use (tests/support/stack.ts), over the benchmark's own database.
  const database = await migratedDatabase("intake");
  const stack = await startStack({
    database,
    env: { MAIL_FROM: "Trustloop Bench <hello@trustloop-bench.example>", ...(SERVER_NODE_OPTIONS ? { NODE_OPTIONS: SERVER_NODE_OPTIONS } : {}) },
  });
  onCleanup(() => stack.stop());
  const web = stack.webServers[0];
  const port = web.port;

  const shop = stack.services.demoShop;
  const response = await stack.install(shop);
  await response.arrayBuffer();
  if (response.status >= 400) throw new Error(`install: GET /app answered ${response.status}`);
  const db = stack.db;
  const installed = await waitFor(async () => (await db.shop.findUnique({ where: { domain: shop } }))?.status === "installed", 15_000);
  if (!installed) throw new Error(`the demo shop was not installed:\n${stack.output()}`);
  const flows = await db.flow.count({ where: { enabled: true } });
  console.log(
    `stack: web server pid ${web.process.pid} (NODE_ENV=test, sandbox), shop ${shop} installed with ${flows} enabled flows; database: ${database.server}`,
  );

  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCIES) });
  onCleanup(() => agent.destroy());
  const target = (pathname: string) => ({ port, pathname });

  // Everything is built and signed before the clock starts: the client's work is not measured.
  const sample = orderBody(0, new Date());
  console.log(`payload: orders/create with 2 line items, a customer and addresses, ${Buffer.byteLength(sample)} bytes, HMAC-SHA256 (base64) of the raw body`);

  const app = target("/webhooks/orders/create");
  const bare = target("/sandbox/bench/webhook");

  // Warm-up both routes (JIT, connection pools, the database's caches), then measure each.
  await load(agent, app, deliveries("warm-app", WARMUP, shop), CONCURRENCIES[0]);
  await load(agent, bare, deliveries("warm-bare", WARMUP, shop), CONCURRENCIES[0]);

  // CPU time per request of the web server and of the database cluster: what bounds the rate on a
  // quiet machine, and much less noisy than req/s on a shared one.
  const measured = async (route: typeof app, label: string, concurrency: number): Promise<Measured> => {
    const items = deliveries(label, REQUESTS, shop);
    const [web0, db0] = [cpuMs(web.process.pid!), await clusterCpuMs(db)];
    const result = await load(agent, route, items, concurrency);
    const [web1, db1] = [cpuMs(web.process.pid!), await clusterCpuMs(db)];
    const perRequest = (a: number | null, b: number | null) => (a === null || b === null ? NaN : (b - a) / items.length);
    return { ...result, webCpu: perRequest(web0, web1), dbCpu: perRequest(db0, db1) };
  };
  const results: { concurrency: number; app: Measured; bare: Measured }[] = [];
  for (const concurrency of CONCURRENCIES) {
    const appResult = await measured(app, `app-c${concurrency}`, concurrency);
    const bareResult = await measured(bare, `bare-c${concurrency}`, concurrency);
    results.push({ concurrency, app: appResult, bare: bareResult });
  }

  const recorded = await db.webhookDelivery.count({ where: { webhookId: { startsWith: "bench-app-" } } });
  const bareRecorded = await db.webhookDelivery.count({ where: { webhookId: { startsWith: "bench-bare-" } } });
  const total = REQUESTS * CONCURRENCIES.length;

  // The route only records (decision 030): the backlog is then applied by one worker, timed.
  const waiting = await db.webhookDelivery.count({ where: { status: "received" } });
  const applyStart = performance.now();
  if (APPLY) await stack.startWorker();
  const drained = APPLY && (await waitFor(async () => (await db.webhookDelivery.count({ where: { status: "received" } })) === 0, 15 * 60_000));
  const applySeconds = (performance.now() - applyStart) / 1000;
  const applied = await db.webhookDelivery.count({ where: { status: "applied", webhookId: { startsWith: "bench-app-" } } });
  const rejected = await db.webhookDelivery.count({ where: { status: "rejected" } });
  const orders = await db.order.count({ where: { placeholder: false } });
  const messages = await db.message.count();
  console.log("");
  console.log(`route                          conc. requests   req/s    p50 ms   p99 ms   max ms  web CPU ms/req  db CPU ms/req   errors`);
  for (const { concurrency, app: appResult, bare: bareResult } of results) {
    for (const [name, r] of [
      ["POST /webhooks/orders/create", appResult],
      ["POST /sandbox/bench/webhook", bareResult],
    ] as const) {
      console.log(
        `${name.padEnd(30)} ${String(concurrency).padStart(5)} ${String(r.count).padStart(8)} ${fixed(r.rps).padStart(7)} ${fixed(r.p50, 2).padStart(9)} ${fixed(r.p99, 2).padStart(8)} ${fixed(r.max, 1).padStart(8)} ${fixed(r.webCpu, 2).padStart(15)} ${fixed(r.dbCpu, 2).padStart(14)} ${String(r.errors).padStart(8)}${r.errorSample ? `  (${r.errorSample})` : ""}`,
      );
    }
  }
  console.log("");
  console.log(
    `app recorded ${recorded} deliveries of ${total} measured (${recorded === total ? "all" : "MISSING SOME"}); bare route recorded ${bareRecorded} (expected 0)`,
  );
  if (!APPLY) console.log(`applying the backlog: skipped (BENCH_INTAKE_APPLY=0), ${waiting} deliveries waiting`);
  else
    console.log(
      `applying the backlog: ${waiting} deliveries waiting, one worker (started after the load) ${drained ? "applied them" : "DID NOT FINISH"} in ${fixed(applySeconds)} s (${fixed(waiting / applySeconds)} deliveries/s incl. its start); ${applied} of ${total} measured applied, ${rejected} rejected in the whole run; ${orders} orders mirrored and ${messages} messages planned (incl. ${WARMUP} warm-up)`,
    );
  const [first, ...others] = results;
  console.log(`intake ratio: ${(first.app.rps / first.bare.rps).toFixed(2)}`);
  for (const r of others) console.log(`intake ratio at concurrency ${r.concurrency}: ${(r.app.rps / r.bare.rps).toFixed(2)}`);
  // Where the web server bounds both routes, the ratio a quiet machine gives is about this one.
  for (const r of results)
    console.log(
      `web server CPU per request at concurrency ${r.concurrency}, bare / app: ${(r.bare.webCpu / r.app.webCpu).toFixed(2)} (${fixed(r.bare.webCpu, 2)} / ${fixed(r.app.webCpu, 2)} ms)`,
    );
}

function ensureBuild() {
  const serverBuild = path.join(ROOT, "build/server/index.js");
  const hasRoute = fs.existsSync(serverBuild) && fs.readFileSync(serverBuild, "utf8").includes(`"${BENCH_ROUTE}"`);
  if (hasRoute) return;
  console.log(
    fs.existsSync(serverBuild)
      ? "build: the build predates app/routes/sandbox.bench.webhook.ts; running remix vite:build"
      : "build: none found; running remix vite:build",
  );
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`remix vite:build failed:\n${result.stdout}\n${result.stderr}`);
  console.log(`build: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Payloads

interface Delivery {
  body: Buffer;
  headers: Record<string, string>;
}

function deliveries(label: string, count: number, shop: string): Delivery[] {
  const now = new Date();
  const out: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const raw = orderBody(seq++, now);
    const body = Buffer.from(raw);
    out.push({
      body,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": String(body.length),
        "User-Agent": "Shopify-Captain-Hook",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Hmac-Sha256": crypto.createHmac("sha256", API_SECRET).update(body).digest("base64"),
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": API_VERSION,
        "X-Shopify-Webhook-Id": `bench-${label}-${i}-${crypto.randomUUID()}`,
        "X-Shopify-Triggered-At": now.toISOString(),
        "X-Shopify-Event-Id": crypto.randomUUID(),
      },
    });
  }
  return out;
}

let seq = 1;
const FIRST_NAMES = ["Ava", "Noah", "Mia", "Liam", "Emma", "Lucas", "Zoe", "Elias"];
const CITIES = [
  { city: "Portland", province: "Oregon", province_code: "OR", zip: "97205" },
  { city: "Austin", province: "Texas", province_code: "TX", zip: "73301" },
  { city: "Boston", province: "Massachusetts", province_code: "MA", zip: "02108" },
  { city: "Denver", province: "Colorado", province_code: "CO", zip: "80202" },
];

/** A Shopify-shaped orders/create payload (REST order resource) with distinct ids. */
function orderBody(n: number, now: Date): string {
  const id = 5_800_000_000_000 + n;
  const customerId = 7_100_000_000_000 + n;
  const first = FIRST_NAMES[n % FIRST_NAMES.length];
  const last = `Bench${n}`;
  const email = `${first.toLowerCase()}.${last.toLowerCase()}@example.com`;
  const place = CITIES[n % CITIES.length];
  const ts = now.toISOString().replace(/\.\d{3}Z$/, "-00:00");
  const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
  const address = {
    first_name: first,
    address1: `${100 + (n % 900)} Main Street`,
    phone: "555-625-1199",
    city: place.city,
    zip: place.zip,
    province: place.province,
    country: "United States",
    last_name: last,
    address2: null,
    company: null,
    latitude: null,
    longitude: null,
    name: `${first} ${last}`,
    country_code: "US",
    province_code: place.province_code,
  };
  const lineItem = (k: number, title: string, price: string, quantity: number) => ({
    id: 13_000_000_000_000 + n * 10 + k,
    admin_graphql_api_id: `gid://shopify/LineItem/${13_000_000_000_000 + n * 10 + k}`,
    attributed_staffs: [],
    current_quantity: quantity,
    fulfillable_quantity: quantity,
    fulfillment_service: "manual",
    fulfillment_status: null,
    gift_card: false,
    grams: 450,
    name: title,
    price,
    price_set: money(price),
    product_exists: true,
    product_id: 8_000_000_000 + k,
    properties: [],
    quantity,
    requires_shipping: true,
    sku: `BENCH-${k}`,
    taxable: true,
    title,
    total_discount: "0.00",
    total_discount_set: money("0.00"),
    variant_id: 45_000_000_000 + k,
    variant_inventory_management: "shopify",
    variant_title: k === 1 ? "Medium" : "Default Title",
    vendor: "Trustloop Demo",
    tax_lines: [{ channel_liable: false, price: "0.00", price_set: money("0.00"), rate: 0.0, title: "State tax" }],
    duties: [],
    discount_allocations: [],
  });
  return JSON.stringify({
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    app_id: 580111,
    browser_ip: "203.0.113.7",
    buyer_accepts_marketing: n % 2 === 0,
    cancel_reason: null,
    cancelled_at: null,
    cart_token: null,
    checkout_id: 36_000_000_000 + n,
    checkout_token: crypto.randomBytes(16).toString("hex"),
    client_details: {
      accept_language: "en-US",
      browser_height: null,
      browser_ip: "203.0.113.7",
      browser_width: null,
      session_hash: null,
      user_agent: BROWSER_UA,
    },
    closed_at: null,
    confirmation_number: `B${n.toString(36).toUpperCase().padStart(8, "0")}`,
    confirmed: true,
    contact_email: email,
    created_at: ts,
    currency: "USD",
    current_subtotal_price: "87.00",
    current_subtotal_price_set: money("87.00"),
    current_total_discounts: "0.00",
    current_total_price: "95.00",
    current_total_price_set: money("95.00"),
    current_total_tax: "0.00",
    customer_locale: "en-US",
    discount_codes: [],
    email,
    estimated_taxes: false,
    financial_status: "paid",
    fulfillment_status: null,
    landing_site: "/",
    name: `#B${n}`,
    note: null,
    note_attributes: [],
    number: n,
    order_number: 1000 + n,
    order_status_url: `https://trustloop-demo.myshopify.com/1/orders/${crypto.randomBytes(16).toString("hex")}/authenticate`,
    payment_gateway_names: ["shopify_payments"],
    phone: null,
    presentment_currency: "USD",
    processed_at: ts,
    referring_site: "",
    source_name: "web",
    subtotal_price: "87.00",
    subtotal_price_set: money("87.00"),
    tags: "",
    tax_lines: [],
    taxes_included: false,
    test: false,
    token: crypto.randomBytes(16).toString("hex"),
    total_discounts: "0.00",
    total_discounts_set: money("0.00"),
    total_line_items_price: "87.00",
    total_line_items_price_set: money("87.00"),
    total_price: "95.00",
    total_price_set: money("95.00"),
    total_shipping_price_set: money("8.00"),
    total_tax: "0.00",
    total_tax_set: money("0.00"),
    total_weight: 900,
    updated_at: ts,
    billing_address: address,
    customer: {
      id: customerId,
      email,
      created_at: ts,
      updated_at: ts,
      first_name: first,
      last_name: last,
      ...REST_CUSTOMER_FIXED,
      email_marketing_consent: { state: n % 2 === 0 ? "subscribed" : "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: ts },
      sms_marketing_consent: null,
      tags: "",
      currency: "USD",
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
      default_address: { id: 9_000_000_000 + n, customer_id: customerId, ...address, default: true },
    },
    discount_applications: [],
    fulfillments: [],
    line_items: [lineItem(1, "Merino Wool Sweater", "62.00", 1), lineItem(2, "Organic Cotton Socks", "12.50", 2)],
    payment_terms: null,
    refunds: [],
    shipping_address: address,
    shipping_lines: [
      {
        id: 4_400_000_000 + n,
        carrier_identifier: null,
        code: "Standard",
        discounted_price: "8.00",
        price: "8.00",
        price_set: money("8.00"),
        source: "shopify",
        title: "Standard Shipping",
        tax_lines: [],
        discount_allocations: [],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Load: `concurrency` loops over keep-alive connections, each sending the next delivery.

interface Measured extends LoadResult {
  /** CPU ms per request of the web server process, and of the database cluster's processes. */
  webCpu: number;
  dbCpu: number;
}

interface LoadResult {
  count: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  errorSample: string | null;
}

async function load(agent: http.Agent, target: { port: number; pathname: string }, items: Delivery[], concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let errorSample: string | null = null;
  const started = performance.now();
  await eachConcurrently(items, concurrency, async (item) => {
    const t0 = performance.now();
    try {
      const status = await post(agent, target, item);
      if (status !== 200) {
        errors++;
        errorSample ??= `HTTP ${status}`;
      }
    } catch (error) {
      errors++;
      errorSample ??= (error as Error).message;
    }
    latencies.push(performance.now() - t0);
  });
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    count: items.length,
    rps: (items.length / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors,
    errorSample,
  };
}

function post(agent: http.Agent, target: { port: number; pathname: string }, item: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: target.port, path: target.pathname, method: "POST", agent, headers: item.headers }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timeout after 30 s")));
    req.on("error", reject);
    req.end(item.body);
  });
}

await run(main);
