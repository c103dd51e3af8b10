// The fulfillments of a chunk of orders (applyOrderChunk): each payload folded onto its row with
// applyFulfillment's rules, then one insert for the new rows and one update for the known ones.
import type { Prisma } from "@prisma/client";
import type { DayMarks } from "../dashboard/customer-stats";
import { byKey, columnsOf, insertOf, insertRows, updateRows, type BulkUpdate } from "../util/bulk-update";
import { toGid } from "../util/gid";
import { fulfillmentWrite, type FulfillmentVersion } from "./mirror";
import type { OrderPayload } from "./payloads";

type Tx = Prisma.TransactionClient;

const FULFILLMENT_UPDATE: BulkUpdate = {
  table: "Fulfillment",
  match: ["id"],
  touch: true,
  set: [
    ...columnsOf("boolean", "placeholder"),
    ...columnsOf("text", "status", "trackingCompany"),
    ...columnsOf("jsonb", "trackingNumbers", "trackingUrls", "lineItems"),
    ...columnsOf("timestamptz", "estimatedDeliveryAt", "shopifyCreatedAt", "shopifyUpdatedAt"),
    // Set only where a payload set them (applyFulfillment leaves them alone otherwise), and only
    // forward: a carrier event committed meanwhile with a later status keeps it; the first delivery stays.
    {
      name: "shipmentStatus",
      type: "text",
      expr: `CASE WHEN v."setStatus" AND (t."shipmentStatusAt" IS NULL OR v."shipmentStatusAt" >= t."shipmentStatusAt") THEN v."shipmentStatus" ELSE t."shipmentStatus" END`,
    },
    {
      name: "shipmentStatusAt",
      type: "timestamptz",
      expr: `CASE WHEN v."setStatus" AND (t."shipmentStatusAt" IS NULL OR v."shipmentStatusAt" >= t."shipmentStatusAt") THEN v."shipmentStatusAt" ELSE t."shipmentStatusAt" END`,
    },
    { name: "deliveredAt", type: "timestamptz", expr: `CASE WHEN v."setDelivered" AND t."deliveredAt" IS NULL THEN v."deliveredAt" ELSE t."deliveredAt" END` },
    { name: "setStatus", type: "boolean", expr: null },
    { name: "setDelivered", type: "boolean", expr: null },
  ],
  // applyFulfillment's staleness, on the row as stored when the UPDATE reaches it.
  where: `t."placeholder" OR t."shopifyUpdatedAt" IS NULL OR v."shopifyUpdatedAt" IS NULL OR t."shopifyUpdatedAt" <= v."shopifyUpdatedAt"`,
};

const FULFILLMENT_INSERT = insertOf(FULFILLMENT_UPDATE, ["shopId", "orderId", "shopifyId"], ["shopId", "shopifyId"], ["shopifyId"]);

type StoredFulfillment = FulfillmentVersion & { id: string | null; trackingCompany: string | null; shipmentStatus: string | null };
export type FulfillmentItem = { orderId: string; payload: OrderPayload["fulfillments"][number] };

const BLANK_FULFILLMENT: StoredFulfillment = {
  id: null,
  placeholder: true,
  shopifyUpdatedAt: null,
  shipmentStatus: null,
  shipmentStatusAt: null,
  estimatedDeliveryAt: null,
  deliveredAt: null,
  trackingCompany: null,
};
const FULFILLMENT_COLUMNS = [
  "placeholder",
  "status",
  "trackingCompany",
  "trackingNumbers",
  "trackingUrls",
  "lineItems",
  "estimatedDeliveryAt",
  "shopifyCreatedAt",
  "shopifyUpdatedAt",
  "shipmentStatus",
  "shipmentStatusAt",
  "deliveredAt",
];
const FULFILLMENT_SELECT = {
  id: true,
  shopifyId: true,
  placeholder: true,
  shopifyUpdatedAt: true,
  shipmentStatusAt: true,
  estimatedDeliveryAt: true,
  deliveredAt: true,
  trackingCompany: true,
  shipmentStatus: true,
} as const;

