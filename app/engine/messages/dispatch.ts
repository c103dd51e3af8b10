// The send path of the worker: claim a due message, re-check it, respect quiet hours and the
// frequency cap (defer, never drop), render, send over SMTP, and record the honest outcome.
import type { Customer, Flow, Message, Prisma, PrismaClient, Shop } from "@prisma/client";
import pRetry from "p-retry";
import type { Clock } from "../clock";
import { suppress, suppressionFor } from "../consent/suppression";
import type { RenderInput, RenderResult } from "../email/render";
import type { Mailer } from "../email/transport";
import { needsProductTags, parseConditions } from "../flows/conditions";
import { nextAllowedSendTime } from "../schedule/quiet-hours";
import { capDeferral, isCapped } from "../schedule/frequency-cap";
import { fetchMarketingState } from "../shopify/customers";
import { fetchProducts, type ProductInfo, type ShopGraphql } from "../shopify/products";
import { addQueueJob, TASKS } from "../queue/queue";
import { claimMessage, takeSendingLease, type Claim } from "./claim";
import { outgoing, renderInput } from "./compose";
import { checkEligibility, supersededReason, throttleReason } from "./eligibility";
import { createMessage, dedupeKey } from "../flows/planner";
import type { OrderWithShipments } from "../flows/anchors";
import { RetryLater, type FlowExtension, type Prepared } from "./extensions";
import { recordEvent, transition } from "./ledger";
import { lockKey, retryingTransaction } from "../util/locks";

export interface DispatchDeps {
  db: PrismaClient;
  clock: Clock;
  workerId: string;
  mailer: Mailer;
  render: (input: RenderInput) => Promise<RenderResult>;
  graphql: ShopGraphql;
  links: { unsubscribe(messageId: string): string; preferences(messageId: string): string; click(messageId: string, url: string): string };
  from: { address: string; name: string | null };
  messageIdDomain: string;
  log: (event: { msg: string } & Record<string, unknown>) => void;
  /** Flow-specific preparation (apology codes, review links…), by flow key. */
  extensions?: Record<string, FlowExtension>;
  /** The lease a send job takes on its message while it checks and renders (default 120 s). */
  leaseMs?: number;
  /** The sending lease, renewed every third of it while the SMTP transaction lasts (default SENDING_LEASE_MS). */
  sendingLeaseMs?: number;
}

const MAX_ATTEMPTS = 8;
const retryDelayMs = (attempt: number) => Math.min(60_000 * 2 ** (attempt - 1), 6 * 3_600_000);


/** The sending lease: a message "sending" longer than this without renewal is taken as abandoned. */
export const SENDING_LEASE_MS = 120_000;

/** How soon a message waiting for an earlier one of its order looks again. */
const WAIT_FOR_EARLIER_MS = 2_000;

/** The send job again for later (a new job: the one running now is done when this returns). */
const sendAgainAt = (deps: DispatchDeps, messageId: string, runAt: Date) => addQueueJob(deps.db, { task: TASKS.sendMessage, payload: { messageId }, key: `send:${messageId}`, runAt });

