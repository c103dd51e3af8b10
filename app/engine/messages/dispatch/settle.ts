// A claimed message that does not go out now (skipped, cancelled, deferred, failed before its
// send): its transition from scheduled/deferred, under this worker's claim, which it releases.
import type { Message, MessageStatus, Prisma, PrismaClient } from "@prisma/client";
import { loggableError } from "../../util/loggable";
import { transition } from "../ledger";
import { RETRY_POLICY } from "./outcome";
import type { DispatchDeps } from "./types";

export const RELEASE = { lockedBy: null, lockedUntil: null };

export function settle(
  deps: DispatchDeps,
  message: Pick<Message, "id">,
  change: { to: MessageStatus; reason: string; event?: string; data?: Prisma.MessageUpdateManyMutationInput },
  tx: Prisma.TransactionClient | PrismaClient = deps.db,
): Promise<boolean> {
  return transition(tx, deps.clock, message, {
    from: ["scheduled", "deferred"],
    to: change.to,
    reason: change.reason,
    lockedBy: deps.workerId,
    event: change.event,
    data: { ...RELEASE, ...change.data },
  });
}

/** Unexpected (database, Admin API): release the lease and try again later. */
export async function retryLater(deps: DispatchDeps, message: Message, error: unknown) {
  const reason = error instanceof Error ? error.message : String(error);
  // The text stays on the message for the admin; the log gets the error's class and codes only
  // (a PostgreSQL or Admin API error's text can quote the customer's values).
  deps.log({ msg: "dispatch error", level: "error", messageId: message.id, ...loggableError(error) });
  await settle(deps, message, {
    to: "deferred",
    event: "retry",
    reason: `will retry: ${reason.slice(0, 300)}`,
    data: { sendAt: new Date(deps.clock.now().getTime() + RETRY_POLICY.delayMs(1)) },
  }).catch((failure: unknown) => deps.log({ msg: "dispatch error not recorded", level: "error", messageId: message.id, ...loggableError(failure) }));
}
