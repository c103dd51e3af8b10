// The points ledger: enrolment and earning from the order mirror (in the webhook's transaction),
// pro-rata reversals, approval after the return window, manual adjustments. Every entry has a
// dedupe key, and amounts are computed from the ledger inside a transaction that holds the
// member's row lock (and, for order changes, the order's), so redelivered or concurrent webhooks,
// approvals, adjustments and redemptions never count twice and never push a balance below zero
// (docs/decisions/026-concurrent-transactions.md).
import type { LoyaltyMember, LoyaltySettings, PointsEntry, Prisma, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { touchDays } from "../dashboard/touch";
import type { AnchorKind } from "../flows/anchors";
import { createMessage, dedupeKey } from "../flows/planner";
import { tierReachedEvent } from "../flow/payloads";
import { recordFlowTrigger } from "../flow/triggers";
import { enqueueJob } from "../queue/jobs";
import { recipientTimezone } from "../schedule/timezones";
import { normalizeEmail } from "../util/email";
import { lockRow, retryingTransaction } from "../util/locks";
import { planTierReached } from "../journeys/occasions";
import { parseTiers, pointsForOrder, reversalPoints, sumLedger, tierFor, tierRose } from "./points";

type Tx = Prisma.TransactionClient;
type AnyDb = Tx | PrismaClient;

const DAY_MS = 86_400_000;
const PAID = new Set(["paid", "partially_refunded", "refunded"]);
export const POINTS_FLOW_KEY = "points_earned";
export const SYNC_BALANCE_JOB = "loyalty.sync_balance";
const POINTS_ANCHOR: AnchorKind = "points_approved";

export async function loyaltySettingsFor(db: AnyDb, shopId: string): Promise<LoyaltySettings> {
  // INSERT … ON CONFLICT DO NOTHING: an upsert with nothing to update is a read then an insert,
  // which two first uses at once turn into a unique violation.
  await db.loyaltySettings.createMany({ data: [{ shopId }], skipDuplicates: true });
  return db.loyaltySettings.findUniqueOrThrow({ where: { shopId } });
}

/** The member row, created if missing (concurrent first orders of one buyer create it once). */
export async function ensureMember(tx: Tx, data: Prisma.LoyaltyMemberCreateManyInput): Promise<LoyaltyMember> {
  await tx.loyaltyMember.createMany({ data: [data], skipDuplicates: true });
  return tx.loyaltyMember.findUniqueOrThrow({ where: { shopId_email: { shopId: data.shopId, email: data.email } } });
}

export async function memberBalance(db: AnyDb, memberId: string): Promise<{ balance: number; pending: number }> {
  const rows = await db.pointsEntry.findMany({ where: { memberId }, select: { kind: true, points: true, status: true } });
  return sumLedger(rows);
}

/** Rolling 12-month spend (order totals net of refunds, cancelled orders excluded) up to `at`. */
export async function rollingSpendCents(db: AnyDb, shopId: string, member: Pick<LoyaltyMember, "email" | "customerShopifyId">, at: Date): Promise<number> {
  const who: Prisma.OrderWhereInput[] = [{ email: member.email }];
  if (member.customerShopifyId) who.push({ customerShopifyId: member.customerShopifyId });
  const orders = await db.order.findMany({
    where: { shopId, OR: who, cancelledAt: null, placeholder: false, placedAt: { gt: new Date(at.getTime() - 365 * DAY_MS), lte: at } },
    select: { totalCents: true, refunds: { select: { amountCents: true } } },
  });
  return orders.reduce((sum, o) => sum + Math.max(0, (o.totalCents ?? 0) - o.refunds.reduce((s, r) => s + r.amountCents, 0)), 0);
}

async function scheduleSync(tx: AnyDb, clock: Clock, member: Pick<LoyaltyMember, "id" | "shopId" | "customerShopifyId">) {
  if (!member.customerShopifyId) return;
  const now = clock.now();
  await enqueueJob(tx, { kind: SYNC_BALANCE_JOB, key: `${member.id}:${now.getTime()}`, shopId: member.shopId, payload: { memberId: member.id }, runAt: now });
}

type OrderWithRefunds = Prisma.OrderGetPayload<{ include: { refunds: true } }>;

/**
 * After the mirror of an order changed (call from the webhook's `replan`): enrol the buyer, create
 * the pending earn of a paid order, reverse refunds pro rata and a cancellation in full.
 */
export async function onOrderChanged(tx: Tx, clock: Clock, shop: Pick<Shop, "id">, orderId: string): Promise<void> {
  // Webhooks about one order (order, refund, cancellation) apply one after the other from here.
  if (!(await lockRow(tx, "Order", orderId))) return;
  const order = await tx.order.findUnique({ where: { id: orderId }, include: { refunds: true } });
  if (!order || order.placeholder || !order.email) return;
  const settings = await loyaltySettingsFor(tx, shop.id);
  const earnKey = `earn:${order.shopifyId}`;
  if (!settings.enabled && !(await tx.pointsEntry.findUnique({ where: { dedupeKey: earnKey } }))) return;

  const member = await enrolBuyer(tx, clock, shop.id, order, order.email);
  let earn = await tx.pointsEntry.findUnique({ where: { dedupeKey: earnKey } });
  if (!earn && settings.enabled && PAID.has(order.financialStatus ?? "") && !order.cancelledAt) {
    earn = await earnForOrder(tx, clock, settings, member, order, earnKey);
  }
  if (!earn || earn.status === "void") return;
  const changed = await reverseForOrder(tx, shop.id, order, earn);
  if (changed && earn.status === "approved") await scheduleSync(tx, clock, member);
}

/** The buyer's member row, locked (the balance is read and written under it; redemptions take it too) and linked to their customer. */
async function enrolBuyer(tx: Tx, clock: Clock, shopId: string, order: OrderWithRefunds, orderEmail: string): Promise<LoyaltyMember> {
  const customer = order.customerShopifyId
    ? await tx.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: order.customerShopifyId } } })
    : null;
  const member = await ensureMember(tx, {
    shopId,
    email: normalizeEmail(orderEmail),
    customerShopifyId: order.customerShopifyId,
    firstName: customer?.firstName ?? null,
    enrolledAt: order.placedAt ?? clock.now(),
  });
  await lockRow(tx, "LoyaltyMember", member.id);
  const locked = await tx.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } });
  if (locked.customerShopifyId || !order.customerShopifyId) return locked;
  return tx.loyaltyMember.update({ where: { id: member.id }, data: { customerShopifyId: order.customerShopifyId } });
}

