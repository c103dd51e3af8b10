// Merchant edits to a flow that touch messages already in the ledger. A changed delay or
// time of day moves every message of the flow that has not gone out yet: the new due time is
// the flow's timing applied to the message's own anchor; nothing is ever scheduled in the past.
import type { Flow, Prisma } from "@prisma/client";
import type { Clock } from "../clock";
import { PENDING_STATUSES, transition } from "../messages/ledger";
import type { AnchorKind } from "./anchors";
import { dueTime } from "./planner";

type Tx = Prisma.TransactionClient;

/** Re-plans the flow's pending main messages; returns how many moved. */
export async function replanFlowMessages(tx: Tx, clock: Clock, flow: Pick<Flow, "id" | "shopId" | "delayMinutes" | "sendAtLocalTime">): Promise<number> {
  const pending = await tx.message.findMany({
    // Reminders are timed from their own step; only the flow's main message (a journey step's every occasion) follows its timing.
    where: { flowId: flow.id, shopId: flow.shopId, OR: [{ step: "main" }, { flow: { journeyId: { not: null } } }], status: { in: PENDING_STATUSES } },
    select: { id: true, anchor: true, anchorAt: true, dueAt: true, sendAt: true, timezone: true },
  });
  if (pending.length === 0) return 0;
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: flow.shopId }, select: { timezone: true } });
  const now = clock.now();
  let moved = 0;
  for (const message of pending) {
    const dueAt = dueTime({ kind: message.anchor as AnchorKind, at: message.anchorAt }, flow, message.timezone ?? shop.timezone);
    if (dueAt.getTime() === message.dueAt.getTime()) continue;
    const sendAt = new Date(Math.max(dueAt.getTime(), now.getTime()));
    const done = await transition(tx, clock, message, {
      from: PENDING_STATUSES,
      to: "scheduled",
      event: "replanned",
      reason: "flow timing changed",
      data: { dueAt, sendAt },
    });
    if (done) moved++;
  }
  return moved;
}
