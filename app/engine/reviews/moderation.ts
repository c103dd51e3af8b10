// Admin › Reviews: every review (filters by product, rating and text), moderation (publish, hide
// with a reason, delete), public replies, the auto-publish setting, the rating distribution and
// per-product metafield sync status. Every change that touches what is published recomputes the
// product's rating and schedules the metafield sync.
import type { Prisma, PrismaClient, ReviewStatus, Shop } from "@prisma/client";
import { z } from "zod";
import { formatInZone } from "../admin/format";
import type { Clock } from "../clock";
import { ratingsChanged } from "./ratings";
import { touchDays } from "../dashboard/touch";

export const REVIEW_STATUSES = ["published", "pending", "hidden"] as const satisfies readonly ReviewStatus[];
const PAGE_SIZE = 100;

export interface ReviewFilters {
  product: string | null;
  rating: number | null;
  status: ReviewStatus | null;
  q: string | null;
}

export function parseFilters(params: URLSearchParams): ReviewFilters {
  const product = params.get("product")?.trim() || null;
  const rating = Number(params.get("rating"));
  const status = params.get("status");
  return {
    product,
    rating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null,
    status: REVIEW_STATUSES.find((s) => s === status) ?? null,
    q: params.get("q")?.trim().slice(0, 200) || null,
  };
}

export interface ReviewRow {
  id: string;
  productId: string;
  productTitle: string;
  authorName: string;
  verifiedBuyer: boolean;
  rating: number;
  title: string | null;
  body: string | null;
  status: string;
  hiddenReason: string | null;
  reply: string | null;
  /** Formatted in the shop's time zone. */
  submittedAt: string;
  orderId: string | null;
  orderName: string | null;
}

/** A merchant's search matches whatever the case (PostgreSQL's LIKE is case-sensitive). */
const text = (q: string) => ({ contains: q, mode: "insensitive" }) satisfies Prisma.StringNullableFilter;

export async function reviewsPage(db: PrismaClient, shop: Pick<Shop, "id" | "autoPublishReviews" | "timezone">, filters: ReviewFilters) {
  const where: Prisma.ReviewWhereInput = {
    shopId: shop.id,
    ...(filters.product ? { productId: filters.product } : {}),
    ...(filters.rating ? { rating: filters.rating } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.q
      ? {
          OR: [
            { title: text(filters.q) },
            { body: text(filters.q) },
            { authorName: text(filters.q) },
            { productTitle: text(filters.q) },
            { reply: text(filters.q) },
          ],
        }
      : {}),
  };
  const [rows, total, products, distribution, ratings] = await Promise.all([
    db.review.findMany({ where, orderBy: [{ submittedAt: "desc" }, { id: "desc" }], take: PAGE_SIZE }),
    db.review.count({ where }),
    db.review.groupBy({ by: ["productId", "productTitle"], where: { shopId: shop.id }, _count: { _all: true } }),
    db.review.groupBy({
      by: ["rating"],
      where: { shopId: shop.id, status: "published", ...(filters.product ? { productId: filters.product } : {}) },
      _count: { _all: true },
    }),
    db.productRating.findMany({ where: { shopId: shop.id }, orderBy: { updatedAt: "desc" } }),
  ]);
  const orderIds = [...new Set(rows.map((r) => r.orderId).filter((id): id is string => !!id))];
  const orders = new Map((await db.order.findMany({ where: { id: { in: orderIds } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  const titles = new Map<string, string>();
  for (const p of products) if (!titles.has(p.productId)) titles.set(p.productId, p.productTitle);

  return {
    autoPublish: shop.autoPublishReviews,
    filters,
    total,
    reviews: rows.map((r): ReviewRow => ({
      id: r.id,
      productId: r.productId,
      productTitle: r.productTitle,
      authorName: r.authorName,
      verifiedBuyer: r.verifiedBuyer,
      rating: r.rating,
      title: r.title,
      body: r.body,
      status: r.status,
      hiddenReason: r.hiddenReason,
      reply: r.reply,
      submittedAt: formatInZone(r.submittedAt, shop.timezone),
      orderId: r.orderId,
      orderName: r.orderId ? (orders.get(r.orderId) ?? null) : null,
    })),
    products: [...titles].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title)),
    distribution: [5, 4, 3, 2, 1].map((stars) => ({ stars, count: distribution.find((d) => d.rating === stars)?._count._all ?? 0 })),
    ratings: ratings.map((r) => ({
      productId: r.productId,
      productTitle: titles.get(r.productId) ?? r.productId,
      average: r.average,
      count: r.count,
      syncStatus: r.syncStatus,
      syncError: r.syncError,
      syncedAt: r.syncedAt?.toISOString() ?? null,
    })),
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("publish"), id: z.string().min(1) }),
  z.object({ intent: z.literal("hide"), id: z.string().min(1), reason: z.string().trim().min(1, "Say why the review is hidden").max(300) }),
  z.object({ intent: z.literal("reply"), id: z.string().min(1), reply: z.string().trim().max(2000) }),
  z.object({ intent: z.literal("delete"), id: z.string().min(1) }),
  z.object({ intent: z.literal("settings"), autoPublish: z.enum(["true", "false"]) }),
]);

export type ModerationResult = { ok: true; intent: string } | { ok: false; error: string };

export async function moderate(db: PrismaClient, clock: Clock, shop: Pick<Shop, "id">, fields: Record<string, unknown>): Promise<ModerationResult> {
  const parsed = actionSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid request" };
  const input = parsed.data;
  if (input.intent === "settings") {
    await db.shop.update({ where: { id: shop.id }, data: { autoPublishReviews: input.autoPublish === "true" } });
    return { ok: true, intent: input.intent };
  }
  return db.$transaction(async (tx) => {
    const review = await tx.review.findFirst({ where: { id: input.id, shopId: shop.id } });
    if (!review) return { ok: false, error: "This review no longer exists" } as const;
    await touchDays(tx, review.shopId, review.submittedAt); // every intent below writes this review (same transaction)
    switch (input.intent) {
      case "publish":
        await tx.review.update({ where: { id: review.id }, data: { status: "published", hiddenReason: null } });
        break;
      case "hide":
        await tx.review.update({ where: { id: review.id }, data: { status: "hidden", hiddenReason: input.reason } });
        break;
      case "reply":
        await tx.review.update({
          where: { id: review.id },
          data: input.reply ? { reply: input.reply, repliedAt: clock.now() } : { reply: null, repliedAt: null },
        });
        return { ok: true, intent: input.intent } as const; // a reply does not change the rating
      case "delete":
        await tx.review.delete({ where: { id: review.id } });
        break;
    }
    await ratingsChanged(tx, clock, shop.id, [review.productId]);
    return { ok: true, intent: input.intent } as const;
  });
}
