// One customer's order history in figures (CustomerStat), refreshed from their orders whenever one
// of them changes. Cohorts, repeat rates and the flows' lift are built from these rows.
import type { Prisma, PrismaClient } from "@prisma/client";
import { DAY_MS } from "./days";
import { touchDays } from "./touch";

type Tx = Prisma.TransactionClient | PrismaClient;

export const LTV_WINDOW_DAYS = 90;

/** Orders that count as purchases: real (not test), not cancelled, with a date. */
export const COUNTED_ORDER = { placeholder: false, test: false, cancelledAt: null, placedAt: { not: null } } satisfies Prisma.OrderWhereInput;

export interface CountedOrder {
  placedAt: Date;
  totalCents: number | null;
  refundedCents: number;
}

export interface CustomerFigures {
  orderCount: number;
  firstOrderAt: Date;
  secondOrderAt: Date | null;
  lastOrderAt: Date;
  revenueCents: number;
  revenue90Cents: number;
}

/** Who an order belongs to for the metrics: the customer, or the email of a guest checkout. */
export function statsKeyOf(order: { customerShopifyId: string | null; email: string | null }): string | null {
  return order.customerShopifyId ?? (order.email?.trim() || null);
}

/** A shop's orders of some customer keys (shop first: it is the prefix of the customer index). */
export function ordersOfKeys(shopId: string, keys: string[]): Prisma.OrderWhereInput {
  const gids = keys.filter((k) => k.startsWith("gid://"));
  const emails = keys.filter((k) => !k.startsWith("gid://"));
  return { OR: [{ shopId, customerShopifyId: { in: gids } }, { shopId, customerShopifyId: null, email: { in: emails } }] };
}

export const netCents = (o: Pick<CountedOrder, "totalCents" | "refundedCents">) => Math.max(0, (o.totalCents ?? 0) - o.refundedCents);

/** The figures of one customer's counted orders (null when there are none). */
export function customerFigures(orders: CountedOrder[]): CustomerFigures | null {
  if (!orders.length) return null;
  const sorted = [...orders].sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  const first = sorted[0].placedAt;
  const ltvEnd = first.getTime() + LTV_WINDOW_DAYS * DAY_MS;
  return {
    orderCount: sorted.length,
    firstOrderAt: first,
    secondOrderAt: sorted[1]?.placedAt ?? null,
    lastOrderAt: sorted[sorted.length - 1].placedAt,
    revenueCents: sorted.reduce((sum, o) => sum + netCents(o), 0),
    revenue90Cents: sorted.filter((o) => o.placedAt.getTime() < ltvEnd).reduce((sum, o) => sum + netCents(o), 0),
  };
}

const sameFigures = (a: CustomerFigures | null, b: CustomerFigures | null) =>
  (a === null && b === null) ||
  (a !== null &&
    b !== null &&
    a.orderCount === b.orderCount &&
    a.firstOrderAt.getTime() === b.firstOrderAt.getTime() &&
    (a.secondOrderAt?.getTime() ?? null) === (b.secondOrderAt?.getTime() ?? null) &&
    a.lastOrderAt.getTime() === b.lastOrderAt.getTime() &&
    a.revenueCents === b.revenueCents &&
    a.revenue90Cents === b.revenue90Cents);

/**
 * Instants whose rollup days a caller marks once for many order writes (the history import: once
 * per chunk, with touchDays); without it each write marks its own days at once.
 */
export type DayMarks = (Date | null | undefined)[];

async function markLater(tx: Tx, shopId: string, marks: DayMarks | undefined, ...instants: (Date | null | undefined)[]) {
  if (marks) marks.push(...instants);
  else await touchDays(tx, shopId, ...instants);
}

/**
 * Recomputes one customer's row from their orders and marks the days whose figures depend on it:
 * the old and new first-order days (cohorts) and the days of the flow messages their orders got
 * (lift compares whether those customers ordered again).
 */
export async function refreshCustomerStat(tx: Tx, shopId: string, customerKey: string, marks?: DayMarks) {
  const orders = await tx.order.findMany({
    where: ordersOfKeys(shopId, [customerKey]),
    select: { id: true, placeholder: true, test: true, cancelledAt: true, placedAt: true, totalCents: true, refunds: { select: { amountCents: true } } },
  });
  const counted = orders
    .filter((o) => !o.placeholder && !o.test && !o.cancelledAt && o.placedAt)
    .map((o) => ({ placedAt: o.placedAt!, totalCents: o.totalCents, refundedCents: o.refunds.reduce((s, r) => s + r.amountCents, 0) }));
  const after = customerFigures(counted);
  const row = await tx.customerStat.findUnique({ where: { shopId_customerKey: { shopId, customerKey } } });
  const before: CustomerFigures | null = row;
  if (sameFigures(before, after)) return;

  if (after) await tx.customerStat.upsert({ where: { shopId_customerKey: { shopId, customerKey } }, create: { shopId, customerKey, ...after }, update: after });
  else if (row) await tx.customerStat.delete({ where: { id: row.id } });

  const exposures = await tx.message.findMany({
    where: { orderId: { in: orders.map((o) => o.id) }, status: { in: ["sent", "held_out"] } },
    select: { createdAt: true },
  });
  await markLater(tx, shopId, marks, before?.firstOrderAt, after?.firstOrderAt, ...exposures.map((m) => m.createdAt));
}

/**
 * Called after any write to an order (webhook, reconciliation, history import, redaction): the
 * order's day and its customer's figures, under the customer it had and the one it has now.
 */
export async function orderFiguresChanged(tx: Tx, shopId: string, orderId: string, marks?: DayMarks) {
  const order = await tx.order.findUnique({ where: { id: orderId }, select: { placedAt: true, customerShopifyId: true, email: true, statsKey: true } });
  if (!order) return;
  const key = statsKeyOf(order);
  if (key !== order.statsKey) await tx.order.update({ where: { id: orderId }, data: { statsKey: key } });
  await markLater(tx, shopId, marks, order.placedAt);
  for (const k of new Set([order.statsKey, key])) if (k) await refreshCustomerStat(tx, shopId, k, marks);
}