/** The queue's "message_send" task for one message. Returns what it found. */
export async function sendMessage(deps: DispatchDeps, messageId: string): Promise<Exclude<Claim, { ok: true }>["why"] | "waiting" | "handled"> {
  const claim = await claimMessage(deps.db, deps.clock, messageId, { workerId: deps.workerId, leaseMs: deps.leaseMs ?? 120_000 });
  if (!claim.ok) {
    // Ran before its (app-clock) time, or another worker holds it: look again then.
    if (claim.why === "notDue" || claim.why === "busy") await sendAgainAt(deps, messageId, claim.retryAt);
    return claim.why;
  }
  const message = claim.message;
  if (await earlierOfSameOrder(deps.db, message, deps.clock.now())) {
    // One order's mail goes out in the order it was due (a thank-you held by quiet hours before
    // the delay notice held with it): this one waits for the earlier one to be settled.
    await deps.db.message.updateMany({ where: { id: message.id, lockedBy: deps.workerId }, data: { lockedBy: null, lockedUntil: null } });
    await sendAgainAt(deps, messageId, new Date(deps.clock.now().getTime() + WAIT_FOR_EARLIER_MS));
    return "waiting";
  }
  try {
    await dispatchOne(deps, message);
  } catch (error) {
    // Unexpected (database, Admin API): release the lease and try again later.
    const reason = error instanceof Error ? error.message : String(error);
    await transition(deps.db, deps.clock, message, {
      from: ["scheduled", "deferred"],
      to: "deferred",
      lockedBy: deps.workerId,
      event: "retry",
      reason: `will retry: ${reason.slice(0, 300)}`,
      data: { lockedBy: null, lockedUntil: null, sendAt: new Date(deps.clock.now().getTime() + retryDelayMs(1)) },
    });
    deps.log({ msg: "dispatch error", level: "error", messageId: message.id, error: reason.slice(0, 300) });
  }
  return "handled";
}

/** Another message of the same order, due before this one and due now too, still to be settled. */
async function earlierOfSameOrder(db: PrismaClient, message: Message, now: Date): Promise<boolean> {
  if (!message.orderId) return false;
  const earlier = await db.message.findFirst({
    where: {
      orderId: message.orderId,
      id: { not: message.id },
      status: { in: ["scheduled", "deferred", "sending"] },
      sendAt: { lte: now },
      OR: [{ dueAt: { lt: message.dueAt } }, { dueAt: message.dueAt, id: { lt: message.id } }],
    },
    select: { id: true },
  });
  return earlier !== null;
}

