// The send path of the worker, in stages (dispatch/): claim the batch → load the facts → per
// message: eligibility → timing → flow extension → render → the send gate → SMTP → the outcome,
// decided by a pure function (dispatch/outcome.ts) and recorded. The send jobs a worker runs at
// the same time go through here together (send-batch.ts; decision 033, stages: decision 038).
import type { Message } from "@prisma/client";
import { claimBatch } from "./dispatch/claim-batch";
import { extend } from "./dispatch/extension";
import { loadFacts } from "./dispatch/load";
import { decideOutcome } from "./dispatch/outcome";
import { recheck } from "./dispatch/recheck";
import { recordDecision, recordSent } from "./dispatch/record";
import { render } from "./dispatch/render";
import { openSendGate } from "./dispatch/send-gate";
import { sentWriter } from "./dispatch/sent-writer";
import { retryLater } from "./dispatch/settle";
import { sendAll } from "./dispatch/smtp-send";
import { timing } from "./dispatch/timing";
import type { DispatchDeps, Facts, Planned, SendResult } from "./dispatch/types";
import { writtenLanguage } from "../flows/templates";
import { canonicalLocale, formattingLocale } from "../i18n/language";

export { SENDING_LEASE_MS, type DispatchDeps, type SendResult } from "./dispatch/types";

/** The queue's "message_send" task for one message. Returns what it found. */
export async function sendMessage(deps: DispatchDeps, messageId: string): Promise<SendResult> {
  return (await sendMessages(deps, [messageId]))[0];
}

/**
 * The send path for several messages at once (the send jobs a worker runs together): one claim,
 * one read of what the checks need, a gate that admits them in one transaction, SMTP sends side
 * by side over the pool, and the "sent" outcomes written together. Every message keeps its own
 * answer, and the rules are those of one message alone: a message whose checks fail takes its
 * own transition, and the rare outcomes (retries, failures, unknown) are written one by one.
 * Returns what was found for each id, in order.
 */
export async function sendMessages(deps: DispatchDeps, requested: string[]): Promise<SendResult[]> {
  const { ready, results } = await claimBatch(deps, [...new Set(requested)]);
  for (const m of ready) results.set(m.id, "handled");
  if (ready.length) await dispatchBatch(deps, ready);
  return requested.map((id) => results.get(id)!);
}

async function dispatchBatch(deps: DispatchDeps, messages: Message[]) {
  let facts: Map<string, Facts>;
  try {
    facts = await loadFacts(deps.db, messages);
  } catch (error) {
    for (const message of messages) await retryLater(deps, message, error);
    return;
  }
  const planned: Planned[] = [];
  await Promise.all(
    messages.map(async (message) => {
      try {
        const ready = await prepare(deps, message, facts.get(message.id));
        if (ready) planned.push(ready);
      } catch (error) {
        await retryLater(deps, message, error);
      }
    }),
  );
  if (!planned.length) return;
  let admitted: Planned[];
  try {
    admitted = await openSendGate(deps, planned);
  } catch (error) {
    for (const p of planned) await retryLater(deps, p.message, error);
    return;
  }
  if (!admitted.length) return;
  const writer = sentWriter(admitted.length, (batch) => recordSent(deps, batch));
  await sendAll(deps, admitted, async (p, result) => {
    const decision = decideOutcome(result, p.message.attempts + 1, deps.clock.now());
    if (decision.outcome === "sent") return writer.sent(p);
    writer.other();
    await recordDecision(deps, p, decision);
  });
}

/**
 * One message's stages with the batch's facts, all checked at one instant: eligibility, timing
 * (defer, never drop), the flow's extension, the render. A message that must not go out now takes
 * its transition in the stage that says so and gives null.
 */
async function prepare(deps: DispatchDeps, message: Message, facts: Facts | undefined): Promise<Planned | null> {
  if (!facts) throw new Error("the message's shop or flow is gone");
  const now = deps.clock.now();
  const eligible = await recheck(deps, message, facts, now);
  if (!eligible) return null;
  const { recipient, customer, products } = eligible;
  const timezone = await timing(deps, message, facts.shop, recipient, now);
  if (!timezone) return null;
  const customerLocale = facts.order?.locale ?? customer?.locale;
  // Decided when planned; a message planned before languages were recorded decides by the same rule now.
  const language =
    canonicalLocale(message.locale) ??
    (await writtenLanguage(facts.flow, facts.shop, customerLocale, async (l) => facts.templates.some((t) => t.locale === l)));
  const locale = formattingLocale(language, customerLocale);
  const prepared = await extend(deps, message, facts, customer, { timezone, locale }, now);
  if (prepared === "stopped") return null;
  const email = await render(deps, { message, facts, customer, timezone, language, locale, products, prepared });
  if (!email) return null;
  return { message, shop: facts.shop, flow: facts.flow, order: facts.order, recipient, timezone, email };
}
