// Stage 4, flow extension: the flow's own preparation right before the send (an apology code to
// create, review links to sign…). An extension may skip or fail the message, or ask to wait for a
// busy dependency (RetryLater).
import type { Customer, Message } from "@prisma/client";
import { RetryLater, type Prepared } from "../extensions";
import { recordEvent } from "../ledger";
import { RETRY_POLICY } from "./outcome";
import { settle } from "./settle";
import type { DispatchDeps, Facts } from "./types";

export type PreparedOk = Extract<Prepared, { ok: true }>;

/** What the flow's extension added (null: the flow has none), or "stopped" when the message took its transition. */
export async function extend(
  deps: DispatchDeps,
  message: Message,
  facts: Facts,
  customer: Customer | null,
  reader: { timezone: string; locale: string },
  now: Date,
): Promise<PreparedOk | null | "stopped"> {
  const { db, clock } = deps;
  const { shop, flow, order } = facts;
  const extension = deps.extensions?.[flow.key];
  if (!extension || !order) return null;
  let outcome: Prepared;
  try {
    outcome = await extension.prepare({
      db,
      clock,
      graphql: deps.graphql,
      message,
      flow,
      shop,
      order,
      customer,
      ...reader,
    });
  } catch (error) {
    if (!(error instanceof RetryLater)) throw error;
    await settle(deps, message, {
      to: "deferred",
      event: "retry",
      reason: `waiting: ${error.message}`,
      data: { sendAt: new Date(now.getTime() + RETRY_POLICY.delayMs(message.attempts + 1)), attempts: { increment: 1 } },
    });
    return "stopped";
  }
  if (!outcome.ok) {
    await settle(deps, message, { to: outcome.status, reason: outcome.reason });
    return "stopped";
  }
  if (outcome.note) await recordEvent(db, clock, message.id, "note", outcome.note);
  return outcome;
}