async function dispatchOne(deps: DispatchDeps, message: Message) {
  const { db, clock } = deps;
  const now = clock.now();
  const release = { lockedBy: null, lockedUntil: null };
  const shop = await db.shop.findUniqueOrThrow({ where: { id: message.shopId } });
  const flow = await db.flow.findUniqueOrThrow({ where: { id: message.flowId } });
  const order = message.orderId
    ? await db.order.findUnique({ where: { id: message.orderId }, include: { lineItems: true, fulfillments: true, refunds: true } })
    : null;
  let customer = order?.customerShopifyId
    ? await db.customer.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.customerShopifyId } } })
    : null;
  if (message.category === "marketing" && customer) customer = await refreshConsent(deps, shop.domain, customer);
  const email = order?.email ?? customer?.email ?? null;
  const productIds = order?.lineItems.map((li) => li.productId).filter((id): id is string => !!id) ?? [];
  const wantsProducts = order !== null && (needsProductTags(parseConditions(flow.conditions)) || productIds.length > 0);
  const products: Map<string, ProductInfo> = wantsProducts ? await lookupProducts(deps, shop.domain, productIds) : new Map();
  const previousOrders = order?.placedAt
    ? await db.order.count({
        where: {
          shopId: shop.id,
          id: { not: order.id },
          cancelledAt: null,
          placedAt: { lt: order.placedAt },
          ...(order.customerShopifyId ? { customerShopifyId: order.customerShopifyId } : { email: order.email ?? "" }),
        },
      })
    : 0;

  const verdict = checkEligibility({
    message,
    shop,
    flow,
    order,
    customer,
    suppression: await suppressionFor(db, shop.id, email ?? ""),
    previousOrders,
    productTags: products.size ? [...products.values()].flatMap((p) => p.tags) : null,
  });
  const throttled = verdict.send
    ? ((await supersededReason(db, message, flow)) ?? (await throttleReason(db, message, flow, verdict.recipient, now)))
    : null;
  if (!verdict.send || throttled) {
    const [status, reason] = verdict.send ? (["skipped", throttled!] as const) : [verdict.status, verdict.reason];
    await transition(db, clock, message, { from: ["scheduled", "deferred"], to: status, reason, lockedBy: deps.workerId, data: release });
    return;
  }

  // Timing: quiet hours in the recipient's zone, then (survey and marketing mail only) the
  // per-customer frequency cap, which every kind of mail sent to the address counts towards.
  const timezone = message.timezone ?? shop.timezone;
  const capUntil = isCapped(message.category) ? await capFor(db, shop, verdict.recipient, now) : null;
  const notBefore = nextAllowedSendTime(capUntil ?? now, timezone, { start: shop.quietHoursStart, end: shop.quietHoursEnd });
  if (notBefore.getTime() > now.getTime()) {
    const why = capUntil
      ? `frequency cap (${shop.frequencyCapCount} per ${shop.frequencyCapHours} h)`
      : `quiet hours (${shop.quietHoursStart}–${shop.quietHoursEnd} ${timezone})`;
    await transition(db, clock, message, {
      from: ["scheduled", "deferred"],
      to: "deferred",
      reason: `${why}: until ${notBefore.toISOString()}`,
      lockedBy: deps.workerId,
      data: { ...release, sendAt: notBefore, recipient: verdict.recipient },
    });
    return;
  }

  let prepared: Extract<Prepared, { ok: true }> | null = null;
  const extension = deps.extensions?.[flow.key];
  if (extension && order) {
    let outcome: Prepared;
    try {
      outcome = await extension.prepare({ db, clock, graphql: deps.graphql, message, flow, shop, order, customer, timezone, locale: order.locale ?? customer?.locale ?? null });
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error;
      await transition(db, clock, message, {
        from: ["scheduled", "deferred"],
        to: "deferred",
        event: "retry",
        reason: `waiting: ${error.message}`,
        lockedBy: deps.workerId,
        data: { ...release, sendAt: new Date(now.getTime() + retryDelayMs(message.attempts + 1)), attempts: { increment: 1 } },
      });
      return;
    }
    if (!outcome.ok) {
      await transition(db, clock, message, { from: ["scheduled", "deferred"], to: outcome.status, reason: outcome.reason, lockedBy: deps.workerId, data: release });
      return;
    }
    prepared = outcome;
    if (outcome.note) await recordEvent(db, clock, message.id, "note", outcome.note);
  }

  const result = await deps.render(renderInput(deps, message, shop, flow, order!, customer, timezone, products, prepared));
  const rendered: RenderResult =
    result.ok && !result.email.subject ? { ok: false, error: { kind: "render", field: "subject", message: "the subject renders empty" } } : result;
  if (!rendered.ok) {
    const e = rendered.error;
    await transition(db, clock, message, {
      from: ["scheduled", "deferred"],
      to: "failed",
      reason: `template ${e.kind} error${e.field ? ` in ${e.field}` : ""}${e.line ? ` (line ${e.line})` : ""}: ${e.message}`,
      lockedBy: deps.workerId,
      data: release,
    });
    return;
  }

  // From here the outcome may be uncertain: mark "sending" first (see markAbandonedSends).
  const sending = await claimSendSlot(deps, message, shop, flow, verdict.recipient, timezone, {
    recipient: verdict.recipient,
    subject: rendered.email.subject,
    attempts: { increment: 1 },
  });
  if (!sending) return; // cancelled, throttled or deferred meanwhile
  const outcome = await whileLeased(deps, message, () => deps.mailer.send(outgoing(deps, message, shop, verdict.recipient, rendered.email)));
  const attempts = message.attempts + 1;
  const after = { from: ["sending"] as ["sending"], lockedBy: deps.workerId };
  switch (outcome.status) {
    case "sent": {
      const sentAt = clock.now();
      // The reminder is planned with the sent status, so a retried recording never loses it.
      await recordOutcome(deps, message, () =>
        db.$transaction(async (tx) => {
          const recorded = await transition(tx, clock, message, { ...after, to: "sent", data: { ...release, sentAt } });
          if (recorded && flow.reminderDelayMinutes && message.step === "main" && order) await scheduleReminder(tx, deps.clock, shop, flow, order, message, sentAt);
        }),
      );
      deps.log({ msg: "email sent", messageId: message.id, flow: flow.key });
      return;
    }
    case "transient":
      if (attempts >= MAX_ATTEMPTS) {
        await recordOutcome(deps, message, () => transition(db, clock, message, { ...after, to: "failed", reason: `gave up after ${attempts} attempts: ${outcome.error}`, data: release }));
      } else {
        await recordOutcome(deps, message, () =>
          transition(db, clock, message, {
            ...after,
            to: "scheduled",
            event: "retry",
            reason: `attempt ${attempts} failed (${outcome.error}); retrying`,
            data: { ...release, sendAt: new Date(clock.now().getTime() + retryDelayMs(attempts)) },
          }),
        );
      }
      return;
    case "permanent":
      // The failure and (for a refused recipient) the bounce commit together.
      await recordOutcome(deps, message, () =>
        db.$transaction(async (tx) => {
          const recorded = await transition(tx, clock, message, { ...after, to: "failed", reason: `rejected by the mail server (${outcome.code}): ${outcome.error}`, data: release });
          // Only a refused recipient is a bounce; a refused sender or content is our problem, not theirs.
          if (recorded && outcome.stage === "recipient") {
            await suppress(tx, clock, { shopId: shop.id, email: verdict.recipient, scope: "all", reason: "bounce", detail: `${outcome.code} ${outcome.error}`.slice(0, 300) });
          }
        }),
      );
      return;
    case "unknown":
      await recordOutcome(deps, message, () => transition(db, clock, message, { ...after, to: "unknown", reason: `delivery outcome unknown (${outcome.error}); not re-sent automatically`, data: release }));
      return;
  }
}

