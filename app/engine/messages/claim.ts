// Claiming due messages: a lease per row, won by a conditional update (see decision 003). The
// status stays scheduled/deferred while leased; a worker that dies leaves the lease to expire
// and the message returns to the queue untouched.
import type { Message, Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { recordEvent } from "./ledger";

export interface MessageClaim {
  workerId: string;
  limit: number;
  leaseMs: number;
}

export async function claimDueMessages(db: PrismaClient, clock: Clock, options: MessageClaim): Promise<Message[]> {
  const now = clock.now();
  const due = {
    status: { in: ["scheduled", "deferred"] },
    sendAt: { lte: now },
    OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
  } satisfies Prisma.MessageWhereInput;
  const claimed: Message[] = [];
  const lost: string[] = [];
  while (claimed.length < options.limit) {
    const candidates = await db.message.findMany({
      where: { ...due, id: { notIn: lost } },
      orderBy: { sendAt: "asc" },
      take: options.limit - claimed.length,
      select: { id: true },
    });
    if (candidates.length === 0) break;
    for (const { id } of candidates) {
      const { count } = await db.message.updateMany({
        where: { id, ...due },
        data: { lockedBy: options.workerId, lockedUntil: new Date(now.getTime() + options.leaseMs) },
      });
      if (count === 1) claimed.push(await db.message.findUniqueOrThrow({ where: { id } }));
      else lost.push(id);
    }
  }
  return claimed;
}

/**
 * A message left in "sending" past its lease: the worker died while talking to the SMTP server.
 * The email may or may not have gone out, so it is marked unknown for the merchant to decide —
 * never re-sent blindly.
 */
export async function markAbandonedSends(db: PrismaClient, clock: Clock): Promise<number> {
  const now = clock.now();
  const stuck = await db.message.findMany({ where: { status: "sending", lockedUntil: { lt: now } }, select: { id: true } });
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