/** The pending earn of a paid order, at the member's tier by rolling spend (the tier is updated); null when it earns nothing. */
async function earnForOrder(tx: Tx, clock: Clock, settings: LoyaltySettings, member: LoyaltyMember, order: OrderWithRefunds, earnKey: string) {
  const placedAt = order.placedAt ?? clock.now();
  const tier = tierFor(parseTiers(settings.tiers), await rollingSpendCents(tx, member.shopId, member, placedAt));
  const points = pointsForOrder(order, settings, tier?.multiplier ?? 1);
  if ((tier?.name ?? null) !== member.tier) await tx.loyaltyMember.update({ where: { id: member.id }, data: { tier: tier?.name ?? null } });
  const raised = tier && tierRose(parseTiers(settings.tiers), member.tier, tier.name) ? tier.name : null;
  if (raised) await planTierReached(tx, clock, member.shopId, order.id, raised);
  const reached = tier && tier.name !== member.tier && member.customerShopifyId ? tier.name : null; // Flow needs the customer
  if (reached) await recordFlowTrigger(tx, tierReachedEvent(member, reached, (await memberBalance(tx, member.id)).balance), clock);
  if (points <= 0) return null;
  const earn = await tx.pointsEntry.create({
    data: {
      shopId: member.shopId,
      memberId: member.id,
      dedupeKey: earnKey,
      kind: "earn",
      points,
      status: "pending",
      orderGid: order.shopifyId,
      availableAt: new Date(placedAt.getTime() + settings.pendingDays * DAY_MS),
      reason: `order ${order.name ?? order.shopifyId}${tier ? ` (${tier.name} ×${tier.multiplier})` : ""}`,
    },
  });
  await touchDays(tx, earn.shopId, earn.createdAt);
  return earn;
}