/**
 * Records what the SMTP server answered. The answer is known, so a database that is briefly away
 * (a restart, a failover) must not turn it into "unknown": the recording is tried again for about
 * half a minute, under the sending lease. Each recording is a conditional transition from
 * "sending", so one that runs again after a commit whose answer was lost changes nothing.
 */
function recordOutcome(deps: DispatchDeps, message: Message, record: () => Promise<unknown>): Promise<unknown> {
  return whileLeased(deps, message, () =>
    pRetry(record, {
      retries: 8,
      minTimeout: 250,
      maxTimeout: 5_000,
      onFailedAttempt: ({ error, attemptNumber }) =>
        deps.log({ msg: "recording the send's outcome failed; trying again", level: "warn", messageId: message.id, attempt: attemptNumber, error: error.message.slice(0, 200) }),
    }),
  );
}

/**
 * The send gate: under a lock on the recipient (and customer), the flow throttle (the NPS survey's
 * once per 90 days) and the frequency cap are checked again, counting emails that other workers
 * are sending right now, and the message becomes "sending" in the same transaction. Two workers
 * with two emails for one customer thus pass one at a time: the second sees the first.
 */
async function claimSendSlot(
  deps: DispatchDeps,
  message: Message,
  shop: Shop,
  flow: Flow,
  recipient: string,
  timezone: string,
  data: Prisma.MessageUpdateManyMutationInput,
): Promise<boolean> {
  const { db, clock } = deps;
  const release = { lockedBy: null, lockedUntil: null };
  const pending: ("scheduled" | "deferred")[] = ["scheduled", "deferred"];
  return retryingTransaction(db, async (tx) => {
    await lockKey(tx, "send", shop.id, "recipient", recipient);
    if (message.customerShopifyId) await lockKey(tx, "send", shop.id, "customer", message.customerShopifyId);
    const now = clock.now();
    const throttled = await throttleReason(tx, message, flow, recipient, now);
    if (throttled) {
      await transition(tx, clock, message, { from: pending, to: "skipped", reason: throttled, lockedBy: deps.workerId, data: release });
      return false;
    }
    const capUntil = isCapped(message.category) ? await capFor(tx, shop, recipient, now, message.id) : null;
    if (capUntil) {
      const notBefore = nextAllowedSendTime(capUntil, timezone, { start: shop.quietHoursStart, end: shop.quietHoursEnd });
      await transition(tx, clock, message, {
        from: pending,
        to: "deferred",
        reason: `frequency cap (${shop.frequencyCapCount} per ${shop.frequencyCapHours} h): until ${notBefore.toISOString()}`,
        lockedBy: deps.workerId,
        data: { ...release, sendAt: notBefore, recipient },
      });
      return false;
    }
    // The lease starts now, at the transition (not when the job began its checks and render).
    if (!(await transition(tx, clock, message, { from: pending, to: "sending", lockedBy: deps.workerId, data }))) return false;
    await takeSendingLease(tx, message.id, deps.workerId, deps.sendingLeaseMs ?? SENDING_LEASE_MS);
    return true;
  });
}

