// Retention: personal data that Trustloop no longer needs is removed on a schedule, not kept
// forever. The worker runs purgeExpired periodically (idempotent: several workers may run it).
// Periods (README › Privacy, decision 015):
// - webhook deliveries: 90 days — they only deduplicate redeliveries (Shopify retries for 48 h) and
//   explain recent intake on the admin home and the order page;
// - link clicks: 400 days — they feed attribution (7 days) and the dashboard's click counts, whose
//   longest view is 12 months;
// - recipient address and subject of messages: 400 days after the message was created — the
//   frequency cap (hours), flow throttles (≤ 90 days) and the dashboard (12 months) are done with
//   them by then; the row stays, without them, for the counts;
// - data-request reports: 7 days after their first download, the report is deleted (status
//   "expired"); the merchant has handed it over by then.
import { Prisma, type MessageStatus, type PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";

const DAY_MS = 86_400_000;
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 90;
export const LINK_CLICK_RETENTION_DAYS = 400;
export const MESSAGE_RECIPIENT_RETENTION_DAYS = 400;
export const DOWNLOADED_REPORT_RETENTION_DAYS = 7;

/** Messages that may still go out keep their recipient whatever their age. */
const UNFINISHED: MessageStatus[] = ["scheduled", "deferred", "sending"];

export interface Purged {
  deliveries: number;
  clicks: number;
  recipients: number;
  reports: number;
}

export async function purgeExpired(db: PrismaClient, clock: Clock): Promise<Purged> {
  const now = clock.now().getTime();
  const before = (days: number) => new Date(now - days * DAY_MS);
  const deliveries = await db.webhookDelivery.deleteMany({ where: { receivedAt: { lt: before(WEBHOOK_DELIVERY_RETENTION_DAYS) } } });
  const clicks = await db.linkClick.deleteMany({ where: { clickedAt: { lt: before(LINK_CLICK_RETENTION_DAYS) } } });
  const recipients = await db.message.updateMany({
    where: {
      createdAt: { lt: before(MESSAGE_RECIPIENT_RETENTION_DAYS) },
      status: { notIn: UNFINISHED },
      OR: [{ recipient: { not: null } }, { subject: { not: null } }],
    },
    data: { recipient: null, subject: null },
  });
  const reports = await db.dataRequest.updateMany({
    where: { downloadedAt: { lt: before(DOWNLOADED_REPORT_RETENTION_DAYS) }, report: { not: Prisma.DbNull } },
    data: { report: Prisma.DbNull, status: "expired" },
  });
  return { deliveries: deliveries.count, clicks: clicks.count, recipients: recipients.count, reports: reports.count };
}

export const purgedRows = (p: Purged) => p.deliveries + p.clicks + p.recipients + p.reports;
