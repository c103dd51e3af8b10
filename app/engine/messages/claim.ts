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
  return (await claimMessages(db, clock, [id], options)).get(id)!;
}

/**
 * Claims several messages in one statement; each id gets its own answer. The ones not won (the
 * rare case) are looked at one by one to say why.
 */
export async function claimMessages(
  db: PrismaClient,
  clock: Clock,
  ids: string[],
  options: { workerId: string; leaseMs: number },
): Promise<Map<string, Claim>> {
  const now = clock.now();
  const wonIds = await db.$queryRaw<
    { id: string }[]
  >`UPDATE "Message" SET "lockedBy" = ${options.workerId}, "lockedUntil" = ${leaseEnd(options.leaseMs)}, "updatedAt" = now()
    WHERE id = ANY(${ids}::text[]) AND status IN ('scheduled', 'deferred') AND "sendAt" <= ${now}
      AND ("lockedUntil" IS NULL OR "lockedUntil" < clock_timestamp()) RETURNING id`;
  const claims = new Map<string, Claim>();
  if (wonIds.length) {
    for (const message of await db.message.findMany({ where: { id: { in: wonIds.map((w) => w.id) } } })) claims.set(message.id, { ok: true, message });
  }
  for (const id of ids) if (!claims.has(id)) claims.set(id, await whyNotClaimed(db, clock, id, now));
  return claims;
}

async function whyNotClaimed(db: PrismaClient, clock: Clock, id: string, now: Date): Promise<Claim> {
  const [row] = await db.$queryRaw<{ status: string; sendAt: Date; leftMs: number | null }[]>`
    SELECT status::text, "sendAt", (extract(epoch FROM "lockedUntil" - clock_timestamp()) * 1000)::float8 AS "leftMs" FROM "Message" WHERE id = ${id}`;
  if (!row) return { ok: false, why: "finished" };
  if (row.status === "sending") return (await markAbandonedSends(db, clock, { id })) ? { ok: false, why: "abandoned" } : { ok: false, why: "sending" };
  if (row.status !== "scheduled" && row.status !== "deferred") return { ok: false, why: "finished" };
  if (row.sendAt.getTime() > now.getTime()) return { ok: false, why: "notDue", retryAt: row.sendAt };
  return { ok: false, why: "busy", retryAt: new Date(now.getTime() + Math.max(0, row.leftMs ?? 0) + 1000) };
}

/** The sending lease: taken in the transaction that makes messages "sending", renewed while their SMTP transactions last. */
export async function takeSendingLease(tx: Tx, ids: string[], workerId: string, leaseMs: number) {
  await tx.$executeRaw`UPDATE "Message" SET "lockedUntil" = ${leaseEnd(leaseMs)}, "updatedAt" = now() WHERE id = ANY(${ids}::text[]) AND status = 'sending' AND "lockedBy" = ${workerId}`;
}

/**
 * The send gate's last step: claimed messages become "sending" (with their recipient and subject,
 * one more attempt) and their sending lease starts, in one statement. Returns the ids it moved.
 */
export async function startSending(tx: Tx, workerId: string, leaseMs: number, rows: { id: string; recipient: string; subject: string }[]): Promise<string[]> {
  if (!rows.length) return [];
  const moved = await tx.$queryRaw<{ id: string }[]>`UPDATE "Message" AS m
    SET status = 'sending', reason = NULL, recipient = v.recipient, subject = v.subject, attempts = m.attempts + 1, "lockedUntil" = ${leaseEnd(leaseMs)}, "updatedAt" = now()
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.recipient)}::text[], ${rows.map((r) => r.subject)}::text[]) AS v(id, recipient, subject)
    WHERE m.id = v.id AND m.status IN ('scheduled', 'deferred') AND m."lockedBy" = ${workerId} RETURNING m.id`;
  return moved.map((r) => r.id);
}

/** Sent: the messages still "sending" under this worker's lease become "sent" at `sentAt`. Returns the ids it moved. */
export async function markSent(tx: Tx, workerId: string, ids: string[], sentAt: Date): Promise<string[]> {
  if (!ids.length) return [];
  const moved = await tx.$queryRaw<
    { id: string }[]
  >`UPDATE "Message" SET status = 'sent', reason = NULL, "lockedBy" = NULL, "lockedUntil" = NULL, "sentAt" = ${sentAt}, "updatedAt" = now()
    WHERE id = ANY(${ids}::text[]) AND status = 'sending' AND "lockedBy" = ${workerId} RETURNING id`;
  return moved.map((r) => r.id);
}

/**
 * A message left in "sending" past its lease, or held by a worker found dead: the worker stopped
 * while talking to the SMTP server. The email may or may not have gone out, so it is marked unknown
 * for the merchant to decide — never re-sent blindly. The sending lease starts when the message
 * becomes "sending" and is renewed while the SMTP transaction lasts (dispatch/smtp-send.ts), so a live send
 * is never taken for dead.
 */
export async function markAbandonedSends(db: PrismaClient, clock: Clock, scope: { id?: string; heldBy?: string[] } = {}): Promise<number> {
  const byId = scope.id ? Prisma.sql`AND id = ${scope.id}` : Prisma.empty;
  const abandoned = scope.heldBy ? Prisma.sql`"lockedBy" = ANY(${scope.heldBy}::text[])` : Prisma.sql`"lockedUntil" < clock_timestamp()`;
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
