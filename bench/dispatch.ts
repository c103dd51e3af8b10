// Dispatch throughput: due Message rows → sendMessage, the send job (claim, re-check, render, SMTP,
// ledger) → a local SMTP server, next to a raw nodemailer loop sending the same emails to the
// same server in the same run.
//
//   node --import tsx bench/dispatch.ts      (npm run bench:dispatch)
//   BENCH_DISPATCH_EMAILS=2000 BENCH_DISPATCH_WARMUP=100
import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import { ManualClock } from "../app/engine/clock";
import { renderEmail, stopRenderThread, warmRenderThread } from "../app/engine/email/render";
import { createMailer, mailOptions, type OutgoingEmail } from "../app/engine/email/transport";
import { linkKeys } from "../app/engine/links/tokens";
import { clickUrl, preferencesUrl, unsubscribeUrl } from "../app/engine/links/urls";
import { sendMessages, type DispatchDeps } from "../app/engine/messages/dispatch";
import { seedMessages, seedShop } from "./seed-messages";
import { countStatements, eachConcurrently, fixed, migratedDatabase, onCleanup, openDb, printMachine, run, startSmtpSink, traced } from "./support";

const EMAILS = Number(process.env.BENCH_DISPATCH_EMAILS ?? 2000);
/** Send jobs handled together, as a worker with TRUSTLOOP_WORKER_CONCURRENCY of this does. */
const BATCH = Number(process.env.BENCH_DISPATCH_BATCH ?? 10);
const PARALLEL = Number(process.env.BENCH_DISPATCH_PARALLEL ?? 1);
const WARMUP = Number(process.env.BENCH_DISPATCH_WARMUP ?? 100);
const APP_URL = "https://trustloop-bench.example";
const FROM = { name: "Trustloop Bench", address: "hello@trustloop-bench.example" };
const SMTP_POOL = { pool: true, maxConnections: 3, maxMessages: 100 } as const; // as createMailer

