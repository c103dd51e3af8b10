// Published ratings per product: the average and count of PUBLISHED reviews (ProductRating), and
// the job that writes them to Shopify's standard product metafields reviews.rating and
// reviews.rating_count, so themes and Google show the stars.
import type { Job, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import type { ShopGraphql } from "../shopify/products";
import { lockKey } from "../util/locks";
import { enqueueJob, type JobHandler } from "../queue/jobs";

type Tx = Prisma.TransactionClient | PrismaClient;

export const RATING_SYNC_JOB = "reviews.sync_rating";
const syncPayload = z.object({ shopId: z.string().min(1), productId: z.string().min(1) });

/** Recomputes a product's published average and count; the metafields are then pending a sync. */
export async function recomputeRating(tx: Tx, shopId: string, productId: string) {
  // Recomputations of one product take turns: the second counts the first's review (a count read
  // beside an uncommitted review and written last would lose it).
  await lockKey(tx, "rating", shopId, productId);
  const agg = await tx.review.aggregate({ where: { shopId, productId, status: "published" }, _avg: { rating: true }, _count: { _all: true } });
  const count = agg._count._all;
  const average = count ? Math.round((agg._avg.rating ?? 0) * 100) / 100 : 0;
  return tx.productRating.upsert({
    where: { shopId_productId: { shopId, productId } },
    create: { shopId, productId, average, count, syncStatus: "pending" },
    update: { average, count, syncStatus: "pending", syncError: null },
  });
}

/** Schedules a metafield sync unless one is already waiting (it reads the rating when it runs). */
export async function enqueueRatingSync(tx: Tx, clock: Clock, shopId: string, productId: string) {
  const prefix = `${shopId}:${productId}:`;
  const waiting = await tx.job.findFirst({ where: { kind: RATING_SYNC_JOB, status: "pending", key: { startsWith: prefix } }, select: { id: true } });
  if (waiting) return false;
  const now = clock.now();
  return enqueueJob(tx, {
    kind: RATING_SYNC_JOB,
    key: `${prefix}${now.getTime()}:${Math.random().toString(36).slice(2, 10)}`,
    shopId,
    payload: { shopId, productId },
    runAt: now,
  });
}

/** Recompute + enqueue, for every product a change touched. */
export async function ratingsChanged(tx: Tx, clock: Clock, shopId: string, productIds: Iterable<string>) {
  for (const productId of [...new Set(productIds)].sort()) {
    // sorted: two transactions lock the products in the same order
    await recomputeRating(tx, shopId, productId);
    await enqueueRatingSync(tx, clock, shopId, productId);
  }
}

/** "4.5" style: Shopify's rating type takes a decimal string within the scale. */
export function ratingMetafields(productId: string, average: number, count: number) {
  const metafields: { ownerId: string; namespace: string; key: string; type: string; value: string }[] = [
    { ownerId: productId, namespace: "reviews", key: "rating_count", type: "number_integer", value: String(count) },
  ];
  // A rating must lie within its scale: with no published review only the count (0) is written.
  if (count > 0) {
    const value = Math.min(5, Math.max(1, Math.round(average * 10) / 10)).toFixed(1);
    metafields.unshift({
      ownerId: productId,
      namespace: "reviews",
      key: "rating",
      type: "rating",
      value: JSON.stringify({ value, scale_min: "1.0", scale_max: "5.0" }),
    });
  }
  return metafields;
}

const METAFIELDS_SET = `#graphql
  mutation TrustloopRatingSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) { metafields { id key value } userErrors { field message code } }
  }`;

const setResponse = z.object({
  metafieldsSet: z
    .object({ userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string(), code: z.string().nullish() })) })
    .nullable(),
});

export async function syncRating(db: PrismaClient, clock: Clock, graphql: ShopGraphql, shopId: string, productId: string) {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true, status: true } });
  if (!shop || shop.status !== "installed") return; // nothing to write to any more
  const rating = await db.productRating.findUnique({ where: { shopId_productId: { shopId, productId } } });
  if (!rating) return;
  try {
    const response = setResponse.parse(await graphql(shop.domain, METAFIELDS_SET, { metafields: ratingMetafields(productId, rating.average, rating.count) }));
    const errors = response.metafieldsSet?.userErrors ?? [{ message: "no answer from metafieldsSet" }];
    if (errors.length) throw new Error(`metafieldsSet refused: ${errors.map((e) => e.message).join("; ")}`);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await db.productRating.updateMany({ where: { id: rating.id, updatedAt: rating.updatedAt }, data: { syncStatus: "failed", syncError: message } });
    throw error; // the queue retries with backoff
  }
  // Only if nothing changed meanwhile: a newer rating has its own sync waiting.
  await db.productRating.updateMany({
    where: { id: rating.id, updatedAt: rating.updatedAt },
    data: { syncStatus: "synced", syncError: null, syncedAt: clock.now() },
  });
}

/** The job handlers of this module, for the worker's handler map. */
export function reviewJobHandlers(graphql: ShopGraphql): Record<string, JobHandler> {
  return {
    [RATING_SYNC_JOB]: async (job: Job, { db, clock }) => {
      const { shopId, productId } = syncPayload.parse(job.payload);
      await syncRating(db, clock, graphql, shopId, productId);
    },
  };
}
