// Recording a Flow trigger: called inside the transaction that records the event, so the delivery
// and its queue job exist exactly when the event does. Sending is the worker's (send-trigger.ts):
// never inside a webhook request, retried with backoff through the Job table (decision 027).
import crypto from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { enqueueJob } from "../queue/jobs";
import { retryingTransaction } from "../util/locks";
import { FLOW_TRIGGERS } from "./definitions";
import { delayDetectedEvent, type FlowTriggerEvent } from "./payloads";

type Tx = Prisma.TransactionClient;

export const FLOW_TRIGGER_JOB = "flow.send_trigger";

/**
 * Records the event's trigger when one of the shop's workflows uses it (Flow's lifecycle
 * callbacks, lifecycle.ts) and the shop is installed: one delivery per (shop, trigger, eventKey)
 * and one queue job for it. Returns true when a delivery was recorded now.
 */
export async function recordFlowTrigger(tx: Tx, event: FlowTriggerEvent, clock: Clock): Promise<boolean> {
  const { handle } = FLOW_TRIGGERS[event.key];
  const use = await tx.flowTriggerUse.findUnique({
    where: { shopId_handle: { shopId: event.shopId, handle } },
    select: { enabled: true, shop: { select: { status: true } } },
  });
  if (!use?.enabled || use.shop.status !== "installed") return false;
  const id = crypto.randomUUID();
  // ON CONFLICT DO NOTHING: the same event (a redelivered webhook, a prepare run again) records once.
  const { count } = await tx.flowTriggerDelivery.createMany({
    data: [
      {
        id,
        shopId: event.shopId,
        handle,
        eventKey: event.eventKey,
        customerShopifyId: event.customerShopifyId ?? null,
        orderShopifyId: event.orderShopifyId ?? null,
        payload: event.payload,
        createdAt: clock.now(),
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) return false;
  await enqueueJob(tx, { kind: FLOW_TRIGGER_JOB, key: id, shopId: event.shopId, payload: { deliveryId: id }, runAt: clock.now() });
  return true;
}

/** The delay trigger from outside a transaction (the notice's prepare): its own short one. */
export function recordDelayDetected(
  db: PrismaClient,
  clock: Clock,
  incident: Parameters<typeof delayDetectedEvent>[0],
  order: Parameters<typeof delayDetectedEvent>[1],
  apologyCode: string,
): Promise<boolean> {
  return retryingTransaction(db, (tx) => recordFlowTrigger(tx, delayDetectedEvent(incident, order, apologyCode), clock));
}
