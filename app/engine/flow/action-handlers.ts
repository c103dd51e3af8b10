// Shopify Flow actions, the worker side: the job of an accepted run applies it and records what
// it did on the run row (`done` + outcome, or `failed` + error). Each is safe to run twice: points
// by the entry's dedupe key flow:<actionRunId>, the apology by the incident (once per order and
// cause) and the notice's dedupe key, the pause by taking the later end.
import type { FlowActionRun, Job, MessageStatus, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { formatDayInZone } from "../admin/format";
import { pauseEmails } from "../consent/pause";
import { openIncident } from "../delays/detect";
import { adjustPoints, ensureMember } from "../loyalty/ledger";
import { MAX_JOB_ATTEMPTS, type JobDeps, type JobHandler } from "../queue/jobs";
import { normalizeEmail } from "../util/email";
import { lockRow, retryingTransaction } from "../util/locks";
import { apologyOrder, DELAY_FLOW_KEY, DELAY_FLOW_OFF, delayFlowEnabled, knownCustomer, LOYALTY_OFF, loyaltyEnabled } from "./action-checks";
import { actionKeyOf, shopifyGid, wholeNumber, MAX_PAUSE_DAYS, MAX_POINTS } from "./action-properties";
import { FLOW_ACTION_JOB } from "./actions";

/** What a run did (`done`) or why it could not (`failed`). */
export type RunResult = { ok: true; outcome: string } | { ok: false; error: string };

export const FLOW_ACTOR = "Shopify Flow";
const fail = (error: string): RunResult => ({ ok: false, error });

type Props = Record<string, unknown>;

/** A delay notice that went out or still may. */
const LIVE_NOTICE: MessageStatus[] = ["scheduled", "deferred", "sending", "sent", "unknown"];
const ALREADY_PLANNED = "notice already planned for this order";
type Apply = (db: PrismaClient, clock: Clock, run: FlowActionRun, props: Props) => Promise<RunResult>;

/** Award loyalty points: to the customer's member (by customer id, else by email), enrolled when not one yet. */
async function awardPoints(db: PrismaClient, clock: Clock, run: FlowActionRun, props: Props): Promise<RunResult> {
  const points = wholeNumber(props.points, 1, MAX_POINTS);
  const customer = await knownCustomer(db, run.shopId, String(props.customerGid));
  if (!customer.ok) return fail(customer.message);
  if (points === null) return fail("the run has no valid points");
  if (!(await loyaltyEnabled(db, run.shopId))) return fail(LOYALTY_OFF);
  const shopId = run.shopId;
  const email = normalizeEmail(customer.value.email);
  const memberId = await retryingTransaction(db, async (tx) => {
    const linked = await tx.loyaltyMember.findFirst({ where: { shopId, customerShopifyId: customer.value.shopifyId }, orderBy: { enrolledAt: "asc" } });
    if (linked) return linked.id;
    const member = await ensureMember(tx, {
      shopId,
      email,
      customerShopifyId: customer.value.shopifyId,
      firstName: customer.value.firstName,
      enrolledAt: clock.now(),
    });
    await lockRow(tx, "LoyaltyMember", member.id);
    // A member enrolled by email before the customer was known gets linked (the balance metafield needs it).
    await tx.loyaltyMember.updateMany({ where: { id: member.id, customerShopifyId: null }, data: { customerShopifyId: customer.value.shopifyId } });
    return member.id;
  });
  const reason = typeof props.reason === "string" && props.reason ? props.reason : FLOW_ACTOR;
  const result = await adjustPoints(db, clock, {
    memberId,
    points,
    reason,
    actor: FLOW_ACTOR,
    requestId: run.actionRunId,
    dedupeKey: `flow:${run.actionRunId}`,
  });
  return result.ok ? { ok: true, outcome: `${points} points awarded` } : fail(result.error);
}

/** Send a delay apology: a "reported" incident, whose notice is the shipping delay flow's (same code, budget, quiet hours). */
async function sendDelayApology(db: PrismaClient, clock: Clock, run: FlowActionRun, props: Props): Promise<RunResult> {
  const orderGid = shopifyGid("Order", props.orderGid);
  if (!orderGid) return fail("the run has no valid order");
  if (!(await delayFlowEnabled(db, run.shopId))) return fail(DELAY_FLOW_OFF);
  const found = await apologyOrder(db, run.shopId, orderGid);
  if (!found.ok) return fail(found.message);
  const order = found.value;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: run.shopId } });
  return retryingTransaction(db, async (tx): Promise<RunResult> => {
    await lockRow(tx, "Order", order.id); // openIncident takes it too: runs for one order apply one at a time
    const notices = { orderId: order.id, flow: { key: DELAY_FLOW_KEY } };
    // One notice per order: a delay Trustloop found itself (often the trigger of this very workflow) was already told.
    if (await tx.message.count({ where: { ...notices, status: { in: LIVE_NOTICE } } })) return { ok: true, outcome: ALREADY_PLANNED };
    const created = await openIncident(tx, clock, shop, order, { cause: "reported", detail: "reported through Shopify Flow" });
    const notice = await tx.message.findFirst({ where: { ...notices, step: "reported" } });
    // No notice: the flow was turned off meanwhile, or an earlier run reported the delay while it was off (nothing is planned twice).
    if (!notice) return fail(created ? DELAY_FLOW_OFF : "a delay was already reported for this order while the shipping delay flow was off");
    if (!created) return { ok: true, outcome: ALREADY_PLANNED };
    return { ok: true, outcome: notice.status === "scheduled" ? "delay notice planned" : `no delay notice: ${notice.reason ?? notice.status}` };
  });
}