/** Reverses the order's refunds pro rata and its cancellation in full (once each); true when an entry was written. */
async function reverseForOrder(tx: Tx, shopId: string, order: OrderWithRefunds, earn: PointsEntry): Promise<boolean> {
  const reversals = await tx.pointsEntry.findMany({ where: { memberId: earn.memberId, kind: "reverse", orderGid: order.shopifyId } });
  let remaining = earn.points + reversals.reduce((s, r) => s + r.points, 0);
  const status = earn.status; // a reversal of a pending earn stays pending with it
  const refunds = [...order.refunds].sort((a, b) => (a.shopifyCreatedAt ?? a.createdAt).getTime() - (b.shopifyCreatedAt ?? b.createdAt).getTime());
  const done = new Set(reversals.map((r) => r.dedupeKey));
  let changed = false;

  const reverse = async (key: string, wanted: number, reason: string) => {
    let amount = Math.min(wanted, remaining);
    if (status === "approved") amount = Math.min(amount, Math.max(0, (await memberBalance(tx, earn.memberId)).balance));
    const reversal = await tx.pointsEntry.create({
      data: { shopId, memberId: earn.memberId, dedupeKey: key, kind: "reverse", points: -Math.max(0, amount), status, orderGid: order.shopifyId, reason },
    });
    await touchDays(tx, reversal.shopId, reversal.createdAt);
    remaining -= Math.max(0, amount);
    changed = true;
  };

  for (const refund of refunds) {
    const key = `reverse:${refund.shopifyId}`;
    if (done.has(key)) continue;
    await reverse(
      key,
      reversalPoints(earn.points, refund.amountCents, order.totalCents, remaining),
      `refund of ${(refund.amountCents / 100).toFixed(2)} on ${order.name ?? order.shopifyId}`,
    );
  }
  const cancelKey = `reverse:cancel:${order.shopifyId}`;
  if (order.cancelledAt && !done.has(cancelKey)) {
    await reverse(cancelKey, remaining, `order ${order.name ?? order.shopifyId} cancelled`);
    if (status === "pending") await voidPending(tx, shopId, pendingOfOrder(earn.memberId, order.shopifyId));
  }
  return changed;
}

/** A member's pending earn of an order and its pending reversals. */
const pendingOfOrder = (memberId: string, orderGid: string) =>
  ({ memberId, orderGid, status: "pending", kind: { in: ["earn", "reverse"] } }) satisfies Prisma.PointsEntryWhereInput;

/** Voids the entries `where` finds, marking their dashboard days. */
async function voidPending(tx: Tx, shopId: string, where: Prisma.PointsEntryWhereInput) {
  const voiding = await tx.pointsEntry.findMany({ where, select: { createdAt: true } }); // their rollup days
  await tx.pointsEntry.updateMany({ where, data: { status: "void" } });
  await touchDays(tx, shopId, ...voiding.map((e) => e.createdAt));
}

/**
 * Periodic: approves pending earns whose return window ended (a cancelled order's are voided), and
 * plans the Points earned email for each. Returns how many entries it handled.
 */
