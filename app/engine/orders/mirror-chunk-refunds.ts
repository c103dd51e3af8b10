// The refunds of a chunk of orders (applyOrderChunk): the last version of each, new ones inserted
// and known ones updated, one statement each.
import type { Prisma } from "@prisma/client";
import { byKey, columnsOf, insertOf, insertOrUpdateRows, type BulkUpdate } from "../util/bulk-update";
import { toGid } from "../util/gid";
import { refundData } from "./mirror";
import type { RefundMoney } from "./refund-money";
import type { OrderPayload } from "./payloads";

type Tx = Prisma.TransactionClient;

/** A refund payload with its order's id and what that order's amounts were when the payload came. */
export type RefundItem = { orderId: string; payload: OrderPayload["refunds"][number]; money: RefundMoney };

const REFUND_UPDATE: BulkUpdate = {
  table: "Refund",
  match: ["shopId", "shopifyId"],
  set: [...columnsOf("int", "amountCents"), ...columnsOf("text", "note"), ...columnsOf("jsonb", "lineItems"), ...columnsOf("timestamptz", "shopifyCreatedAt")],
};

const REFUND_INSERT = insertOf(REFUND_UPDATE, ["shopId", "orderId", "shopifyId"], ["shopId", "shopifyId"], ["shopifyId"]);

export async function applyRefunds(tx: Tx, shopId: string, list: RefundItem[]) {
  if (!list.length) return;
  // The last version of each refund; a new one belongs to the order it first came with.
  const rows = new Map<string, { shopId: string; orderId: string; shopifyId: string } & ReturnType<typeof refundData>>();
  for (const { orderId, payload, money } of list) {
    const shopifyId = toGid("Refund", payload.id);
    rows.set(shopifyId, { shopId, orderId: rows.get(shopifyId)?.orderId ?? orderId, shopifyId, ...refundData(payload, money) });
  }
  await insertOrUpdateRows(
    tx,
    { insert: REFUND_INSERT, update: REFUND_UPDATE },
    byKey([...rows.values()], (r) => r.shopifyId),
    "shopifyId",
  );
}
