// "Also send for past orders": planned by a job after the activation commits, in small
// transactions, so a shop with many orders neither holds one long transaction nor makes the
// merchant's request wait. Only steps still ahead when the job runs are planned (nothing is sent
// late, no "missed" rows); the dedupe keys make a retried or repeated job plan nothing twice.
import type { Journey, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { parseConditions, unmetCondition } from "../flows/conditions";
import { orderFacts, planOnce } from "../flows/planner";
import { enqueueJob, type JobHandler } from "../queue/jobs";
import { journeyEntries, type Entry } from "./entries";

export const JOURNEY_HISTORY_JOB = "journeys.plan_history";
/** Entries planned per transaction. */
export const HISTORY_CHUNK = 100;
const payload = z.object({ journeyId: z.string() });

export function enqueueJourneyHistory(tx: Prisma.TransactionClient, clock: Clock, journey: Pick<Journey, "id" | "shopId">) {
  const now = clock.now();
  return enqueueJob(tx, {
    kind: JOURNEY_HISTORY_JOB,
    key: `${journey.id}:${now.getTime()}`,
    shopId: journey.shopId,
    payload: { journeyId: journey.id },
    runAt: now,
  });
}

/** Plans the past entries of an active journey whose steps are still ahead; returns the messages scheduled. */
export async function planJourneyHistory(db: PrismaClient, clock: Clock, journeyId: string): Promise<number> {
  const journey = await db.journey.findUnique({ where: { id: journeyId } });
  if (journey?.status !== "active") return 0; // paused or removed meanwhile
  const shop = await db.shop.findUniqueOrThrow({ where: { id: journey.shopId } });
  const steps = await db.flow.findMany({ where: { journeyId, journeyStep: { not: null }, enabled: true }, orderBy: { journeyStep: "asc" } });
  const now = clock.now();
  const { entries } = await journeyEntries(db, shop, journey, steps, now, now);
  const conditions = parseConditions(journey.conditions);
  let planned = 0;
  for (let i = 0; i < entries.length; i += HISTORY_CHUNK) {
    planned += await db.$transaction(async (tx) => {
      let n = 0;
      for (const { order, step, times } of entries.slice(i, i + HISTORY_CHUNK) as Entry[]) {
        const ahead = times.filter((t) => t.dueAt > now);
        if (!ahead.length) continue;
        // An old order that does not match writes nothing (no "skipped" rows for history).
        const facts = await orderFacts(tx, order);
        if (unmetCondition(conditions, facts)) continue;
        for (const { flow, anchor, timezone, dueAt } of ahead) {
          if (await planOnce(tx, clock, { shop, order, flow, step, anchor, dueAt, timezone, facts })) n++;
        }
      }
      return n;
    });
  }
  return planned;
}

export const journeyJobHandlers: Record<string, JobHandler> = {
  [JOURNEY_HISTORY_JOB]: async (job, { db, clock, log }) => {
    const { journeyId } = payload.parse(job.payload);
    const planned = await planJourneyHistory(db, clock, journeyId);
    log({ msg: "journey history planned", journeyId, planned });
  },
};
