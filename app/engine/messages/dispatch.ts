// The send path of the worker: claim due messages, re-check each, respect quiet hours and the
// frequency cap (defer, never drop), render, send over SMTP, and record the honest outcome. The
// send jobs a worker runs at the same time go through here together (send-batch.ts).
import type { Customer, Flow, Message, Prisma, PrismaClient, Shop } from "@prisma/client";
import DataLoader from "dataloader";
import pRetry from "p-retry";
import type { Clock } from "../clock";
import { suppress, suppressionKey, suppressionsFor, type SuppressionState } from "../consent/suppression";
import type { RenderedEmail, RenderInput, RenderResult } from "../email/render";
import type { Mailer, SendOutcome } from "../email/transport";
import { needsProductTags, parseConditions } from "../flows/conditions";
import { nextAllowedSendTime } from "../schedule/quiet-hours";
import { capDeferral, isCapped } from "../schedule/frequency-cap";
import { fetchMarketingState } from "../shopify/customers";
import { fetchProducts, type ProductInfo, type ShopGraphql } from "../shopify/products";
import { addQueueJob, TASKS } from "../queue/queue";
import { claimMessages, markSent, startSending, takeSendingLease, type Claim } from "./claim";
import { outgoing, renderInput } from "./compose";
import { checkEligibility, SUPERSEDED_REASON, supersededIds, throttleReason } from "./eligibility";
import { createMessage, dedupeKey } from "../flows/planner";
import type { OrderWithShipments } from "../flows/anchors";
import { RetryLater, type FlowExtension, type Prepared } from "./extensions";
import { recordEvent, recordEvents, transition } from "./ledger";
import { lockKeys, retryingTransaction } from "../util/locks";
import { loggableError } from "../util/loggable";

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

export type SendResult = Exclude<Claim, { ok: true }>["why"] | "waiting" | "handled";

/** The queue's "message_send" task for one message. Returns what it found. */
export async function sendMessage(deps: DispatchDeps, messageId: string): Promise<SendResult> {
  return (await sendMessages(deps, [messageId]))[0];
}

/**
 * The send path for several messages at once (the send jobs a worker runs together, batch.ts):
 * one claim, one read of what the checks need, a gate that admits them in one transaction, SMTP
 * sends side by side over the pool, and the "sent" outcomes written together. Every message keeps
 * its own answer, and the rules are those of one message alone: a message whose checks fail
 * takes its own transition, and the rare outcomes (retries, failures, unknown) are written one
 * by one. Returns what was found for each id, in order.
 */
export async function sendMessages(deps: DispatchDeps, requested: string[]): Promise<SendResult[]> {
  const ids = [...new Set(requested)];
  const claims = await claimMessages(deps.db, deps.clock, ids, { workerId: deps.workerId, leaseMs: deps.leaseMs ?? 120_000 });
  const results = new Map<string, SendResult>();
  const won: Message[] = [];
  for (const id of ids) {
    const claim = claims.get(id)!;
    if (claim.ok) {
      won.push(claim.message);
      continue;
    }
    // Ran before its (app-clock) time, or another worker holds it: look again then.
    if (claim.why === "notDue" || claim.why === "busy") await sendAgainAt(deps, id, claim.retryAt);
    results.set(id, claim.why);
  }
  const waiting = await waitingForEarlier(deps.db, won, deps.clock.now());
  if (waiting.size) {
    // One order's mail goes out in the order it was due (a thank-you held by quiet hours before
    // the delay notice held with it): these wait for the earlier one to be settled.
    await deps.db.message.updateMany({ where: { id: { in: [...waiting] }, lockedBy: deps.workerId }, data: { lockedBy: null, lockedUntil: null } });
    for (const id of waiting) {
      await sendAgainAt(deps, id, new Date(deps.clock.now().getTime() + WAIT_FOR_EARLIER_MS));
      results.set(id, "waiting");
    }
  }
  const ready = won.filter((m) => !waiting.has(m.id));
  for (const m of ready) results.set(m.id, "handled");
  if (ready.length) await dispatchBatch(deps, ready);
  return requested.map((id) => results.get(id)!);
}

