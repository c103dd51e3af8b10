// The message ledger: one row per intended message, and every transition recorded with its
// time and reason. All status changes go through here.
import type { Message, MessageStatus, Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { EXPOSED, exposureDaysOfMany } from "../dashboard/exposures";
import { touchDays } from "../dashboard/touch";

type Tx = Prisma.TransactionClient | PrismaClient;

// Listed here (not taken from the Prisma enum object) so that route modules can import it without
// pulling the Prisma client into the browser bundle; the check below fails when the schema grows.
export const MESSAGE_STATUSES = [
  "scheduled",
  "deferred",
  "sending",
  "sent",
  "skipped",
  "cancelled",
  "failed",
  "held_out",
  "unknown",
] as const satisfies readonly MessageStatus[];
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
  await recordEvents(tx, clock, [{ messageId, status, reason }]);
}

/** recordEvent for many messages at once: one insert, one read, and the days marked per shop. */
export async function recordEvents(tx: Tx, clock: Clock, events: { messageId: string; status: string; reason?: string | null }[]) {
  if (!events.length) return;
  const at = clock.now();
  await tx.messageEvent.createMany({ data: events.map((e) => ({ messageId: e.messageId, at, status: e.status, reason: e.reason ?? null })) });
  const messages = await tx.message.findMany({
    where: { id: { in: [...new Set(events.map((e) => e.messageId))] } },
    select: {
      id: true,
      shopId: true,
      flowId: true,
      step: true,
      createdAt: true,
      flow: { select: { journeyId: true } },
      order: { select: { customerShopifyId: true, email: true } },
    },
  });
  const exposing = new Set(events.filter((e) => EXPOSED.includes(e.status)).map((e) => e.messageId));
  for (const [shopId, ofShop] of groupBy(messages, (m) => m.shopId)) {
    const exposures = await exposureDaysOfMany(
      tx,
      shopId,
      // A flow's main message, or any of a journey step's (an anniversary year, a tier): as `exposes` counts them.
      ofShop.filter((m) => exposing.has(m.id) && (m.step === "main" || m.flow.journeyId !== null)),
    );
    await touchDays(tx, shopId, ...ofShop.map((m) => m.createdAt), ...exposures);
  }
}

const groupBy = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

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
  // The status and its event commit together: nobody ever reads one without the other.
  if ("$transaction" in tx) return tx.$transaction((inner) => transition(inner, clock, message, change));
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
