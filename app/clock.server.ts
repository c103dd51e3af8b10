// The process clock. In sandbox mode it carries an offset stored in the database, so the
// console's "move the clock forward" is shared by the web server and the worker.
import type { PrismaClient } from "@prisma/client";
import { OffsetClock, type Clock } from "./engine/clock";

export const SANDBOX_CLOCK_KEY = "sandbox.clockOffsetMs";

const clock = new OffsetClock(0);

export async function readClockOffset(db: PrismaClient): Promise<number> {
  const row = await db.appState.findUnique({ where: { key: SANDBOX_CLOCK_KEY } });
  return row ? Number(row.value) : 0;
}

export async function writeClockOffset(db: PrismaClient, offsetMs: number) {
  await db.appState.upsert({
    where: { key: SANDBOX_CLOCK_KEY },
    create: { key: SANDBOX_CLOCK_KEY, value: String(offsetMs) },
    update: { value: String(offsetMs) },
  });
  clock.setOffset(offsetMs);
}

/** The clock, refreshed from the database when the sandbox may have moved it. */
export async function currentClock(db: PrismaClient, sandbox: boolean): Promise<Clock> {
  if (sandbox) clock.setOffset(await readClockOffset(db));
  return clock;
}

export { clock };
