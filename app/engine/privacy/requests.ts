// The merchant's side of customers/data_request: the list of requests and the report's download.
// Every lookup is scoped to the shop, so one shop can never see or fetch another's report.
import type { PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { maskEmail } from "../admin/format";
import { storedStrings } from "../util/stored-json";

export interface DataRequestRow {
  id: string;
  customer: string;
  orders: number;
  status: string;
  requestedAt: string;
  completedAt: string | null;
  downloadedAt: string | null;
}

export async function listDataRequests(db: PrismaClient, shopId: string): Promise<DataRequestRow[]> {
  const rows = await db.dataRequest.findMany({ where: { shopId }, orderBy: { requestedAt: "desc" }, take: 100, omit: { report: true } });
  return rows.map((r) => ({
    id: r.id,
    customer: r.customerEmail ? maskEmail(r.customerEmail) : (r.customerShopifyId ?? "unknown customer"),
    orders: storedStrings(r.ordersRequested).length,
    status: r.status,
    requestedAt: r.requestedAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    downloadedAt: r.downloadedAt?.toISOString() ?? null,
  }));
}

/**
 * The report of one of the shop's requests, as a file, or null when there is none (not this shop's,
 * not compiled yet, or purged after its retention). The first download is recorded: the retention
 * purge counts from it (privacy/retention.ts). Call it only from a POST.
 */
export async function downloadDataRequest(db: PrismaClient, clock: Clock, shopId: string, id: string) {
  const row = await db.dataRequest.findFirst({ where: { id, shopId, status: "ready" }, select: { id: true, report: true, requestedAt: true } });
  if (!row?.report) return null;
  await db.dataRequest.updateMany({ where: { id: row.id, shopId, downloadedAt: null }, data: { downloadedAt: clock.now() } });
  return { filename: `data-request-${row.requestedAt.toISOString().slice(0, 10)}-${row.id}.json`, body: JSON.stringify(row.report) };
}
