// Stage 7, outcome: what outcome.ts decided, written to the ledger. Each write is a conditional
// transition from "sending" under this worker's lease, so one that runs again after a commit
// whose answer was lost changes nothing.
import type { Flow, Message, Prisma, Shop } from "@prisma/client";
import pRetry from "p-retry";
import type { Clock } from "../../clock";
import { suppress } from "../../consent/suppression";
import type { OrderWithShipments } from "../../flows/anchors";
import { createMessage, dedupeKey } from "../../flows/planner";
import { loggableError } from "../../util/loggable";
import { markSent } from "../claim";
import { recordEvents, transition } from "../ledger";
import type { Decision } from "./outcome";
import { RELEASE } from "./settle";
import type { DispatchDeps, Planned } from "./types";

/** "sent" for several messages in one transaction (with the reminders their flows plan). */
export async function recordSent(deps: DispatchDeps, planned: Planned[]) {
  const { db, clock } = deps;
  await recordOutcome(
    deps,
    planned.map((p) => p.message.id),
    () =>
      db.$transaction(async (tx) => {
        const sentAt = clock.now();
        const recorded = new Set(
          await markSent(
            tx,
            deps.workerId,
            planned.map((p) => p.message.id),
            sentAt,
          ),
        );
        await recordEvents(
          tx,
          clock,
          [...recorded].map((messageId) => ({ messageId, status: "sent" })),
        );
        // The reminder is planned with the sent status, so a retried recording never loses it.
        for (const { message, shop, flow, order } of planned) {
          if (recorded.has(message.id) && flow.reminderDelayMinutes && message.step === "main" && order)
            await scheduleReminder(tx, clock, shop, flow, order, message, sentAt);
        }
      }),
  );
  for (const { message, flow } of planned) deps.log({ msg: "email sent", messageId: message.id, flow: flow.key });
}

/** Any other decision (retry, failure, bounce, unknown), for one message. */
export async function recordDecision(deps: DispatchDeps, p: Planned, decision: Exclude<Decision, { outcome: "sent" }>) {
  const { db, clock } = deps;
  const { message } = p;
  const after = { from: ["sending" as const], lockedBy: deps.workerId, reason: decision.reason, data: RELEASE };
  const write = () => {
    switch (decision.outcome) {
      case "retry":
        return transition(db, clock, message, { ...after, to: "scheduled", event: "retry", data: { ...RELEASE, sendAt: decision.at } });
      case "failed":
        return transition(db, clock, message, { ...after, to: "failed" });
      case "bounced":
        // The failure and the bounce commit together.
        return db.$transaction(async (tx) => {
          const recorded = await transition(tx, clock, message, { ...after, to: "failed" });
          if (recorded) await suppress(tx, clock, { shopId: p.shop.id, email: p.recipient, scope: "all", reason: "bounce", detail: decision.detail });
        });
      case "unknown":
        return transition(db, clock, message, { ...after, to: "unknown" });
    }
  };
  await recordOutcome(deps, [message.id], write).catch(() => {}); // left "sending": see recordOutcome
}

/**
 * Records what the SMTP server answered. The answer is known, so a database that is briefly away
 * (a restart, a failover) must not turn it into "unknown": the recording is tried again for about
 * half a minute, under the sending lease. If it still fails, the message stays "sending" and its
 * lease decides (unknown, never re-sent).
 */
async function recordOutcome(deps: DispatchDeps, ids: string[], record: () => Promise<unknown>): Promise<unknown> {
  try {
    return await pRetry(record, {
      retries: 8,
      minTimeout: 250,
      maxTimeout: 5_000,
      onFailedAttempt: ({ error, attemptNumber }) =>
        deps.log({
          msg: "recording the send's outcome failed; trying again",
          level: "warn",
          messageIds: ids.slice(0, 20),
          count: ids.length,
          attempt: attemptNumber,
          ...loggableError(error),
        }),
    });
  } catch (error) {
    deps.log({
      msg: "the send's outcome was not recorded; its lease decides",
      level: "error",
      messageIds: ids.slice(0, 20),
      count: ids.length,
      ...loggableError(error),
    });
    throw error;
  }
}

/** One reminder after the main email (reviews); its extension skips it when the customer answered. */
async function scheduleReminder(tx: Prisma.TransactionClient, clock: Clock, shop: Shop, flow: Flow, order: OrderWithShipments, message: Message, sentAt: Date) {
  const dueAt = new Date(sentAt.getTime() + flow.reminderDelayMinutes! * 60_000);
  if (await tx.message.findUnique({ where: { dedupeKey: dedupeKey(shop.id, order.shopifyId, flow.key, "reminder") } })) return;
  await createMessage(tx, clock, {
    shop,
    order,
    flow,
    step: "reminder",
    anchor: { kind: "previous_send", at: sentAt },
    dueAt,
    timezone: message.timezone ?? shop.timezone,
  });
}
