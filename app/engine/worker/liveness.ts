// Worker liveness. Each worker process beats every few seconds on the database's real clock; a
// worker that stopped beating (SIGKILL, lost host) still holds its queue jobs' locks, which
// graphile-worker would only release after hours. Any live worker that notices releases them
// (graphile_worker.force_unlock_workers) so its work is picked up at once. Releasing is safe even
// when the "dead" worker was only slow: the ledger (message claims and statuses) keeps a message
// from being sent twice; the queue's lock only saves duplicate effort. The messages it held are
// released with its jobs, and its sends in flight marked unknown (they may or may not have gone).
import type { PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { markAbandonedSends, releaseClaimsOf } from "../messages/claim";

export const BEAT_EVERY_MS = 2_000;
/**
 * Five missed beats. Short, because a dead worker's jobs hold up more than themselves: a lane of
 * webhook applications (a named queue, decision 034) waits until they are released.
 */
export const DEAD_AFTER_MS = 10_000;

export interface WorkerIdentity {
  id: string;
  hostname: string;
  pid: number;
  startedAt: Date;
  /** graphile-worker's pool id, under which this process's jobs are locked (known once the pool started). */
  queueWorkerId: string | null;
}

export async function beat(db: PrismaClient, clock: Clock, worker: WorkerIdentity, stopped = false) {
  const now = clock.now();
  await db.$executeRaw`
    INSERT INTO "WorkerHeartbeat" (id, hostname, pid, "startedAt", "beatAt", "queueWorkerId", "aliveAt", "stoppedAt")
    VALUES (${worker.id}, ${worker.hostname}, ${worker.pid}, ${worker.startedAt}, ${now}, ${worker.queueWorkerId}, now(), ${stopped ? now : null})
    ON CONFLICT (id) DO UPDATE SET "beatAt" = EXCLUDED."beatAt", "aliveAt" = now(), "stoppedAt" = EXCLUDED."stoppedAt",
      "queueWorkerId" = coalesce(EXCLUDED."queueWorkerId", "WorkerHeartbeat"."queueWorkerId"), "recoveredAt" = NULL`;
}

/** Releases the queue jobs of workers that stopped beating (or stopped); returns the workers recovered. */
export async function recoverDeadWorkers(db: PrismaClient, clock: Clock, log: (event: { msg: string } & Record<string, unknown>) => void): Promise<number> {
  const dead = await db.$queryRaw<{ id: string; queueWorkerId: string }[]>`
    SELECT id, "queueWorkerId" FROM "WorkerHeartbeat"
    WHERE "recoveredAt" IS NULL AND "queueWorkerId" IS NOT NULL
      AND ("stoppedAt" IS NOT NULL OR "aliveAt" < now() - make_interval(secs => ${DEAD_AFTER_MS / 1000}::double precision))`;
  if (!dead.length) return 0;
  const ids = dead.map((d) => d.id);
  await db.$executeRaw`SELECT graphile_worker.force_unlock_workers(${dead.map((d) => d.queueWorkerId)}::text[])`;
  // Its messages too: claims released (their jobs run again now), sends in flight marked unknown.
  const released = await releaseClaimsOf(db, ids);
  const unknown = await markAbandonedSends(db, clock, { heldBy: ids });
  await db.workerHeartbeat.updateMany({ where: { id: { in: ids } }, data: { recoveredAt: clock.now() } });
  for (const d of dead) log({ msg: "released the jobs of a stopped worker", workerId: d.id, messagesReleased: released, sendsMarkedUnknown: unknown });
  return dead.length;
}