interface FulfillmentFold {
  orderId: string;
  stored: StoredFulfillment | null;
  /** The row with every write so far; null while none applied (every payload older than the row). */
  row: Record<string, unknown> | null;
  setStatus: boolean;
  setDelivered: boolean;
}

/** applyFulfillment's rules for each payload in turn, from the stored row (or a new placeholder). */
function foldFulfillments(list: FulfillmentItem[], stored: Map<string, StoredFulfillment>): Map<string, FulfillmentFold> {
  const folds = new Map<string, FulfillmentFold>();
  for (const { orderId, payload } of list) {
    const gid = toGid("Fulfillment", payload.id);
    let fold = folds.get(gid);
    if (!fold) folds.set(gid, (fold = { orderId, stored: stored.get(gid) ?? null, row: null, setStatus: false, setDelivered: false }));
    const current = (fold.row ?? fold.stored ?? BLANK_FULFILLMENT) as StoredFulfillment;
    const write = fulfillmentWrite(payload, current);
    if (!write) continue;
    fold.row = { ...current, ...write };
    fold.setStatus ||= "shipmentStatus" in write;
    fold.setDelivered ||= "deliveredAt" in write;
  }
  return folds;
}

const fulfillmentColumns = (row: Record<string, unknown>) => Object.fromEntries(FULFILLMENT_COLUMNS.map((k) => [k, row[k] ?? null]));

export async function applyFulfillments(tx: Tx, shopId: string, list: FulfillmentItem[], marks: DayMarks) {
  if (!list.length) return;
  const gids = [...new Set(list.map((f) => toGid("Fulfillment", f.payload.id)))];
  const read = async (shopifyIds: string[]) =>
    new Map(
      (await tx.fulfillment.findMany({ where: { shopId, shopifyId: { in: shopifyIds } }, select: FULFILLMENT_SELECT })).map(({ shopifyId, ...row }) => [
        shopifyId,
        row,
      ]),
    );
  const stored = await read(gids);
  let folds = foldFulfillments(list, stored);
  const fresh = byKey(
    [...folds].filter(([, f]) => !f.stored && f.row),
    ([gid]) => gid,
  );
  if (fresh.length) {
    const inserted = await insertRows(
      tx,
      FULFILLMENT_INSERT,
      fresh.map(([gid, f]) => ({ shopId, orderId: f.orderId, shopifyId: gid, ...fulfillmentColumns(f.row!) })),
    );
    const made = new Set(inserted.map((f) => f.shopifyId));
    const raced = fresh.filter(([gid]) => !made.has(gid)).map(([gid]) => gid);
    // Made by a webhook since the read: folded again onto the row it made.
    if (raced.length) {
      for (const [gid, row] of await read(raced)) stored.set(gid, row);
      folds = new Map(
        [...folds]
          .filter(([gid]) => !made.has(gid))
          .map(([gid]) => [
            gid,
            foldFulfillments(
              list.filter((f) => toGid("Fulfillment", f.payload.id) === gid),
              stored,
            ).get(gid)!,
          ]),
      );
    } else folds = new Map([...folds].filter(([gid]) => !made.has(gid)));
  }
  const known = byKey(
    [...folds].filter(([, f]) => f.stored?.id && f.row),
    ([, f]) => f.stored!.id!,
  );
  await updateRows(
    tx,
    FULFILLMENT_UPDATE,
    known.map(([, f]) => ({ id: f.stored!.id, ...fulfillmentColumns(f.row!), setStatus: f.setStatus, setDelivered: f.setDelivered })),
  );
  // Delay figures are counted by carrier: the incidents of a fulfillment whose carrier changed move.
  const moved = known.filter(([, f]) => (f.row!.trackingCompany ?? null) !== f.stored!.trackingCompany).map(([, f]) => f.stored!.id!);
  if (moved.length) {
    const incidents = await tx.delayIncident.findMany({ where: { fulfillmentId: { in: moved } }, select: { detectedAt: true } });
    marks.push(...incidents.map((i) => i.detectedAt));
  }
}
