// The Activity page: every message of one shop, newest first, filtered and paginated.
import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { MESSAGE_STATUSES } from "../messages/ledger";
import { formatInZone, formatReason, maskEmail } from "./format";

export const ACTIVITY_PAGE_SIZE = 50;

export const activityQuery = z.object({
  status: z.enum(MESSAGE_STATUSES).optional().catch(undefined),
  flow: z.string().max(64).optional().catch(undefined),
  order: z.string().trim().max(64).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type ActivityQuery = z.infer<typeof activityQuery>;

export function parseActivityQuery(params: URLSearchParams): ActivityQuery {
  const raw = Object.fromEntries([...params.entries()].filter(([, v]) => v !== ""));
  return activityQuery.parse(raw);
}

/** "1004", "#1004" → "#1004" */
export function normalizeOrderName(text: string): string {
  const t = text.trim();
  return /^\d+$/.test(t) ? `#${t}` : t;
}

export async function listActivity(db: PrismaClient, shop: { id: string; timezone: string }, query: ActivityQuery) {
  const where: Prisma.MessageWhereInput = { shopId: shop.id };
  if (query.status) where.status = query.status;
  if (query.flow) where.flowId = query.flow;
  let orderMatch: { id: string; name: string } | null = null;
  if (query.order) {
    const order = await db.order.findFirst({ where: { shopId: shop.id, name: normalizeOrderName(query.order) }, select: { id: true, name: true } });
    orderMatch = order ? { id: order.id, name: order.name ?? "" } : null;
    where.orderId = order?.id ?? "__no_such_order__";
  }
  const [messages, flows] = await Promise.all([
    db.message.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * ACTIVITY_PAGE_SIZE,
      take: ACTIVITY_PAGE_SIZE + 1,
      select: {
        id: true,
        status: true,
        reason: true,
        recipient: true,
        sendAt: true,
        sentAt: true,
        step: true,
        flow: { select: { name: true } },
        order: { select: { id: true, name: true } },
      },
    }),
    db.flow.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "asc" }, select: { id: true, name: true } }),
  ]);
  return {
    rows: messages.slice(0, ACTIVITY_PAGE_SIZE).map((m) => ({
      id: m.id,
      when: formatInZone(m.sentAt ?? m.sendAt, shop.timezone),
      whenLabel: m.sentAt ? "sent" : "due",
      order: m.order ? { id: m.order.id, name: m.order.name ?? "(pending)" } : null,
      flow: m.flow.name + (m.step !== "main" ? ` (${m.step})` : ""),
      recipient: maskEmail(m.recipient),
      status: m.status,
      reason: formatReason(m.reason, shop.timezone),
    })),
    hasNext: messages.length > ACTIVITY_PAGE_SIZE,
    page: query.page,
    flows,
    orderMatch,
  };
}
