// A small durable job queue in the app's own database. Jobs have identity-derived keys, so
// scheduling the same work twice is a no-op. Claims are leases: a worker that dies mid-job
// loses nothing, the job returns to the queue when the lease expires.
import type { Prisma, PrismaClient, Job } from "@prisma/client";
import type { Clock } from "../clock";

type Tx = Prisma.TransactionClient | PrismaClient;

export interface NewJob {
  kind: string;
  key: string;
  shopId?: string | null;
  payload?: unknown;
  runAt: Date;
}

/** Schedules a job; returns false when a job with that kind+key already exists. */
export async function enqueueJob(tx: Tx, job: NewJob): Promise<boolean> {
  const existing = await tx.job.findUnique({ where: { kind_key: { kind: job.kind, key: job.key } } });
  if (existing) return false;
  await tx.job.create({
    data: {
      kind: job.kind,
      key: job.key,
      shopId: job.shopId ?? null,
      payload: (job.payload ?? {}) as Prisma.InputJsonValue,
      runAt: job.runAt,
    },
  });
  return true;
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
}

/**
 * Claims up to `limit` due jobs. Each claim is a conditional update of one row (pending, or
 * running with an expired lease), so two workers can never both win the same job.
 */
export async function claimDueJobs(db: PrismaClient, clock: Clock, options: ClaimOptions): Promise<Job[]> {
  const now = clock.now();
  const dueOrAbandoned = {
    OR: [
      { status: "pending", runAt: { lte: now } },
      { status: "running", lockedUntil: { lt: now } },
    ],
  } satisfies Prisma.JobWhereInput;
  const claimed: Job[] = [];
  const lost: string[] = [];
  // Another worker may win some candidates; look again (past those) until the batch is full.
  while (claimed.length < options.limit) {
    const candidates = await db.job.findMany({
      where: { ...dueOrAbandoned, id: { notIn: lost } },
      orderBy: { runAt: "asc" },
      take: options.limit - claimed.length,
      select: { id: true },
    });
    if (candidates.length === 0) break;
    for (const { id } of candidates) {
      const lockedUntil = new Date(now.getTime() + options.leaseMs);
      const { count } = await db.job.updateMany({
        where: { id, ...dueOrAbandoned },
        data: { status: "running", lockedBy: options.workerId, lockedUntil, attempts: { increment: 1 } },
      });
      if (count === 1) claimed.push(await db.job.findUniqueOrThrow({ where: { id } }));
      else lost.push(id);
    }
  }
  return claimed;
}

export async function completeJob(db: PrismaClient, clock: Clock, job: Job) {
  await db.job.updateMany({
    where: { id: job.id, lockedBy: job.lockedBy, status: "running" },
    data: { status: "done", finishedAt: clock.now(), lockedUntil: null },
  });
}

const MAX_ATTEMPTS = 8;

/** Retries with exponential backoff (30 s, 1 min, 2 min … capped at 1 h), then gives up visibly. */
export async function failJob(db: PrismaClient, clock: Clock, job: Job, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  const giveUp = job.attempts >= MAX_ATTEMPTS;
  const backoffMs = Math.min(30_000 * 2 ** (job.attempts - 1), 3_600_000);
  await db.job.updateMany({
    where: { id: job.id, lockedBy: job.lockedBy, status: "running" },
    data: giveUp
      ? { status: "failed", lastError: message.slice(0, 1000), finishedAt: clock.now(), lockedUntil: null }
      : { status: "pending", lastError: message.slice(0, 1000), runAt: new Date(clock.now().getTime() + backoffMs), lockedUntil: null, lockedBy: null },
  });
}

export async function cancelPendingJobs(tx: Tx, where: { shopId: string; kind?: string }, reason: string, clock: Clock) {
  const { count } = await tx.job.updateMany({
    where: { ...where, status: "pending" },
    data: { status: "cancelled", cancelReason: reason, finishedAt: clock.now() },
  });
  return count;
}