export async function approveDuePoints(db: PrismaClient, clock: Clock, limit = 100): Promise<number> {
  const now = clock.now();
  const due = await db.pointsEntry.findMany({
    where: { kind: "earn", status: "pending", availableAt: { lte: now } },
    orderBy: { availableAt: "asc" },
    take: limit,
    select: { id: true },
  });
  for (const { id } of due) {
    await retryingTransaction(db, async (tx) => {
      const owner = await tx.pointsEntry.findUnique({ where: { id }, select: { memberId: true } });
      if (!owner) return;
      await lockRow(tx, "LoyaltyMember", owner.memberId);
      const entry = await tx.pointsEntry.findUnique({ where: { id }, include: { member: true } });
      if (!entry || entry.status !== "pending" || !entry.orderGid) return;
      const order = await tx.order.findUnique({
        where: { shopId_shopifyId: { shopId: entry.shopId, shopifyId: entry.orderGid } },
        include: { lineItems: true, fulfillments: true, refunds: true },
      });
      const sameOrder = pendingOfOrder(entry.memberId, entry.orderGid);
      if (!order || order.cancelledAt) return voidPending(tx, entry.shopId, sameOrder);
      const pending = await tx.pointsEntry.findMany({ where: sameOrder });
      const net = pending.reduce((s, e) => s + e.points, 0);
      await tx.pointsEntry.updateMany({ where: { id: { in: pending.map((e) => e.id) } }, data: { status: "approved" } });
      await touchDays(tx, entry.shopId, ...pending.map((e) => e.createdAt));
      await scheduleSync(tx, clock, entry.member);
      if (net <= 0) return;

      const flow = await tx.flow.findFirst({ where: { shopId: entry.shopId, key: POINTS_FLOW_KEY, enabled: true } });
      if (!flow) return;
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: entry.shopId } });
      const step = `approved:${entry.id}`;
      if (await tx.message.findUnique({ where: { dedupeKey: dedupeKey(shop.id, order.shopifyId, flow.key, step) } })) return;
      await createMessage(tx, clock, {
        shop,
        order,
        flow,
        step,
        anchor: { kind: POINTS_ANCHOR, at: now },
        dueAt: new Date(now.getTime() + flow.delayMinutes * 60_000),
        timezone: recipientTimezone(order, shop.timezone),
      });
    });
  }
  return due.length;
}

export interface AdjustInput {
  memberId: string;
  points: number;
  reason: string;
  actor: string;
  requestId: string;
  /** Default `adjust:<requestId>`; a caller with its own idempotency key (a Flow run) names it. */
  dedupeKey?: string;
}

/** A manual adjustment (signed). A deduction never takes the balance below zero. */
export async function adjustPoints(db: PrismaClient, clock: Clock, input: AdjustInput): Promise<{ ok: true; balance: number } | { ok: false; error: string }> {
  if (!Number.isInteger(input.points) || input.points === 0) return { ok: false, error: "Enter a whole number of points other than 0." };
  const reason = input.reason.trim();
  if (!reason) return { ok: false, error: "A reason is required." };
  return retryingTransaction(db, async (tx) => {
    if (!(await lockRow(tx, "LoyaltyMember", input.memberId))) return { ok: false as const, error: "No such member." };
    const member = await tx.loyaltyMember.findUniqueOrThrow({ where: { id: input.memberId } });
    const key = input.dedupeKey ?? `adjust:${input.requestId}`;
    if (!(await tx.pointsEntry.findUnique({ where: { dedupeKey: key } }))) {
      const { balance } = await memberBalance(tx, member.id);
      if (balance + input.points < 0) return { ok: false as const, error: `The balance is ${balance} points: it cannot go below zero.` };
      const adjustment = await tx.pointsEntry.create({
        data: {
          shopId: member.shopId,
          memberId: member.id,
          dedupeKey: key,
          kind: "adjust",
          points: input.points,
          status: "approved",
          reason: reason.slice(0, 500),
          actor: input.actor.slice(0, 200),
        },
      });
      await touchDays(tx, adjustment.shopId, adjustment.createdAt);
      await scheduleSync(tx, clock, member);
    }
    return { ok: true as const, balance: (await memberBalance(tx, member.id)).balance };
  });
}
