// The import's jobs in the queue: one job per step of one import, found again by its key.
import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { enqueueJob } from "../queue/jobs";

type Tx = Prisma.TransactionClient | PrismaClient;

export const HISTORY_IMPORT_JOB_KIND = "history.import";

export const historyJobPayload = z.object({ shopId: z.string(), startedAt: z.string() });

export function enqueueRun(tx: Tx, shopId: string, startedAt: Date, step: string, runAt: Date) {
  // One key per import and step: a continuation is never mistaken for an earlier run.
  return enqueueJob(tx, {
    kind: HISTORY_IMPORT_JOB_KIND,
    key: `${shopId}:${startedAt.getTime()}:${step}`,
    shopId,
    payload: { shopId, startedAt: startedAt.toISOString() },
    runAt,
  });
}

/** A job of this shop's import is waiting or running (a lease that expired still counts: it is re-run). */
export async function hasLiveRun(tx: Tx, shopId: string): Promise<boolean> {
  return (await tx.job.count({ where: { kind: HISTORY_IMPORT_JOB_KIND, shopId, status: { in: ["pending", "running"] } } })) > 0;
}