/** Of `messages`, those with another message of the same order due before them and due now too, still to be settled. */
async function waitingForEarlier(db: PrismaClient, messages: Message[], now: Date): Promise<Set<string>> {
  const ids = messages.filter((m) => m.orderId).map((m) => m.id);
  if (!ids.length) return new Set();
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT m.id FROM "Message" m WHERE m.id = ANY(${ids}::text[]) AND EXISTS (
      SELECT 1 FROM "Message" e WHERE e."orderId" = m."orderId" AND e.id <> m.id AND e.status IN ('scheduled', 'deferred', 'sending') AND e."sendAt" <= ${now}
        AND (e."dueAt" < m."dueAt" OR (e."dueAt" = m."dueAt" AND e.id < m.id)))`;
  return new Set(rows.map((r) => r.id));
}

/** Unexpected (database, Admin API): release the lease and try again later. */
async function retryLater(deps: DispatchDeps, message: Message, error: unknown) {
  const reason = error instanceof Error ? error.message : String(error);
  // The text stays on the message for the admin; the log gets the error's class and codes only
  // (a PostgreSQL or Admin API error's text can quote the customer's values).
  deps.log({ msg: "dispatch error", level: "error", messageId: message.id, ...loggableError(error) });
  await transition(deps.db, deps.clock, message, {
    from: ["scheduled", "deferred"],
    to: "deferred",
    lockedBy: deps.workerId,
    event: "retry",
    reason: `will retry: ${reason.slice(0, 300)}`,
    data: { lockedBy: null, lockedUntil: null, sendAt: new Date(deps.clock.now().getTime() + retryDelayMs(1)) },
  }).catch((failure: unknown) => deps.log({ msg: "dispatch error not recorded", level: "error", messageId: message.id, ...loggableError(failure) }));
}

/** What the checks of one message need, read for the whole batch at once (loadFacts). */
interface Facts {
  shop: Shop;
  flow: Flow;
  order: (OrderWithShipments & { lineItems: { productId: string | null }[] }) | null;
  customer: Customer | null;
  suppression: SuppressionState;
  previousOrders: number;
  superseded: boolean;
}

/** A message that passed its checks and rendered: what the gate, the send and the outcome need. */
interface Planned {
  message: Message;
  shop: Shop;
  flow: Flow;
  order: Facts["order"];
  recipient: string;
  timezone: string;
  email: RenderedEmail;
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
        const ready = await prepare(deps, message, facts.get(message.id)!);
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
  // "Sent" answers are written together: when the batch's last answer came, or at the latest
  // SENT_WRITE_WINDOW_MS after an answer (a slow send does not hold the others' records back
  // longer). Other answers are written one by one.
  let unanswered = admitted.length;
  let due: { write: () => void; timer: NodeJS.Timeout } | null = null;
  const writeNow = () => {
    if (!due) return;
    clearTimeout(due.timer);
    const { write } = due;
    due = null;
    write();
  };
  const sentWriter = new DataLoader<Planned, true>(async (batch) => (await recordSent(deps, [...batch]), batch.map(() => true as const)), {
    cache: false,
    batchScheduleFn: (write) => void (due = { write, timer: setTimeout(writeNow, SENT_WRITE_WINDOW_MS) }),
  });
  await whileLeased(deps, admitted.map((p) => p.message.id), () =>
    Promise.all(
      admitted.map(async (p) => {
        const outcome = await deps.mailer.send(outgoing(deps, p.message, p.shop, p.recipient, p.email)).catch(
          (error: unknown): SendOutcome => ({ status: "unknown", error: `the mailer failed: ${(error as Error).message}`.slice(0, 300) }),
        );
        unanswered--;
        if (outcome.status !== "sent") {
          if (unanswered === 0) writeNow();
          return recordOtherOutcome(deps, p, outcome);
        }
        const written = sentWriter.load(p);
        if (unanswered === 0) writeNow();
        await written.catch(() => {}); // left "sending": see recordOutcome
      }),
    ),
  );
}

const SENT_WRITE_WINDOW_MS = 100;

async function loadFacts(db: PrismaClient, messages: Message[]): Promise<Map<string, Facts>> {
  const orderIds = [...new Set(messages.flatMap((m) => (m.orderId ? [m.orderId] : [])))];
  const [shops, flows, orders] = await Promise.all([
    db.shop.findMany({ where: { id: { in: [...new Set(messages.map((m) => m.shopId))] } } }),
    db.flow.findMany({ where: { id: { in: [...new Set(messages.map((m) => m.flowId))] } } }),
    orderIds.length ? db.order.findMany({ where: { id: { in: orderIds } }, include: { lineItems: true, fulfillments: true, refunds: true } }) : [],
  ]);
  const shopById = new Map(shops.map((s) => [s.id, s]));
  const flowById = new Map(flows.map((f) => [f.id, f]));
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const customerGids = new Map<string, Set<string>>(); // by shop
  for (const o of orders) if (o.customerShopifyId) customerGids.set(o.shopId, (customerGids.get(o.shopId) ?? new Set()).add(o.customerShopifyId));
  const customers = customerGids.size
    ? await db.customer.findMany({ where: { OR: [...customerGids].map(([shopId, gids]) => ({ shopId, shopifyId: { in: [...gids] } })) } })
    : [];
  const customerOf = (o: { shopId: string; customerShopifyId: string | null } | null) =>
    (o?.customerShopifyId && customers.find((c) => c.shopId === o.shopId && c.shopifyId === o.customerShopifyId)) || null;
  const emailOf = (m: Message) => {
    const order = m.orderId ? (orderById.get(m.orderId) ?? null) : null;
    return order?.email ?? customerOf(order)?.email ?? "";
  };
  const [suppressions, previous, superseded] = await Promise.all([
    suppressionsFor(db, messages.map((m) => ({ shopId: m.shopId, email: emailOf(m) }))),
    previousOrderCounts(db, orders.filter((o) => o.placedAt).map((o) => o.id)),
    supersededIds(db, messages.flatMap((message) => (flowById.has(message.flowId) ? [{ message, flow: flowById.get(message.flowId)! }] : []))),
  ]);
  const facts = new Map<string, Facts>();
  for (const m of messages) {
    const shop = shopById.get(m.shopId);
    const flow = flowById.get(m.flowId);
    if (!shop || !flow) continue; // gone meanwhile: prepare() says so
    const order = m.orderId ? (orderById.get(m.orderId) ?? null) : null;
    facts.set(m.id, {
      shop,
      flow,
      order,
      customer: customerOf(order),
      suppression: suppressions.get(suppressionKey(m.shopId, emailOf(m)))!,
      previousOrders: order ? (previous.get(order.id) ?? 0) : 0,
      superseded: superseded.has(m.id),
    });
  }
  return facts;
}

/** Per order: the customer's earlier orders in the shop that were not cancelled (by customer id, else by address). */
async function previousOrderCounts(db: PrismaClient, orderIds: string[]): Promise<Map<string, number>> {
  if (!orderIds.length) return new Map();
  const rows = await db.$queryRaw<{ id: string; n: number }[]>`SELECT o.id,
      ((SELECT count(*) FROM "Order" p WHERE o."customerShopifyId" IS NOT NULL AND p."shopId" = o."shopId" AND p."customerShopifyId" = o."customerShopifyId"
          AND p.id <> o.id AND p."cancelledAt" IS NULL AND p."placedAt" < o."placedAt")
     + (SELECT count(*) FROM "Order" p WHERE o."customerShopifyId" IS NULL AND p."shopId" = o."shopId" AND p.email = coalesce(o.email, '')
          AND p.id <> o.id AND p."cancelledAt" IS NULL AND p."placedAt" < o."placedAt"))::int AS n
    FROM "Order" o WHERE o.id = ANY(${orderIds}::text[])`;
  return new Map(rows.map((r) => [r.id, r.n]));
}

/**
 * One message's checks with the batch's facts: eligibility, throttles, quiet hours and the cap
 * (defer, never drop), the flow's preparation, the render. A message that must not go out now
 * takes its transition here and gives null.
 */
async function prepare(deps: DispatchDeps, message: Message, facts: Facts | undefined): Promise<Planned | null> {
  if (!facts) throw new Error("the message's shop or flow is gone");
  const { db, clock } = deps;
  const now = clock.now();
  const release = { lockedBy: null, lockedUntil: null };
  const { shop, flow, order } = facts;
  let customer = facts.customer;
  if (message.category === "marketing" && customer) customer = await refreshConsent(deps, shop.domain, customer);
  const productIds = order?.lineItems.map((li) => li.productId).filter((id): id is string => !!id) ?? [];
  const wantsProducts = order !== null && (needsProductTags(parseConditions(flow.conditions)) || productIds.length > 0);
  const products: Map<string, ProductInfo> = wantsProducts ? await lookupProducts(deps, shop.domain, productIds) : new Map();

  const verdict = checkEligibility({
    message,
    shop,
    flow,
    order,
    customer,
    suppression: facts.suppression,
    previousOrders: facts.previousOrders,
    productTags: products.size ? [...products.values()].flatMap((p) => p.tags) : null,
  });
  const throttled = verdict.send ? ((facts.superseded ? SUPERSEDED_REASON : null) ?? (await throttleReason(db, message, flow, verdict.recipient, now))) : null;
  if (!verdict.send || throttled) {
    const [status, reason] = verdict.send ? (["skipped", throttled!] as const) : [verdict.status, verdict.reason];
    await transition(db, clock, message, { from: ["scheduled", "deferred"], to: status, reason, lockedBy: deps.workerId, data: release });
    return null;
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
    return null;
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
      return null;
    }
    if (!outcome.ok) {
      await transition(db, clock, message, { from: ["scheduled", "deferred"], to: outcome.status, reason: outcome.reason, lockedBy: deps.workerId, data: release });
      return null;
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
    return null;
  }
  return { message, shop, flow, order, recipient: verdict.recipient, timezone, email: rendered.email };
}

/**
 * The send gate: under a lock on each recipient (and customer), the flow throttle (the NPS
 * survey's once per 90 days) and the frequency cap are checked again, counting emails that other
 * workers are sending right now, and the messages become "sending" in the same transaction (from
 * here their outcome may be uncertain: see markAbandonedSends). Two workers with two emails for
 * one customer thus pass one at a time: the second sees the first. Messages that neither flow
 * throttle nor cap concerns (service mail) pass together; the others one by one after them, so
 * each counts those before it. Returns the messages admitted.
 */
async function openSendGate(deps: DispatchDeps, planned: Planned[]): Promise<Planned[]> {
  const { db, clock } = deps;
  const release = { lockedBy: null, lockedUntil: null };
  const pending: ("scheduled" | "deferred")[] = ["scheduled", "deferred"];
  const leaseMs = deps.sendingLeaseMs ?? SENDING_LEASE_MS;
  const sortedKeys = (kind: string, values: [string, string][]) => [...new Map(values.map(([shop, v]) => [`${shop}\n${v}`, ["send", shop, kind, v]])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, key]) => key);
  // Recipients first, then customers, each sorted: every gate takes its locks in one global order.
  const keys = [
    ...sortedKeys("recipient", planned.map((p) => [p.shop.id, p.recipient])),
    ...sortedKeys("customer", planned.flatMap((p) => (p.message.customerShopifyId ? [[p.shop.id, p.message.customerShopifyId] as [string, string]] : []))),
  ];
  const start = async (tx: Prisma.TransactionClient, batch: Planned[]) => {
    const moved = new Set(await startSending(tx, deps.workerId, leaseMs, batch.map((p) => ({ id: p.message.id, recipient: p.recipient, subject: p.email.subject }))));
    await recordEvents(tx, clock, [...moved].map((messageId) => ({ messageId, status: "sending" })));
    return batch.filter((p) => moved.has(p.message.id));
  };
  return retryingTransaction(db, async (tx) => {
    await lockKeys(tx, keys);
    const checked = (p: Planned) => !!p.flow.throttleDays || isCapped(p.message.category);
    const admitted = await start(tx, planned.filter((p) => !checked(p)));
    for (const p of planned.filter(checked)) {
      const now = clock.now();
      const throttled = await throttleReason(tx, p.message, p.flow, p.recipient, now);
      if (throttled) {
        await transition(tx, clock, p.message, { from: pending, to: "skipped", reason: throttled, lockedBy: deps.workerId, data: release });
        continue;
      }
      const capUntil = isCapped(p.message.category) ? await capFor(tx, p.shop, p.recipient, now, p.message.id) : null;
      if (capUntil) {
        const notBefore = nextAllowedSendTime(capUntil, p.timezone, { start: p.shop.quietHoursStart, end: p.shop.quietHoursEnd });
        await transition(tx, clock, p.message, {
          from: pending,
          to: "deferred",
          reason: `frequency cap (${p.shop.frequencyCapCount} per ${p.shop.frequencyCapHours} h): until ${notBefore.toISOString()}`,
          lockedBy: deps.workerId,
          data: { ...release, sendAt: notBefore, recipient: p.recipient },
        });
        continue;
      }
      admitted.push(...(await start(tx, [p])));
    }
    return admitted;
  });
}

/** "sent" for several messages in one transaction (with the reminders their flows plan). */
async function recordSent(deps: DispatchDeps, planned: Planned[]) {
  const { db, clock } = deps;
  await recordOutcome(deps, planned.map((p) => p.message.id), () =>
    db.$transaction(async (tx) => {
      const sentAt = clock.now();
      const recorded = new Set(await markSent(tx, deps.workerId, planned.map((p) => p.message.id), sentAt));
      await recordEvents(tx, clock, [...recorded].map((messageId) => ({ messageId, status: "sent" })));
      // The reminder is planned with the sent status, so a retried recording never loses it.
      for (const { message, shop, flow, order } of planned) {
        if (recorded.has(message.id) && flow.reminderDelayMinutes && message.step === "main" && order) await scheduleReminder(tx, clock, shop, flow, order, message, sentAt);
      }
    }),
  );
  for (const { message, flow } of planned) deps.log({ msg: "email sent", messageId: message.id, flow: flow.key });
}

/** A transient, permanent or unknown answer of the SMTP server, for one message. */
async function recordOtherOutcome(deps: DispatchDeps, p: Planned, outcome: Exclude<SendOutcome, { status: "sent" }>) {
  const { db, clock } = deps;
  const { message } = p;
  const release = { lockedBy: null, lockedUntil: null };
  const attempts = message.attempts + 1;
  const after = { from: ["sending"] as ["sending"], lockedBy: deps.workerId };
  const record = (write: () => Promise<unknown>) => recordOutcome(deps, [message.id], write).catch(() => {}); // left "sending": see recordOutcome
  switch (outcome.status) {
    case "transient":
      if (attempts >= MAX_ATTEMPTS) {
        await record(() => transition(db, clock, message, { ...after, to: "failed", reason: `gave up after ${attempts} attempts: ${outcome.error}`, data: release }));
      } else {
        await record(() =>
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
      await record(() =>
        db.$transaction(async (tx) => {
          const recorded = await transition(tx, clock, message, { ...after, to: "failed", reason: `rejected by the mail server (${outcome.code}): ${outcome.error}`, data: release });
          // Only a refused recipient is a bounce; a refused sender or content is our problem, not theirs.
          if (recorded && outcome.stage === "recipient") {
            await suppress(tx, clock, { shopId: p.shop.id, email: p.recipient, scope: "all", reason: "bounce", detail: `${outcome.code} ${outcome.error}`.slice(0, 300) });
          }
        }),
      );
      return;
    case "unknown":
      await record(() => transition(db, clock, message, { ...after, to: "unknown", reason: `delivery outcome unknown (${outcome.error}); not re-sent automatically`, data: release }));
      return;
  }
}

/**
 * Records what the SMTP server answered. The answer is known, so a database that is briefly away
 * (a restart, a failover) must not turn it into "unknown": the recording is tried again for about
 * half a minute, under the sending lease. Each recording is a conditional transition from
 * "sending", so one that runs again after a commit whose answer was lost changes nothing. If it
 * still fails, the message stays "sending" and its lease decides (unknown, never re-sent).
 */
async function recordOutcome(deps: DispatchDeps, ids: string[], record: () => Promise<unknown>): Promise<unknown> {
  try {
    return await pRetry(record, {
      retries: 8,
      minTimeout: 250,
      maxTimeout: 5_000,
      onFailedAttempt: ({ error, attemptNumber }) =>
        deps.log({ msg: "recording the send's outcome failed; trying again", level: "warn", messageIds: ids.slice(0, 20), count: ids.length, attempt: attemptNumber, ...loggableError(error) }),
    });
  } catch (error) {
    deps.log({ msg: "the send's outcome was not recorded; its lease decides", level: "error", messageIds: ids.slice(0, 20), count: ids.length, ...loggableError(error) });
    throw error;
  }
}

/** Renews the sending lease of `ids` while `send` lasts (a slow SMTP server), every third of the lease. */
async function whileLeased<T>(deps: DispatchDeps, ids: string[], send: () => Promise<T>): Promise<T> {
  const leaseMs = deps.sendingLeaseMs ?? SENDING_LEASE_MS;
  const renew = setInterval(() => {
    takeSendingLease(deps.db, ids, deps.workerId, leaseMs).catch((error: unknown) => deps.log({ msg: "lease renewal failed", level: "error", messageIds: ids.slice(0, 20), ...loggableError(error) }));
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
    deps.log({ msg: "consent lookup failed", level: "error", shop: shopDomain, ...loggableError(error) });
    return customer;
  }
}

async function lookupProducts(deps: DispatchDeps, shopDomain: string, ids: string[]): Promise<Map<string, ProductInfo>> {
  try {
    return await fetchProducts(deps.graphql, shopDomain, ids);
  } catch (error) {
    // Links and images are a nicety; a product-tag condition without tags is checked as unknown.
    deps.log({ msg: "product lookup failed", level: "error", shop: shopDomain, ...loggableError(error) });
    return new Map();
  }
}