/** Pause Trustloop emails: until now + days, or later when a longer pause is in place. */
async function pauseCustomerEmails(db: PrismaClient, clock: Clock, run: FlowActionRun, props: Props): Promise<RunResult> {
  const days = wholeNumber(props.days, 1, MAX_PAUSE_DAYS);
  const customer = await knownCustomer(db, run.shopId, String(props.customerGid));
  if (!customer.ok) return fail(customer.message);
  if (days === null) return fail("the run has no valid number of days");
  const until = await pauseEmails(db, clock, { shopId: run.shopId, email: customer.value.email, days, actionRunId: run.actionRunId });
  // The merchant reads the outcome in the admin: the day the pause ends in the shop's zone, not UTC's.
  const shop = await db.shop.findUniqueOrThrow({ where: { id: run.shopId }, select: { timezone: true } });
  return { ok: true, outcome: `emails paused until ${formatDayInZone(until, shop.timezone)}` };
}

const APPLY: Record<string, Apply> = { awardPoints, sendDelayApology, pauseEmails: pauseCustomerEmails };

async function finish(db: PrismaClient, clock: Clock, run: FlowActionRun, result: RunResult) {
  await db.flowActionRun.updateMany({
    where: { id: run.id, status: "accepted" },
    data: result.ok
      ? { status: "done", outcome: result.outcome.slice(0, 500), finishedAt: clock.now() }
      : { status: "failed", error: result.error.slice(0, 500), finishedAt: clock.now() },
  });
}

/** The job of one accepted run. A transient failure is retried by the queue; the last attempt's failure fails the run. */
export const runFlowAction: JobHandler = async (job: Job, deps: JobDeps) => {
  const { runId } = job.payload as { runId?: string };
  const run = runId ? await deps.db.flowActionRun.findUnique({ where: { id: runId } }) : null;
  if (!run || run.status !== "accepted") return; // redacted meanwhile, or applied by an earlier attempt
  const key = actionKeyOf(run.handle);
  const apply = key ? APPLY[key] : undefined;
  let result: RunResult;
  try {
    result = apply ? await apply(deps.db, deps.clock, run, run.properties as Props) : fail(`Trustloop has no action "${run.handle}"`);
  } catch (error) {
    if (job.attempts >= MAX_JOB_ATTEMPTS) await finish(deps.db, deps.clock, run, fail("Trustloop could not apply this run; it gave up after several tries"));
    throw error;
  }
  await finish(deps.db, deps.clock, run, result);
  deps.log({ msg: result.ok ? "flow action done" : "flow action failed", handle: run.handle, runId: run.id, ...(result.ok ? {} : { error: result.error }) });
};

/** The worker's handlers of Flow action runs (app/worker.ts). */
export function flowActionJobHandlers(): Record<string, JobHandler> {
  return { [FLOW_ACTION_JOB]: runFlowAction };
}
