// Read models of admin › NPS: the figures (metrics.ts), the detractor cases and one case with
// its reply form. Times are formatted on the server in the shop's timezone; lists mask addresses.
import type { PrismaClient, Shop } from "@prisma/client";
import { formatInZone, maskEmail } from "../admin/format";
import { responseTimeMs } from "./cases";
import { formatDuration, loadNpsMetrics } from "./metrics";

export interface CaseRow {
  id: string;
  status: string;
  score: number;
  comment: string | null;
  orderId: string | null;
  orderName: string;
  customer: string; // masked
  tenure: string;
  openedAt: string;
  responseTime: string;
}

/** One case as its page shows it: the full address (the merchant writes to it), every date, the reply sent. */
export interface CaseDetailRow extends CaseRow {
  email: string | null;
  firstName: string | null;
  respondedAt: string;
  contactedAt: string;
  resolvedAt: string;
  replySubject: string | null;
  replyBody: string | null;
}

/** A case with its reply form's suggested subject and body. */
export interface CaseDetail extends CaseDetailRow {
  suggestedSubject: string;
  suggestedBody: string;
}

type ShopView = Pick<Shop, "id" | "timezone">;

async function caseRows(db: PrismaClient, shop: ShopView, where: { id?: string }): Promise<CaseDetailRow[]> {
  const cases = await db.npsCase.findMany({
    where: { shopId: shop.id, ...where },
    include: { response: { select: { score: true, comment: true, orderId: true, tenure: true, respondedAt: true, customerShopifyId: true } } },
    orderBy: { openedAt: "desc" },
    take: 200,
  });
  const orderIds = cases.map((c) => c.response.orderId).filter((id): id is string => !!id);
  const orders = orderIds.length
    ? await db.order.findMany({ where: { id: { in: orderIds }, shopId: shop.id }, select: { id: true, name: true, email: true, customerShopifyId: true } })
    : [];
  const byId = new Map(orders.map((o) => [o.id, o]));
  const gids = [...new Set(orders.map((o) => o.customerShopifyId).filter((g): g is string => !!g))];
  const customers = gids.length
    ? await db.customer.findMany({ where: { shopId: shop.id, shopifyId: { in: gids } }, select: { shopifyId: true, firstName: true } })
    : [];
  const firstNames = new Map(customers.map((c) => [c.shopifyId, c.firstName]));
  const rank: Record<string, number> = { open: 0, contacted: 1, resolved: 2 };
  return cases
    .map((c) => {
      const order = c.response.orderId ? byId.get(c.response.orderId) : undefined;
      return {
        id: c.id,
        status: c.status,
        score: c.response.score,
        comment: c.response.comment,
        orderId: order?.id ?? null,
        orderName: order?.name ?? "—",
        customer: maskEmail(order?.email),
        email: order?.email ?? null,
        firstName: order?.customerShopifyId ? (firstNames.get(order.customerShopifyId) ?? null) : null,
        tenure: c.response.tenure === "returning" ? "Returning" : "First order",
        openedAt: formatInZone(c.openedAt, shop.timezone),
        respondedAt: formatInZone(c.response.respondedAt, shop.timezone),
        contactedAt: formatInZone(c.contactedAt, shop.timezone),
        resolvedAt: formatInZone(c.resolvedAt, shop.timezone),
        responseTime: formatDuration(responseTimeMs(c)),
        replySubject: c.replySubject,
        replyBody: c.replyBody,
      };
    })
    .sort((a, b) => (rank[a.status] ?? 3) - (rank[b.status] ?? 3));
}

export async function npsPage(db: PrismaClient, shop: ShopView, now: Date, days: number) {
  const [metrics, cases] = await Promise.all([loadNpsMetrics(db, shop, now, days), caseRows(db, shop, {})]);
  return {
    days,
    metrics: {
      ...metrics,
      since: formatInZone(metrics.since, shop.timezone),
      until: formatInZone(metrics.until, shop.timezone),
      medianResponse: formatDuration(metrics.cases.medianResponseMs),
    },
    cases: cases.map(({ email: _e, firstName: _f, respondedAt: _r, replySubject: _s, replyBody: _b, contactedAt: _c, resolvedAt: _x, ...row }) => row),
  };
}

/** One case with what the reply form needs: the full address (the merchant writes to it). */
export async function npsCaseDetail(db: PrismaClient, shop: ShopView & Pick<Shop, "name">, caseId: string): Promise<CaseDetail | null> {
  const [row] = await caseRows(db, shop, { id: caseId });
  if (!row) return null;
  return {
    ...row,
    suggestedSubject: `About your order ${row.orderName === "—" ? "" : row.orderName}`.trim(),
    suggestedBody: `Hi ${row.firstName ?? "there"},\n\nThank you for telling us how we did. I'm sorry your experience with ${shop.name} wasn't what it should have been.\n\n`,
  };
}

/** The order page's NPS line: the answer to this order's survey, and its case. */
export async function orderNps(db: PrismaClient, shop: ShopView, orderId: string) {
  const answer = await db.npsResponse.findFirst({
    where: { shopId: shop.id, orderId },
    include: { followUp: { select: { id: true, status: true } } },
    orderBy: { respondedAt: "desc" },
  });
  if (!answer) return null;
  return {
    score: answer.score,
    comment: answer.comment,
    respondedAt: formatInZone(answer.respondedAt, shop.timezone),
    caseId: answer.followUp?.id ?? null,
    caseStatus: answer.followUp?.status ?? null,
  };
}
