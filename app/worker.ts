// The background process: `npm run worker`. Shares the database with the web server.
import os from "node:os";
import { randomUUID } from "node:crypto";
import { loadEnvOrExit } from "./env.server";
import { createDb } from "./db.server";
import { currentClock } from "./clock.server";
import { log } from "./log.server";
import { runWorker } from "./engine/worker/loop";
import { JOB_HANDLERS } from "./engine/worker/job-kinds";

const config = loadEnvOrExit("worker");
const db = createDb(config.DATABASE_URL);
const clock = await currentClock(db, config.TRUSTLOOP_SANDBOX);
const controller = new AbortController();

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    log({ msg: "worker stopping", signal });
    controller.abort();
  });
}

await runWorker(
  {
    db,
    clock,
    handlers: JOB_HANDLERS,
    log,
    workerId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    hostname: os.hostname(),
    pid: process.pid,
    beforeTick: config.TRUSTLOOP_SANDBOX ? async () => void (await currentClock(db, true)) : undefined,
    pollMs: Number(process.env.TRUSTLOOP_WORKER_POLL_MS ?? 1000),
  },
  controller.signal,
);
await db.$disconnect();
process.exit(0);
