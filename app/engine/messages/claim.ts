// A message's send job (the queue's "message_send") claims its message before working on it: a
// lease on the row, won by a conditional update, so that even two jobs for one message (a worker
// wrongly taken for dead and its jobs released) never both work on it. The status stays
// scheduled/deferred while leased; a worker that dies leaves the lease to expire.
import type { Message, Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { PENDING_STATUSES, recordEvent } from "./ledger";

export type Claim =
  | { ok: true; message: Message }
  /** finished: nothing left to do; sending: another worker is delivering it (its lease decides). */
  | { ok: false; why: "finished" | "abandoned" | "sending" }
  /** notDue: its send time moved later; busy: another worker holds it until then. Either way: look again then. */
  | { ok: false; why: "notDue" | "busy"; retryAt: Date };

export async function claimMessage(db: PrismaClient, clock: Clock, id: string, options: { workerId: string; leaseMs: number }): Promise<Claim> {
  const now = clock.now();
  const { count } = await db.message.updateMany({
    where: { id, status: { in: PENDING_STATUSES }, sendAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: { lockedBy: options.workerId, lockedUntil: new Date(now.getTime() + options.leaseMs) },
  });
  if (count === 1) return { ok: true, message: await db.message.findUniqueOrThrow({ where: { id } }) };
  const row = await db.message.findUnique({ where: { id }, select: { status: true, sendAt: true, lockedUntil: true } });
  if (!row) return { ok: false, why: "finished" };
  if (row.status === "sending") return (await markAbandonedSends(db, clock, { id })) ? { ok: false, why: "abandoned" } : { ok: false, why: "sending" };
  if (!PENDING_STATUSES.includes(row.status)) return { ok: false, why: "finished" };
  if (row.sendAt.getTime() > now.getTime()) return { ok: false, why: "notDue", retryAt: row.sendAt };
  return { ok: false, why: "busy", retryAt: new Date((row.lockedUntil ?? now).getTime() + 1000) };
}

/**
 * A message left in "sending" past its lease: the worker died while talking to the SMTP server.
 * The email may or may not have gone out, so it is marked unknown for the merchant to decide —
 * never re-sent blindly. The sending lease starts when the message becomes "sending" and is
 * renewed while the SMTP transaction lasts (dispatch.ts), so a live send is never taken for dead.
 */
export async function markAbandonedSends(db: PrismaClient, clock: Clock, where: Prisma.MessageWhereInput = {}): Promise<number> {
  const now = clock.now();
  const stuck = await db.message.findMany({ where: { ...where, status: "sending", lockedUntil: { lt: now } }, select: { id: true } });
  let marked = 0;
  for (const { id } of stuck) {
    const { count } = await db.message.updateMany({
      where: { id, status: "sending", lockedUntil: { lt: now } },
      data: { status: "unknown", reason: "the worker stopped while sending; the email may or may not have been delivered", lockedBy: null, lockedUntil: null },
    });
    if (count === 1) {
      marked++;
      await recordEvent(db, clock, id, "unknown", "worker stopped during the SMTP transaction");
    }
  }
  return marked;
}
