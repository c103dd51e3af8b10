// The shop's "a detractor answered" email goes out from the worker, not from the customer's
// request: the customer's page never waits on SMTP, and a transient failure is retried.
import { z } from "zod";
import type { Clock } from "../clock";
import { enqueueJob } from "../queue/jobs";
import type { JobHandler } from "../queue/jobs";
import { notifyDetractor, type MailDeps } from "./cases";
import type { Prisma, PrismaClient } from "@prisma/client";

export const NOTIFY_DETRACTOR_JOB = "nps.notify_detractor";
const payload = z.object({ caseId: z.string() });

export async function enqueueDetractorNotice(tx: Prisma.TransactionClient | PrismaClient, clock: Clock, shopId: string, caseId: string) {
  await enqueueJob(tx, { kind: NOTIFY_DETRACTOR_JOB, key: caseId, shopId, payload: { caseId }, runAt: clock.now() });
}

export function npsJobHandlers(mail: MailDeps, apiKey: string): Record<string, JobHandler> {
  return {
    [NOTIFY_DETRACTOR_JOB]: async (job, { db, log }) => {
      const { caseId } = payload.parse(job.payload);
      const found = await db.npsCase.findUnique({ where: { id: caseId }, include: { response: true } });
      if (!found) return; // redacted meanwhile
      const shop = await db.shop.findUniqueOrThrow({ where: { id: found.shopId } });
      const order = found.response.orderId ? await db.order.findUnique({ where: { id: found.response.orderId }, select: { name: true } }) : null;
      const outcome = await notifyDetractor(
        mail,
        shop,
        { caseId, score: found.response.score, comment: found.response.comment, orderName: order?.name ?? null },
        apiKey,
      );
      log({
        msg: "nps detractor notification",
        caseId,
        status: outcome.status,
        ...(outcome.status === "sent" ? {} : { detail: outcome.detail.slice(0, 300) }),
      });
      // Failed: let the queue retry with backoff. Unknown: it may have arrived — never resend blindly.
      if (outcome.status === "failed") throw new Error(`detractor notification failed: ${outcome.detail.slice(0, 200)}`);
    },
  };
}