/** Renews the sending lease while `send` lasts (a slow SMTP server), every third of the lease. */
async function whileLeased<T>(deps: DispatchDeps, message: Message, send: () => Promise<T>): Promise<T> {
  const leaseMs = deps.sendingLeaseMs ?? SENDING_LEASE_MS;
  const renew = setInterval(() => {
    takeSendingLease(deps.db, message.id, deps.workerId, leaseMs).catch((error: unknown) => deps.log({ msg: "lease renewal failed", level: "error", messageId: message.id, error: (error as Error).message.slice(0, 200) }));
  }, leaseMs / 3);
  try {
    return await send();
  } finally {
    clearInterval(renew);
  }
}

/**
 * When the cap lets another email to this address go out (null: now). An email being sent by
 * another worker (status "sending", `except` aside) counts as sent now.
 */
async function capFor(db: PrismaClient | Prisma.TransactionClient, shop: Shop, recipient: string, now: Date, except?: string): Promise<Date | null> {
  const recent = await db.message.findMany({
    where: {
      shopId: shop.id,
      recipient,
      OR: [
        { status: "sent", sentAt: { gt: new Date(now.getTime() - shop.frequencyCapHours * 3_600_000) } },
        { status: "sending", ...(except ? { id: { not: except } } : {}) },
      ],
    },
    select: { sentAt: true },
  });
  return capDeferral({ sentAt: recent.map((r) => r.sentAt ?? now), now, cap: { count: shop.frequencyCapCount, hours: shop.frequencyCapHours } });
}

/** One reminder after the main email (reviews); its extension skips it when the customer answered. */
async function scheduleReminder(tx: Prisma.TransactionClient, clock: Clock, shop: Shop, flow: Flow, order: OrderWithShipments, message: Message, sentAt: Date) {
  const dueAt = new Date(sentAt.getTime() + flow.reminderDelayMinutes! * 60_000);
  if (await tx.message.findUnique({ where: { dedupeKey: dedupeKey(shop.id, order.shopifyId, flow.key, "reminder") } })) return;
  await createMessage(tx, clock, { shop, order, flow, step: "reminder", anchor: { kind: "previous_send", at: sentAt }, dueAt, timezone: message.timezone ?? shop.timezone });
}

async function refreshConsent(deps: DispatchDeps, shopDomain: string, customer: Customer): Promise<Customer> {
  try {
    const state = await fetchMarketingState(deps.graphql, shopDomain, customer.shopifyId);
    if (state === customer.marketingConsent) return customer;
    return await deps.db.customer.update({ where: { id: customer.id }, data: { marketingConsent: state } });
  } catch (error) {
    // Unknown is not consent: the stored state decides, and it is checked below.
    deps.log({ msg: "consent lookup failed", level: "error", shop: shopDomain, error: (error as Error).message.slice(0, 200) });
    return customer;
  }
}

async function lookupProducts(deps: DispatchDeps, shopDomain: string, ids: string[]): Promise<Map<string, ProductInfo>> {
  try {
    return await fetchProducts(deps.graphql, shopDomain, ids);
  } catch (error) {
    // Links and images are a nicety; a product-tag condition without tags is checked as unknown.
    deps.log({ msg: "product lookup failed", level: "error", shop: shopDomain, error: (error as Error).message.slice(0, 200) });
    return new Map();
  }
}
