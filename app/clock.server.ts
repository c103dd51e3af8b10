// The process clock. In sandbox mode it carries an offset stored in the database, so the
// console's "move the clock forward" is shared by the web server and the worker.
import type { PrismaClient } from "@prisma/client";
import { OffsetClock, SANDBOX_CLOCK_KEY, type Clock } from "./engine/clock";
import { addQueueJob, shiftQueuedJobs } from "./engine/queue/queue";
import { CLOCK_JUMP_SWEEPS } from "./engine/worker/tasks";

const clock = new OffsetClock(0);

export async function readClockOffset(db: PrismaClient): Promise<number> {
  const row = await db.appState.findUnique({ where: { key: SANDBOX_CLOCK_KEY } });
  return row ? Number(row.value) : 0;
}

/**
 * Moves the sandbox clock. The queue runs on real time, so its waiting jobs are brought nearer by
 * the same amount and the sweeps run at once, as if the time had passed (decision 027).
 */
export async function writeClockOffset(db: PrismaClient, offsetMs: number) {
  await db.$transaction(async (tx) => {
    const before = await tx.appState.findUnique({ where: { key: SANDBOX_CLOCK_KEY } });
    await tx.appState.upsert({
      where: { key: SANDBOX_CLOCK_KEY },
      create: { key: SANDBOX_CLOCK_KEY, value: String(offsetMs) },
      update: { value: String(offsetMs) },
    });
    const deltaMs = offsetMs - (before ? Number(before.value) : 0);
    if (deltaMs <= 0) return;
    await shiftQueuedJobs(tx, deltaMs);
    for (const task of CLOCK_JUMP_SWEEPS) await addQueueJob(tx, { task, key: task });
  });
  clock.setOffset(offsetMs);
}

/** The clock, refreshed from the database when the sandbox may have moved it. */
export async function currentClock(db: PrismaClient, sandbox: boolean): Promise<Clock> {
  if (sandbox) clock.setOffset(await readClockOffset(db));
  return clock;
}

export { clock };
