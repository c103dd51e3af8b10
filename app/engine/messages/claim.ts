// A message's send job (the queue's "message_send") claims its message before working on it: a
// lease on the row, won by a conditional update, so that even two jobs for one message (a worker
// wrongly taken for dead and its jobs released) never both work on it. The status stays
// scheduled/deferred while leased; a worker that dies leaves the lease to expire, or to be released
// by the worker that finds it dead (worker/liveness.ts).
//
// Leases run on the database's clock (clock_timestamp()), not on the app's clock: they measure how
// long a process may stay silent, which is real time on every host. The sandbox's clock jumps
// (hours at a time) must not expire a lease held by a live send.
import { Prisma, type Message, type PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { recordEvent } from "./ledger";

type Tx = Prisma.TransactionClient | PrismaClient;

export type Claim =
  | { ok: true; message: Message }
  /** finished: nothing left to do; sending: another worker is delivering it (its lease decides). */
  | { ok: false; why: "finished" | "abandoned" | "sending" }
  /** notDue: its send time moved later; busy: another worker holds it until then. Either way: look again then. */
  | { ok: false; why: "notDue" | "busy"; retryAt: Date };

const leaseEnd = (ms: number) => Prisma.sql`clock_timestamp() + make_interval(secs => ${ms / 1000}::double precision)`;

export async function claimMessage(db: PrismaClient, clock: Clock, id: string, options: { workerId: string; leaseMs: number }): Promise<Claim> {
  const now = clock.now();
  const won = await db.$executeRaw`UPDATE "Message" SET "lockedBy" = ${options.workerId}, "lockedUntil" = ${leaseEnd(options.leaseMs)}, "updatedAt" = now()
    WHERE id = ${id} AND status IN ('scheduled', 'deferred') AND "sendAt" <= ${now}
      AND ("lockedUntil" IS NULL OR "lockedUntil" < clock_timestamp())`;
  if (won === 1) return { ok: true, message: await db.message.findUniqueOrThrow({ where: { id } }) };
  const [row] = await db.$queryRaw<{ status: string; sendAt: Date; leftMs: number | null }[]>`
    SELECT status::text, "sendAt", (extract(epoch FROM "lockedUntil" - clock_timestamp()) * 1000)::float8 AS "leftMs" FROM "Message" WHERE id = ${id}`;
  if (!row) return { ok: false, why: "finished" };
  if (row.status === "sending") return (await markAbandonedSends(db, clock, { id })) ? { ok: false, why: "abandoned" } : { ok: false, why: "sending" };
  if (row.status !== "scheduled" && row.status !== "deferred") return { ok: false, why: "finished" };
  if (row.sendAt.getTime() > now.getTime()) return { ok: false, why: "notDue", retryAt: row.sendAt };
  return { ok: false, why: "busy", retryAt: new Date(now.getTime() + Math.max(0, row.leftMs ?? 0) + 1000) };
}

/** The sending lease: taken in the transaction that makes the message "sending", renewed while the SMTP transaction lasts. */
export async function takeSendingLease(tx: Tx, id: string, workerId: string, leaseMs: number) {
  await tx.$executeRaw`UPDATE "Message" SET "lockedUntil" = ${leaseEnd(leaseMs)}, "updatedAt" = now() WHERE id = ${id} AND status = 'sending' AND "lockedBy" = ${workerId}`;
}

/**
 * A message left in "sending" past its lease, or held by a worker found dead: the worker stopped
 * while talking to the SMTP server. The email may or may not have gone out, so it is marked unknown
 * for the merchant to decide — never re-sent blindly. The sending lease starts when the message
 * becomes "sending" and is renewed while the SMTP transaction lasts (dispatch.ts), so a live send
 * is never taken for dead.
 */
export async function markAbandonedSends(db: PrismaClient, clock: Clock, scope: { id?: string; heldBy?: string[] } = {}): Promise<number> {
  const byId = scope.id ? Prisma.sql`AND id = ${scope.id}` : Prisma.empty;
  const abandoned = scope.heldBy
    ? Prisma.sql`"lockedBy" = ANY(${scope.heldBy}::text[])`
    : Prisma.sql`"lockedUntil" < clock_timestamp()`;
  return db.$transaction(async (tx) => {
    const marked = await tx.$queryRaw<{ id: string }[]>`UPDATE "Message"
      SET status = 'unknown', reason = 'the worker stopped while sending; the email may or may not have been delivered', "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now()
      WHERE status = 'sending' AND ${abandoned} ${byId} RETURNING id`;
    for (const { id } of marked) await recordEvent(tx, clock, id, "unknown", "worker stopped during the SMTP transaction");
    return marked.length;
  });
}

/** Releases the claims of workers found dead on messages not yet sending: their jobs run again at once. */
export async function releaseClaimsOf(db: PrismaClient, workerIds: string[]): Promise<number> {
  return db.$executeRaw`UPDATE "Message" SET "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now()
    WHERE status IN ('scheduled', 'deferred') AND "lockedBy" = ANY(${workerIds}::text[])`;
}
