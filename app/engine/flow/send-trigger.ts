// Sending one recorded trigger to Flow (the "flow.send_trigger" job): at most once per delivery.
// The delivery is claimed before the call (pending → sending); an attempt that finds it still
// `sending` knows the previous one died mid-call and marks it unknown rather than risk a second
// send, as emails do (README, "unknown").
import type { FlowTriggerDelivery, Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { MAX_JOB_ATTEMPTS, type JobDeps, type JobHandler } from "../queue/jobs";
import type { ShopGraphql } from "../shopify/products";
import { isRetryableAdminError } from "../shopify/retryable";
import { FLOW_TRIGGER_JOB } from "./triggers";

export const FLOW_TRIGGER_MUTATION = `#graphql
  mutation TrustloopFlowTrigger($handle: String, $payload: JSON) {
    flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
  }`;

const jobPayload = z.object({ deliveryId: z.string() });
const receiveResponse = z.object({
  flowTriggerReceive: z.object({ userErrors: z.array(z.object({ message: z.string() })) }).nullable(),
});

type Outcome = { status: "sent" } | { status: "failed" | "unknown" | "retry"; error: string };

/** The answer was lost after the request went out (a timeout, a reset): Flow may have it. */
const answerLost = (message: string) => /timeout|timed out|aborted|ECONNRESET|socket hang up/i.test(message);

/** One call: sent, refused (userErrors), worth retrying, or lost. */
async function receive(graphql: ShopGraphql, shopDomain: string, delivery: FlowTriggerDelivery): Promise<Outcome> {
  let answer: unknown;
  try {
    answer = await graphql(shopDomain, FLOW_TRIGGER_MUTATION, { handle: delivery.handle, payload: delivery.payload });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    if (answerLost(message)) return { status: "unknown", error: `no answer from Shopify: ${message}` };
    return { status: isRetryableAdminError(error) ? "retry" : "failed", error: message };
  }
  const parsed = receiveResponse.safeParse(answer);
  if (!parsed.success || !parsed.data.flowTriggerReceive) return { status: "failed", error: "Shopify gave no answer to flowTriggerReceive" };
  const errors = parsed.data.flowTriggerReceive.userErrors;
  if (errors.length) return { status: "failed", error: `Flow refused the trigger: ${errors.map((e) => e.message).join("; ")}`.slice(0, 500) };
  return { status: "sent" };
}

async function settle(db: PrismaClient, clock: Clock, id: string, outcome: Outcome) {
  const data =
    outcome.status === "sent"
      ? { status: "sent" as const, sentAt: clock.now(), error: null }
      : { status: outcome.status === "retry" ? ("pending" as const) : outcome.status, error: outcome.error };
  await db.flowTriggerDelivery.updateMany({ where: { id, status: "sending" }, data });
}

async function sendTrigger(graphql: ShopGraphql, job: Job, { db, clock, log }: JobDeps) {
  const { deliveryId } = jobPayload.parse(job.payload);
  const delivery = await db.flowTriggerDelivery.findUnique({ where: { id: deliveryId }, include: { shop: { select: { domain: true, status: true } } } });
  if (!delivery) return; // the shop's data was erased
  if (delivery.status === "sending") {
    await settle(db, clock, delivery.id, { status: "unknown", error: "the worker stopped during the call to Flow; not sent again" });
    return;
  }
  if (delivery.status !== "pending") return; // sent, failed or unknown: settled for good
  // Sent even when the shop's workflows stopped using the trigger since: the event happened while
  // one did. Only an uninstalled shop (no token, nobody listening) is skipped.
  const claimed = await db.flowTriggerDelivery.updateMany({
    where: { id: delivery.id, status: "pending" },
    data: { status: "sending", attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return;
  if (delivery.shop.status !== "installed") return settle(db, clock, delivery.id, { status: "failed", error: "the app was uninstalled" });

  const outcome = await receive(graphql, delivery.shop.domain, delivery);
  const lastTry = job.attempts >= MAX_JOB_ATTEMPTS;
  await settle(db, clock, delivery.id, outcome.status === "retry" && lastTry ? { status: "failed", error: outcome.error } : outcome);
  if (outcome.status !== "sent")
    log({ msg: "flow trigger not sent", level: "warn", deliveryId: delivery.id, handle: delivery.handle, outcome: outcome.status });
  // The queue retries with backoff; on the last attempt it records the job as failed.
  if (outcome.status === "retry") throw new Error(`flowTriggerReceive: ${outcome.error}`);
}

/** Job handlers of the Flow triggers (register in the worker's handler map). */
export function flowTriggerJobHandlers(graphql: ShopGraphql): Record<string, JobHandler> {
  return { [FLOW_TRIGGER_JOB]: (job, deps) => sendTrigger(graphql, job, deps) };
}
