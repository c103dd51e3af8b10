// The fault suite (tests/support/fault-suite.ts) at full size: 2 000 orders through two web
// servers and two workers on one PostgreSQL, workers killed with SIGKILL every 5–10 s,
// PostgreSQL restarted once, SMTP answering 451 / 550 / dropping after DATA for fixed recipients.
// Prints the figures as Markdown tables; exits non-zero on any duplicate or loss.
//
//   node --import tsx bench/faults.ts            (npm run faults)
//   npm run faults -- --short                    (the short form of the integration test)
//   npm run faults -- --orders 500 --seed 7      (or FAULTS_ORDERS=500 FAULTS_SEED=7)
import path from "node:path";
import { parseArgs } from "node:util";
import { formatReport, fullForm, restartablePostgres, runFaultSuite, shortForm, type FaultSuiteOptions } from "../tests/support/fault-suite";
import { onCleanup, printMachine, run, tempDir } from "./support";

const { values } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    orders: { type: "string" },
    seed: { type: "string" },
  },
});

async function main() {
  const short = values.short;
  const orders = Number(values.orders ?? process.env.FAULTS_ORDERS ?? (short ? 100 : 2000));
  const seed = Number(values.seed ?? process.env.FAULTS_SEED ?? 1);
  if (!Number.isInteger(orders) || orders < 1) throw new Error(`--orders must be a positive integer (got ${values.orders ?? process.env.FAULTS_ORDERS})`);
  printMachine(`fault suite${short ? " (short form)" : ""}`);
  if (process.env.DATABASE_URL) console.log("note: DATABASE_URL is ignored: the suite restarts PostgreSQL, so it runs its own embedded cluster");

  const database = await restartablePostgres({ dataDir: path.join(tempDir("faults"), "pgdata"), name: "trustloop_faults", durable: true });
  onCleanup(() => database.close());

  const options: FaultSuiteOptions = {
    ...(short ? shortForm(database, orders) : fullForm(database, orders)),
    seed,
    onStack: (stop) => onCleanup(stop),
    log: (line) => console.log(line),
  };
  console.log(
    `load: ${orders} orders (seed ${seed}), each webhook delivered ${1 + (options.copiesPerWebhook ?? 3)} times (the emulator's delivery; the same id to the other web server${options.copiesPerWebhook === 2 ? "" : " and to either"}; a new id with the same payload), shuffled; ` +
      `${short ? "one SIGKILL of a worker" : "a worker SIGKILLed every 5–10 s and restarted"}; PostgreSQL restarted once; SMTP: 451 twice, 550, or a drop after DATA for every 20th recipient each; sandbox clock ${options.clockRate ?? 30} s per second`,
  );
  const report = await runFaultSuite(options);
  console.log("");
  console.log(formatReport(report));
  const ok = report.duplicates.length === 0 && report.losses.length === 0 && report.undelivered.length === 0 && !report.deadlinePassed && !report.stalled;
  console.log("");
  console.log(
    `duplicates: ${report.duplicates.length}, losses: ${report.losses.length}, webhook deliveries never accepted: ${report.undelivered.length}${report.deadlinePassed ? ", deadline passed" : ""}${report.stalled ? ", stalled" : ""} — ${ok ? "PASS" : "FAIL"}`,
  );
  if (!ok) process.exitCode = 1;
}

await run(async () => {
  await main();
  if (process.exitCode) throw new Error("the fault suite found duplicates, losses, deliveries never accepted or a stall (see above)");
});
