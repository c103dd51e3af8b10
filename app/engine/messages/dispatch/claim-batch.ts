// Stage 0, claim: the batch's messages are claimed in one statement; the ones not won, and the ones
// waiting for an earlier message of their order, get their answer here and a job for later.
import type { Message, PrismaClient } from "@prisma/client";
import { addQueueJob, TASKS } from "../../queue/queue";
import { claimMessages } from "../claim";
import type { DispatchDeps, SendResult } from "./types";

/** How soon a message waiting for an earlier one of its order looks again. */
const WAIT_FOR_EARLIER_MS = 2_000;

/** The send job again for later (a new job: the one running now is done when this returns). */
const sendAgainAt = (deps: DispatchDeps, messageId: string, runAt: Date) =>
  addQueueJob(deps.db, { task: TASKS.sendMessage, payload: { messageId }, key: `send:${messageId}`, runAt });

/** The messages claimed and ready to go through the stages, and the answers of the others. */
export async function claimBatch(deps: DispatchDeps, ids: string[]): Promise<{ ready: Message[]; results: Map<string, SendResult> }> {
  const claims = await claimMessages(deps.db, deps.clock, ids, { workerId: deps.workerId, leaseMs: deps.leaseMs ?? 120_000 });
  const results = new Map<string, SendResult>();
  const won: Message[] = [];
  for (const id of ids) {
    const claim = claims.get(id)!;
    if (claim.ok) {
      won.push(claim.message);
      continue;
    }
    // Ran before its (app-clock) time, or another worker holds it: look again then.
    if (claim.why === "notDue" || claim.why === "busy") await sendAgainAt(deps, id, claim.retryAt);
    results.set(id, claim.why);
  }
  const waiting = await waitingForEarlier(deps.db, won, deps.clock.now());
  if (waiting.size) {
    // One order's mail goes out in the order it was due (a thank-you held by quiet hours before
    // the delay notice held with it): these wait for the earlier one to be settled.
    await deps.db.message.updateMany({ where: { id: { in: [...waiting] }, lockedBy: deps.workerId }, data: { lockedBy: null, lockedUntil: null } });
    for (const id of waiting) {
      await sendAgainAt(deps, id, new Date(deps.clock.now().getTime() + WAIT_FOR_EARLIER_MS));
      results.set(id, "waiting");
    }
  }
  return { ready: won.filter((m) => !waiting.has(m.id)), results };
}

/** Of `messages`, those with another message of the same order due before them and due now too, still to be settled. */
async function waitingForEarlier(db: PrismaClient, messages: Message[], now: Date): Promise<Set<string>> {
  const ids = messages.filter((m) => m.orderId).map((m) => m.id);
  if (!ids.length) return new Set();
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT m.id FROM "Message" m WHERE m.id = ANY(${ids}::text[]) AND EXISTS (
      SELECT 1 FROM "Message" e WHERE e."orderId" = m."orderId" AND e.id <> m.id AND e.status IN ('scheduled', 'deferred', 'sending') AND e."sendAt" <= ${now}
        AND (e."dueAt" < m."dueAt" OR (e."dueAt" = m."dueAt" AND e.id < m.id)))`;
  return new Set(rows.map((r) => r.id));
}