async function main() {
  printMachine("dispatch benchmark");
  console.log(
    `load: ${EMAILS} due messages (after ${WARMUP} warm-up) of the thank_you preset, 2 line items each, distinct recipients, quiet hours off (00:00–00:00), frequency cap 1/24 h`,
  );

  const statements = countStatements();
  const database = await migratedDatabase("dispatch");
  console.log(`database: ${database.server}`);
  const db = await openDb(database.url);

  const sink = await startSmtpSink();
  const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
  console.log(
    `SMTP: smtp-server in a child process at ${smtpUrl} (no TLS, no auth, TCP_NODELAY ${process.env.BENCH_SMTP_NAGLE === "1" ? "off" : "on"}), accepts everything, discards the data`,
  );

  const clock = new ManualClock(new Date());
  const { shopId, flowId } = await seedShop(db, clock.now());
  let productLookups = 0;
  let renderMs = 0;
  let sendMs = 0;
  const recorded: OutgoingEmail[] = [];
  let recording = false;
  const outcomes = new Map<string, number>();
  const errors: string[] = [];
  const real = createMailer({ smtpUrl });
  onCleanup(() => real.close());
  onCleanup(() => stopRenderThread());
  const secret = linkKeys([{ kid: "bench", secret: "bench-link-secret-0123456789abcdefg" }]);
  const deps: DispatchDeps = {
    db,
    clock,
    workerId: "bench-worker",
    mailer: {
      async send(email) {
        if (recording) recorded.push(email);
        const t = performance.now();
        const outcome = await real.send(email);
        sendMs += performance.now() - t;
        outcomes.set(outcome.status, (outcomes.get(outcome.status) ?? 0) + 1);
        return outcome;
      },
      close: () => real.close(),
    },
    render: async (input) => {
      const t = performance.now();
      try {
        return await renderEmail(input);
      } finally {
        renderMs += performance.now() - t;
      }
    },
    // Products are a nicety (links and images); the Admin API is not part of this benchmark.
    graphql: async () => {
      productLookups++;
      return { product: null };
    },
    links: {
      unsubscribe: (id) => unsubscribeUrl(APP_URL, secret, id),
      preferences: (id) => preferencesUrl(APP_URL, secret, id),
      click: (id, target) => clickUrl(APP_URL, secret, id, target),
    },
    from: FROM,
    messageIdDomain: "trustloop-bench.example",
    log: (event) => {
      if (event.level === "error") errors.push(`${event.msg}: ${String(event.error ?? "")}`);
    },
  };

  // Warm-up: the render thread, the SMTP pool, JIT and the database's caches.
  warmRenderThread();
  await seedMessages(db, clock.now(), shopId, flowId, 0, WARMUP);
  await drain(deps);
  const warmSent = await db.message.count({ where: { status: "sent" } });
  if (warmSent !== WARMUP) throw new Error(`warm-up sent ${warmSent} of ${WARMUP}: ${errors.slice(0, 3).join("; ")}`);
  outcomes.clear();
  productLookups = 0;
  renderMs = 0;
  sendMs = 0;

  await seedMessages(db, clock.now(), shopId, flowId, WARMUP, EMAILS);
  recording = true;
  const counted = statements.statements();
  const t0 = performance.now();
  const passes = await drain(deps);
  const appMs = performance.now() - t0;
  const appStatements = statements.statements() - counted;
  recording = false;
  if (process.env.BENCH_TRACE_SQL) for (const [k, v] of [...traced].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(v, k.replace(/\s+/g, " "));

  const byStatus = await db.message.groupBy({ by: ["status"], _count: { _all: true } });
  const statusLine = byStatus.map((s) => `${s.status} ${s._count._all}`).join(", ");
  const sent = outcomes.get("sent") ?? 0;
  const stillDue = await db.message.count({ where: { status: { in: ["scheduled", "deferred"] }, sendAt: { lte: clock.now() } } });
  const sinkAfterApp = await sink.count();
  const avgBytes = sinkAfterApp.received ? sinkAfterApp.bytes / sinkAfterApp.received : 0;

  // The same emails, as the app built them, through plain nodemailer to the same server.
  const rawSeq = await rawLoop(sink.port, recorded, 1);
  const rawConc = await rawLoop(sink.port, recorded, BATCH * PARALLEL);
  const sinkAtEnd = await sink.count();

  const appRate = (sent / appMs) * 1000;
  console.log("");
  console.log(`path                                        emails    time s   emails/s   ms/email`);
  const row = (name: string, count: number, ms: number) =>
    console.log(
      `${name.padEnd(42)} ${String(count).padStart(7)} ${fixed(ms / 1000, 2).padStart(9)} ${fixed((count / ms) * 1000).padStart(10)} ${fixed(ms / count, 2).padStart(10)}`,
    );
  row(`app: sendMessages, ${PARALLEL} × batches of ${BATCH}`, sent, appMs);
  row("raw nodemailer, sequential (await each)", rawSeq.sent, rawSeq.ms);
  row(`raw nodemailer, concurrency ${BATCH * PARALLEL}`, rawConc.sent, rawConc.ms);
  console.log("");
  console.log(
    `app: ${passes} batches of ≤${BATCH} due messages; outcomes ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(", ")}; ledger now ${statusLine}; ${stillDue} still due; ${errors.length} errors${errors.length ? ` (${errors[0]})` : ""}`,
  );
  console.log(
    `app: renderEmail ${fixed(renderMs / sent, 2)} ms and mailer.send ${fixed(sendMs / sent, 2)} ms per email, summed over the calls (they overlap: batches run side by side and a batch's sends share the pool)`,
  );
  console.log(
    `app: ${appStatements} statements to PostgreSQL, ${fixed(appStatements / sent, 1)} per email (the due-list reads included; BEGIN/COMMIT count as statements)`,
  );
  console.log(
    `app: product lookups stubbed (graphql → { product: null }, ${productLookups} calls, no network); real renderEmail (Liquid in the worker thread + MJML), real createMailer (pool of 3), no DKIM`,
  );
  console.log(
    `SMTP server received ${sinkAfterApp.received} messages from the app (incl. ${WARMUP} warm-up), avg ${Math.round(avgBytes)} bytes each; ${sinkAtEnd.received} in total (expected ${WARMUP + sent + rawSeq.sent + rawConc.sent + 2 * RAW_WARMUP}); raw errors: sequential ${rawSeq.errors}, concurrency ${BATCH * PARALLEL} ${rawConc.errors}`,
  );
  console.log(
    `a worker handles its concurrent send jobs as one batch and sends them side by side over its SMTP pool (${SMTP_POOL.maxConnections} connections): the ratio compares with the raw loop at the same concurrency over the same pool`,
  );
  console.log(`dispatch ratio against the sequential raw loop: ${(appRate / ((rawSeq.sent / rawSeq.ms) * 1000)).toFixed(2)}`);
  console.log(`dispatch ratio: ${(appRate / ((rawConc.sent / rawConc.ms) * 1000)).toFixed(2)}`);
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs the send path over every due message as a worker does: its send jobs handed over in batches
 * of BENCH_DISPATCH_BATCH (a worker's TRUSTLOOP_WORKER_CONCURRENCY, default 10), BENCH_DISPATCH_PARALLEL
 * batches at a time (default 1: two batches side by side measured slower here, 60 against 114
 * emails/s at 2 × 25 and 1 × 25), until nothing is due; returns the number of batches. The queue itself is left out: this measures the send path.
 */
async function drain(deps: DispatchDeps): Promise<number> {
  let batches = 0;
  for (;;) {
    const due = await deps.db.message.findMany({
      where: { status: { in: ["scheduled", "deferred"] }, sendAt: { lte: deps.clock.now() } },
      orderBy: { sendAt: "asc" },
      select: { id: true },
    });
    if (!due.length) return batches;
    const chunks = Array.from({ length: Math.ceil(due.length / BATCH) }, (_, i) => due.slice(i * BATCH, (i + 1) * BATCH).map((m) => m.id));
    batches += chunks.length;
    await eachConcurrently(chunks, PARALLEL, (chunk) => sendMessages(deps, chunk));
  }
}

const RAW_WARMUP = 50;

async function rawLoop(port: number, emails: OutgoingEmail[], concurrency: number) {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ...SMTP_POOL,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  });
  onCleanup(() => transport.close());
  const data = (email: OutgoingEmail) => ({ ...mailOptions(email), headers: email.headers });
  for (const email of emails.slice(0, RAW_WARMUP)) await transport.sendMail(data(email));
  let sent = 0;
  let errors = 0;
  const t0 = performance.now();
  await eachConcurrently(emails, concurrency, async (email) => {
    try {
      await transport.sendMail(data(email));
      sent++;
    } catch {
      errors++;
    }
  });
  const ms = performance.now() - t0;
  transport.close();
  return { sent, errors, ms };
}

await run(main);
