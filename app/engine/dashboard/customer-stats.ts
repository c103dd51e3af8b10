// One customer's order history in figures (CustomerStat), refreshed from their orders whenever one
// of them changes. Cohorts, repeat rates and the flows' lift are built from these rows.
import type { Prisma, PrismaClient } from "@prisma/client";
import { DAY_MS } from "./days";
import { touchDays } from "./touch";
import { columnsOf, insertOf, insertOrUpdateRows, updateRows, type BulkUpdate } from "../util/bulk-update";

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
  return {
    OR: [
      { shopId, customerShopifyId: { in: gids } },
      { shopId, customerShopifyId: null, email: { in: emails } },
    ],
  };
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

const STATS_KEY_UPDATE: BulkUpdate = { table: "Order", match: ["id"], touch: true, set: [{ name: "statsKey", type: "text" }] };
const STAT_UPDATE: BulkUpdate = {
  table: "CustomerStat",
  match: ["shopId", "customerKey"],
  touch: true,
  set: [
    ...columnsOf("int", "orderCount"),
    ...columnsOf("timestamptz", "firstOrderAt", "secondOrderAt", "lastOrderAt"),
    ...columnsOf("int", "revenueCents", "revenue90Cents"),
  ],
};

const STAT_INSERT = insertOf(STAT_UPDATE, ["shopId", "customerKey"], ["shopId", "customerKey"], ["customerKey"]);

/**
 * orderFiguresChanged for many orders at once (the history import's chunks): the same rows and day
 * marks, each customer refreshed once for all of its orders, in a handful of statements.
 */
export async function ordersFiguresChanged(tx: Prisma.TransactionClient, shopId: string, orderIds: string[], marks: DayMarks) {
  if (!orderIds.length) return;
  const orders = await tx.order.findMany({
    where: { id: { in: orderIds } },
    select: { id: true, placedAt: true, customerShopifyId: true, email: true, statsKey: true },
  });
  const keys = new Set<string>();
  const moved: { id: string; statsKey: string | null }[] = [];
  for (const order of orders) {
    const key = statsKeyOf(order);
    if (key !== order.statsKey) moved.push({ id: order.id, statsKey: key });
    marks.push(order.placedAt);
    for (const k of [order.statsKey, key]) if (k) keys.add(k);
  }
  await updateRows(
    tx,
    STATS_KEY_UPDATE,
    moved.sort((a, b) => (a.id < b.id ? -1 : 1)),
  );
  await refreshCustomerStats(tx, shopId, [...keys], marks);
}

/** refreshCustomerStat for many customers: their orders read at once, the rows that changed written at once. */
export async function refreshCustomerStats(tx: Prisma.TransactionClient, shopId: string, keys: string[], marks: DayMarks) {
  if (!keys.length) return;
  const gids = keys.filter((k) => k.startsWith("gid://"));
  const emails = keys.filter((k) => !k.startsWith("gid://"));
  // Every order of those customers (as ordersOfKeys finds them) with its refunds' sum.
  const rows = await tx.$queryRaw<{ id: string; key: string; counted: boolean; placedAt: Date | null; totalCents: number | null; refundedCents: number }[]>`
    WITH o AS (
      SELECT id, COALESCE("customerShopifyId", email) AS key, placeholder, test, "cancelledAt", "placedAt", "totalCents"
      FROM "Order"
      WHERE "shopId" = ${shopId} AND ("customerShopifyId" = ANY(${gids}::text[]) OR ("customerShopifyId" IS NULL AND email = ANY(${emails}::text[])))
    )
    SELECT o.id, o.key, (NOT o.placeholder AND NOT o.test AND o."cancelledAt" IS NULL AND o."placedAt" IS NOT NULL) AS counted,
      o."placedAt", o."totalCents", COALESCE(r.cents, 0)::int AS "refundedCents"
    FROM o LEFT JOIN (
      SELECT "orderId", sum("amountCents") AS cents FROM "Refund" WHERE "shopId" = ${shopId} AND "orderId" IN (SELECT id FROM o) GROUP BY "orderId"
    ) r ON r."orderId" = o.id`;
  const byKey = new Map<string, { ids: string[]; counted: CountedOrder[] }>(keys.map((k) => [k, { ids: [], counted: [] }]));
  for (const row of rows) {
    const entry = byKey.get(row.key);
    if (!entry) continue;
    entry.ids.push(row.id);
    if (row.counted) entry.counted.push({ placedAt: row.placedAt!, totalCents: row.totalCents, refundedCents: row.refundedCents });
  }
  const stored = new Map((await tx.customerStat.findMany({ where: { shopId, customerKey: { in: keys } } })).map((row) => [row.customerKey, row]));
  const changed: { key: string; before: CustomerFigures | null; after: CustomerFigures | null }[] = [];
  for (const [key, { counted }] of byKey) {
    const before: CustomerFigures | null = stored.get(key) ?? null;
    const after = customerFigures(counted);
    if (!sameFigures(before, after)) changed.push({ key, before, after });
  }
  if (!changed.length) return;
  changed.sort((a, b) => (a.key < b.key ? -1 : 1));
  const written = changed.filter((c) => c.after).map((c) => ({ shopId, customerKey: c.key, ...c.after! }));
  await insertOrUpdateRows(tx, { insert: STAT_INSERT, update: STAT_UPDATE }, written, "customerKey", (w) => !stored.has(w.customerKey));
  const gone = changed.filter((c) => !c.after && stored.has(c.key)).map((c) => stored.get(c.key)!.id);
  if (gone.length) await tx.customerStat.deleteMany({ where: { id: { in: gone } } });

  // The days of the flow messages their orders got (lift compares whether those customers ordered again).
  const orderIds = changed.flatMap((c) => byKey.get(c.key)!.ids);
  const exposures = orderIds.length
    ? await tx.$queryRaw<
        { createdAt: Date }[]
      >`SELECT "createdAt" FROM "Message" WHERE "orderId" = ANY(${orderIds}::text[]) AND status::text IN ('sent', 'held_out')`
    : [];
  marks.push(...changed.flatMap((c) => [c.before?.firstOrderAt, c.after?.firstOrderAt]), ...exposures.map((m) => m.createdAt));
}
