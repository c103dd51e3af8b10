// Shopify Flow actions, the request side (decision 044): a run of one of Trustloop's actions in a
// merchant's workflow is checked, recorded and queued here, and answered at once; the worker applies
// it (action-handlers.ts). Flow's contract decides the answers: 200 = accepted (a run id seen before
// is accepted again and changes nothing), 4xx = failed for good with our `message` shown in the
// workflow run, 5xx = retried by Flow (the route answers 503 when the database is unreachable).
// What needs the database to judge (is the customer known? is loyalty on?) is judged before the
// answer, so the merchant sees it in Flow; a refused run is not stored, only logged in one line.
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { enqueueJob } from "../queue/jobs";
import { actionKeyOf, parseEnvelope, parseProperties, type FlowActionProperties } from "./action-properties";
import { checkRunnable } from "./action-checks";

export const FLOW_ACTION_JOB = "flow.run_action";

export interface FlowActionDeps {
  db: PrismaClient;
  clock: Clock;
  log: (event: { msg: string } & Record<string, unknown>) => void;
}

export interface FlowActionAnswer {
  status: 200 | 400 | 404 | 422;
  body: { message: string };
}

const answer = (status: FlowActionAnswer["status"], message: string): FlowActionAnswer => ({ status, body: { message } });

/**
 * One action run as Flow POSTed it to the URL of `routeHandle`, its signature already verified
 * (`payload` is the parsed body). Never throws for bad input: the answer says what was wrong.
 */
export async function acceptFlowAction(deps: FlowActionDeps, routeHandle: string, payload: unknown): Promise<FlowActionAnswer> {
  const refuse = (status: FlowActionAnswer["status"], message: string, shop?: string) => {
    // Identifiers and the sentence only: the message names ids and order numbers, never an address.
    deps.log({ msg: "flow action refused", handle: routeHandle.slice(0, 100), shop, status, reason: message });
    return answer(status, message);
  };
  const action = actionKeyOf(routeHandle);
  if (!action) return refuse(404, `Trustloop has no action "${routeHandle.slice(0, 100)}"`);
  const envelope = parseEnvelope(payload, routeHandle);
  if (!envelope.ok) return refuse(400, envelope.message);
  const { shopDomain, actionRunId, properties } = envelope.value;

  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop || shop.status !== "installed") return refuse(422, "Trustloop is not installed on this shop", shopDomain);
  // Flow sends a run again when it did not hear our answer: the first one stands, whatever became of it.
  if (await deps.db.flowActionRun.findUnique({ where: { shopId_actionRunId: { shopId: shop.id, actionRunId } }, select: { id: true } })) {
    return answer(200, "this run was already accepted");
  }
  const parsed = parseProperties(action, properties);
  if (!parsed.ok) return refuse(422, parsed.message, shopDomain);
  const checked = await checkRunnable(deps.db, shop, parsed.value);
  if (!checked.ok) return refuse(422, checked.message, shopDomain);

  const accepted = await recordRun(deps, shop, { actionRunId, handle: routeHandle, properties: parsed.value, ...checked.value });
  deps.log({ msg: "flow action accepted", handle: routeHandle, shop: shopDomain, runId: accepted.runId, duplicate: !accepted.created });
  return answer(200, accepted.created ? "accepted" : "this run was already accepted");
}

/** The run row and its job, in one transaction; a run id recorded meanwhile (a concurrent resend) adds nothing. */
async function recordRun(
  deps: FlowActionDeps,
  shop: Shop,
  run: { actionRunId: string; handle: string; properties: FlowActionProperties; customerShopifyId: string | null; orderShopifyId: string | null },
): Promise<{ created: boolean; runId: string }> {
  const id = randomUUID();
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING on (shopId, actionRunId): two deliveries of one run at once store one row.
    const { count } = await tx.flowActionRun.createMany({
      data: [
        {
          id,
          shopId: shop.id,
          actionRunId: run.actionRunId,
          handle: run.handle,
          customerShopifyId: run.customerShopifyId,
          orderShopifyId: run.orderShopifyId,
          properties: storedProperties(run.properties),
          createdAt: now,
        },
      ],
      skipDuplicates: true,
    });
    if (!count) return { created: false, runId: "" };
    await enqueueJob(tx, { kind: FLOW_ACTION_JOB, key: id, shopId: shop.id, payload: { runId: id }, runAt: now });
    return { created: true, runId: id };
  });
}

/** What the run row keeps of the properties: the checked values (ids as gids), no address. */
function storedProperties(properties: FlowActionProperties): Prisma.InputJsonValue {
  const { action: _action, ...values } = properties;
  return values;
}
