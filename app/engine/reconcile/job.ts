// The reconciliation job: one per installed shop at most every 10 minutes (identity-derived key),
// run by the worker with the Admin GraphQL client it is given.
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { enqueueJob } from "../queue/jobs";
import type { JobHandler } from "../queue/jobs";
import { reconcileShop, type ShopGraphqlRaw } from "./orders";

export const RECONCILE_JOB_KIND = "orders.reconcile";
export const RECONCILE_EVERY_MS = 10 * 60_000;

const reconcileJob = z.object({ shopId: z.string() });

/**
 * Enqueues one reconciliation per installed shop for the current 10-minute bucket; returns how many
 * were new. A shop whose reconciliation still waits or runs gets none: one that takes longer than
 * the period (a big backlog paced by the cost bucket, a fast sandbox clock) would otherwise start
 * another beside it every period, until they held every job slot of the workers and no email went
 * out (seen in the full fault suite).
 */
export async function enqueueReconciliation(db: PrismaClient, clock: Clock): Promise<number> {
  const now = clock.now();
  const bucket = Math.floor(now.getTime() / RECONCILE_EVERY_MS);
  const shops = await db.shop.findMany({
    where: { status: "installed", jobs: { none: { kind: RECONCILE_JOB_KIND, status: { in: ["pending", "running"] } } } },
    select: { id: true },
  });
  let created = 0;
  for (const { id } of shops) {
    if (await enqueueJob(db, { kind: RECONCILE_JOB_KIND, key: `${id}:${bucket}`, shopId: id, payload: { shopId: id }, runAt: now })) created++;
  }
  return created;
}

/** The handler for "orders.reconcile"; throws (the queue retries with backoff) when Shopify keeps throttling. */
export function reconcileJobHandler(graphql: ShopGraphqlRaw, options: { sleep?: (ms: number) => Promise<void> } = {}): JobHandler {
  return async (job, { db, clock, log, signal }) => {
    // Stored payloads may predate this code: parse, never cast.
    const { shopId } = reconcileJob.parse(job.payload);
    const shop = await db.shop.findUnique({ where: { id: shopId } });
    if (!shop || shop.status !== "installed") {
      log({ msg: "reconcile skipped: shop not installed", shopId });
      return;
    }
    const result = await reconcileShop({ db, clock, graphql, log, sleep: options.sleep, signal }, shop);
    log({
      msg: "orders reconciled",
      shopId,
      pages: result.pages,
      orders: result.orders,
      syncedTo: result.syncedTo?.toISOString() ?? null,
      complete: result.complete,
    });
  };
}
