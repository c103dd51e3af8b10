// The message ledger: one row per intended message, and every transition recorded with its
// time and reason. All status changes go through here.
import type { Message, MessageStatus, Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { EXPOSED, exposureDaysOf } from "../dashboard/exposures";
import { touchDays } from "../dashboard/touch";

type Tx = Prisma.TransactionClient | PrismaClient;

// Listed here (not taken from the Prisma enum object) so that route modules can import it without
// pulling the Prisma client into the browser bundle; the check below fails when the schema grows.
export const MESSAGE_STATUSES = ["scheduled", "deferred", "sending", "sent", "skipped", "cancelled", "failed", "held_out", "unknown"] as const satisfies readonly MessageStatus[];
const everyStatusListed: Exclude<MessageStatus, (typeof MESSAGE_STATUSES)[number]> extends never ? true : never = true;
void everyStatusListed;
export type { MessageStatus };

/** States in which a message may still go out. */
export const PENDING_STATUSES: MessageStatus[] = ["scheduled", "deferred"];

/**
 * Records a transition and marks the message's rollup day (flow figures sit on the day it was
 * planned) — and, when it becomes an exposure for the lift, the days of the customer's other ones.
 */
export async function recordEvent(tx: Tx, clock: Clock, messageId: string, status: string, reason: string | null = null) {
  await tx.messageEvent.create({ data: { messageId, at: clock.now(), status, reason } });
  const message = await tx.message.findUnique({
    where: { id: messageId },
    select: { shopId: true, flowId: true, step: true, createdAt: true, order: { select: { customerShopifyId: true, email: true } } },
  });
  if (!message) return;
  const exposures = EXPOSED.includes(status) && message.step === "main" ? await exposureDaysOf(tx, message) : [];
  await touchDays(tx, message.shopId, message.createdAt, ...exposures);
}

/**
 * Moves a message to a new status, only if it is still in one of `from` (and, when given, still
 * leased by `lockedBy`): a late worker or a concurrent cancel cannot overwrite a newer state.
 * Returns whether the transition happened.
 */
export async function transition(
  tx: Tx,
  clock: Clock,
  message: Pick<Message, "id">,
  change: {
    from: MessageStatus[];
    to: MessageStatus;
    reason?: string | null;
    lockedBy?: string | null;
    data?: Prisma.MessageUpdateManyMutationInput;
    event?: string; // event label when it differs from the status (e.g. "replanned", "retry")
  },
): Promise<boolean> {
  const { count } = await tx.message.updateMany({
    where: { id: message.id, status: { in: change.from }, ...(change.lockedBy !== undefined ? { lockedBy: change.lockedBy } : {}) },
    data: { status: change.to, reason: change.reason ?? null, ...change.data },
  });
  if (count === 1) await recordEvent(tx, clock, message.id, change.event ?? change.to, change.reason ?? null);
  return count === 1;
}

/** Cancels every message of the filter that has not gone out yet, with the reason. */
export async function cancelPendingMessages(tx: Tx, clock: Clock, where: Prisma.MessageWhereInput, reason: string) {
  const pending = await tx.message.findMany({ where: { ...where, status: { in: PENDING_STATUSES } }, select: { id: true } });
  for (const message of pending) {
    await transition(tx, clock, message, { from: PENDING_STATUSES, to: "cancelled", reason, data: { lockedBy: null, lockedUntil: null } });
  }
  return pending.length;
}
