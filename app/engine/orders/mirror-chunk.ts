// The order mirror for many orders at once (the history import's chunks): the same outcome as
// applyOrder for each payload in turn, in a few statements per chunk instead of a dozen per order.
// The rows already mirrored are read once; each payload is then folded onto its row in JS with the
// rules of applyOrder/applyFulfillment/applyRefund (the newest version wins; `imported` is decided
// when the order first stops being a placeholder; the carrier status only moves forward), and the
// result is written with one statement per table and kind (new rows: one multi-row INSERT … ON
// CONFLICT DO NOTHING; rows that existed: one UPDATE from a JSON record set). A webhook that commits
// a newer order in between is not overwritten: the UPDATE checks the version again on the stored row.
//
// Lock order as in applyOrder: customers, then orders, then their line items, fulfillments and refunds.
import type { Prisma, Shop } from "@prisma/client";
import type { DayMarks } from "../dashboard/customer-stats";
import { insertRows, updateRows, type BulkInsert, type BulkUpdate } from "../util/bulk-update";
import { toGid } from "../util/gid";
import {
  customerData,
  customerGidOf,
  fulfillmentWrite,
  lineItemRows,
  orderData,
  placedAtOf,
  refundData,
  type FulfillmentVersion,
} from "./mirror";
import type { OrderPayload } from "./payloads";
import { placedBeforeInstall } from "./pre-install";

type Tx = Prisma.TransactionClient;

/** An order row as the fold sees it: what applyOrder reads of it, then what it writes. */
interface OrderState {
  id: string | null;
  placeholder: boolean;
  shopifyUpdatedAt: Date | null;
  imported: boolean;
  currency: string | null;
  confirmationNumber: string | null;
}

interface OrderFold {
  gid: string;
  stored: OrderState | null;
  state: OrderState;
  /** The columns of the last payload applied (null: every payload was older than the row). */
  data: (ReturnType<typeof orderData> & { confirmationNumber: string | null }) | null;
  /** `imported` if the stored row is (still) a placeholder when written: decided by the first payload applied. */
  importedIfPlaceholder: boolean | null;
  /** Line items of the payloads applied, the last version of each. */
  items: Map<string, ReturnType<typeof lineItemRows>[number]>;
}

const BLANK: Omit<OrderState, "id"> = { placeholder: true, shopifyUpdatedAt: null, imported: false, currency: null, confirmationNumber: null };

const ORDER_UPDATE: BulkUpdate = {
  table: "Order",
  match: ["id"],
  touch: true,
  set: [
    { name: "placeholder", type: "boolean" },
    { name: "name", type: "text" },
    { name: "confirmationNumber", type: "text", expr: `COALESCE(v."confirmationNumber", t."confirmationNumber")` },
    { name: "customerShopifyId", type: "text" },
    { name: "email", type: "text" },
    { name: "locale", type: "text" },
    { name: "shipCountry", type: "text" },
    { name: "shipProvince", type: "text" },
    { name: "shipLatitude", type: "float8" },
    { name: "shipLongitude", type: "float8" },
    { name: "currency", type: "text" },
    { name: "subtotalCents", type: "int" },
    { name: "totalCents", type: "int" },
    { name: "totalDiscountCents", type: "int" },
    { name: "totalTaxCents", type: "int" },
    { name: "totalShippingCents", type: "int" },
    { name: "financialStatus", type: "text" },
    { name: "fulfillmentStatus", type: "text" },
    { name: "cancelledAt", type: "timestamptz" },
    { name: "cancelReason", type: "text" },
    { name: "test", type: "boolean" },
    { name: "buyerAcceptsMarketing", type: "boolean" },
    { name: "placedAt", type: "timestamptz" },
    { name: "shopifyUpdatedAt", type: "timestamptz" },
    { name: "imported", type: "boolean", expr: `CASE WHEN t."placeholder" THEN v."imported" ELSE t."imported" END` },
  ],
  // applyOrder's staleness, on the row as stored when the UPDATE reaches it.
  where: `t."placeholder" OR t."shopifyUpdatedAt" IS NULL OR t."shopifyUpdatedAt" <= v."shopifyUpdatedAt"`,
};

const CUSTOMER_UPDATE: BulkUpdate = {
  table: "Customer",
  match: ["shopId", "shopifyId"],
  touch: true,
  set: ["email", "firstName", "lastName", "locale", "tags", "marketingConsent"].map((name) => ({ name, type: "text" as const })),
};

const LINE_ITEM_UPDATE: BulkUpdate = {
  table: "LineItem",
  match: ["orderId", "shopifyId"],
  set: [
    { name: "productId", type: "text" },
    { name: "variantId", type: "text" },
    { name: "title", type: "text" },
    { name: "variant", type: "text" },
    { name: "sku", type: "text" },
    { name: "quantity", type: "int" },
    { name: "priceCents", type: "int" },
  ],
};

const FULFILLMENT_UPDATE: BulkUpdate = {
  table: "Fulfillment",
  match: ["id"],
  touch: true,
  set: [
    { name: "placeholder", type: "boolean" },
    { name: "status", type: "text" },
    { name: "trackingCompany", type: "text" },
    { name: "trackingNumbers", type: "jsonb" },
    { name: "trackingUrls", type: "jsonb" },
    { name: "lineItems", type: "jsonb" },
    { name: "estimatedDeliveryAt", type: "timestamptz" },
    { name: "shopifyCreatedAt", type: "timestamptz" },
    { name: "shopifyUpdatedAt", type: "timestamptz" },
    // Set only where a payload set them (applyFulfillment leaves them alone otherwise), and only
    // forward: a carrier event committed meanwhile with a later status keeps it; the first delivery stays.
    { name: "shipmentStatus", type: "text", expr: `CASE WHEN v."setStatus" AND (t."shipmentStatusAt" IS NULL OR v."shipmentStatusAt" >= t."shipmentStatusAt") THEN v."shipmentStatus" ELSE t."shipmentStatus" END` },
    { name: "shipmentStatusAt", type: "timestamptz", expr: `CASE WHEN v."setStatus" AND (t."shipmentStatusAt" IS NULL OR v."shipmentStatusAt" >= t."shipmentStatusAt") THEN v."shipmentStatusAt" ELSE t."shipmentStatusAt" END` },
    { name: "deliveredAt", type: "timestamptz", expr: `CASE WHEN v."setDelivered" AND t."deliveredAt" IS NULL THEN v."deliveredAt" ELSE t."deliveredAt" END` },
    { name: "setStatus", type: "boolean", expr: null },
    { name: "setDelivered", type: "boolean", expr: null },
  ],
  // applyFulfillment's staleness, on the row as stored when the UPDATE reaches it.
  where: `t."placeholder" OR t."shopifyUpdatedAt" IS NULL OR v."shopifyUpdatedAt" IS NULL OR t."shopifyUpdatedAt" <= v."shopifyUpdatedAt"`,
};

const REFUND_UPDATE: BulkUpdate = {
  table: "Refund",
  match: ["shopId", "shopifyId"],
  set: [
    { name: "amountCents", type: "int" },
    { name: "note", type: "text" },
    { name: "lineItems", type: "jsonb" },
    { name: "shopifyCreatedAt", type: "timestamptz" },
  ],
};

/** The insert of new rows of a table: its keys, then the columns its update sets (those that are columns). */
const insertOf = (update: BulkUpdate, keys: string[], conflict: string[], returning: string[]): BulkInsert => ({
  table: update.table,
  columns: [...keys.map((name) => ({ name, type: "text" as const })), ...update.set.filter((c) => c.expr !== null).map(({ name, type }) => ({ name, type }))],
  conflict,
  touch: update.touch,
  returning,
});
const CUSTOMER_INSERT = insertOf(CUSTOMER_UPDATE, ["shopId", "shopifyId"], ["shopId", "shopifyId"], ["shopifyId"]);
const ORDER_INSERT = insertOf(ORDER_UPDATE, ["shopId", "shopifyId"], ["shopId", "shopifyId"], ["id", "shopifyId"]);
const LINE_ITEM_INSERT = insertOf(LINE_ITEM_UPDATE, ["orderId", "shopifyId"], ["orderId", "shopifyId"], ["shopifyId"]);
const FULFILLMENT_INSERT = insertOf(FULFILLMENT_UPDATE, ["shopId", "orderId", "shopifyId"], ["shopId", "shopifyId"], ["shopifyId"]);
const REFUND_INSERT = insertOf(REFUND_UPDATE, ["shopId", "orderId", "shopifyId"], ["shopId", "shopifyId"], ["shopifyId"]);

/** Sorted by a key: rows of one table are locked in the same order by every chunk. */
const byKey = <T>(rows: T[], key: (row: T) => string) => rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

export interface ChunkApplied {
  /** Every order the chunk's payloads name (for their figures), applied or found newer. */
  orderIds: string[];
  /** Payloads older than the order already mirrored (a webhook brought a newer version). */
  stale: number;
}

/**
 * Mirrors the payloads (file order: a later payload of the same order applies after an earlier one,
 * as if applied one by one) in one transaction. The days whose delay figures move (a carrier that
 * changed on a fulfillment with incidents) go to `marks`. Never messages: the caller decides what
 * follows (the history import: the customers' figures only).
 */
export async function applyOrderChunk(tx: Tx, shop: Pick<Shop, "id" | "installedAt">, payloads: OrderPayload[], marks: DayMarks): Promise<ChunkApplied> {
  const shopId = shop.id;
  if (!payloads.length) return { orderIds: [], stale: 0 };

  // 1. The orders as mirrored now, and each payload folded onto its order in turn.
  const gids = [...new Set(payloads.map((p) => toGid("Order", p.id)))];
  const storedRows = await tx.order.findMany({
    where: { shopId, shopifyId: { in: gids } },
    select: { id: true, shopifyId: true, placeholder: true, shopifyUpdatedAt: true, imported: true, currency: true, confirmationNumber: true },
  });
  const stored = new Map(storedRows.map((row) => [row.shopifyId, row]));
  const folds = new Map<string, OrderFold>();
  const customers = new Map<string, ReturnType<typeof customerData>>();
  /** Each fulfillment and refund payload with the order (gid) it came in and that order's currency at that point. */
  const fulfillments: { orderGid: string; payload: OrderPayload["fulfillments"][number] }[] = [];
  const refunds: { orderGid: string; payload: OrderPayload["refunds"][number]; currency: string | null }[] = [];
  let stale = 0;
  for (const payload of payloads) {
    const gid = toGid("Order", payload.id);
    let fold = folds.get(gid);
    if (!fold) {
      const row = stored.get(gid) ?? null;
      fold = { gid, stored: row, state: row ?? { id: null, ...BLANK }, data: null, importedIfPlaceholder: null, items: new Map() };
      folds.set(gid, fold);
    }
    if (foldOrder(fold, payload, shop)) {
      const customerGid = customerGidOf(payload);
      if (payload.customer && customerGid) customers.set(customerGid, customerData(payload.customer));
    } else stale++;
    for (const f of payload.fulfillments) fulfillments.push({ orderGid: gid, payload: f });
    for (const r of payload.refunds) refunds.push({ orderGid: gid, payload: r, currency: fold.state.currency });
  }

  // 2. Customers: new ones inserted, known ones updated (the last payload's version of each).
  if (customers.size) {
    const rows = byKey([...customers].map(([shopifyId, data]) => ({ shopId, shopifyId, ...data })), (c) => c.shopifyId);
    const inserted = await insertRows(tx, CUSTOMER_INSERT, rows);
    const fresh = new Set(inserted.map((c) => c.shopifyId));
    await updateRows(tx, CUSTOMER_UPDATE, rows.filter((c) => !fresh.has(c.shopifyId)));
  }

  // 3. Orders: new ones inserted whole; known ones updated unless the stored row is newer by now.
  const applied = new Set<string>(); // gids whose version was written
  const newOrders = byKey([...folds.values()].filter((f) => !f.stored), (f) => f.gid);
  if (newOrders.length) {
    const inserted = await insertRows(
      tx,
      ORDER_INSERT,
      newOrders.map((f) => ({ shopId, shopifyId: f.gid, ...f.data!, placeholder: false, imported: f.state.imported })),
    );
    for (const row of inserted) {
      folds.get(row.shopifyId)!.state.id = row.id;
      applied.add(row.shopifyId);
    }
    // Made by a webhook since the read above: applied as known orders (the UPDATE checks their version).
    const raced = newOrders.filter((f) => !applied.has(f.gid)).map((f) => f.gid);
    if (raced.length) {
      const rows = await tx.order.findMany({ where: { shopId, shopifyId: { in: raced } }, select: { id: true, shopifyId: true } });
      for (const row of rows) {
        const fold = folds.get(row.shopifyId)!;
        fold.stored = { ...BLANK, ...row };
        fold.state.id = row.id;
      }
    }
  }
  const known = byKey([...folds.values()].filter((f) => f.stored && f.data && !applied.has(f.gid)), (f) => f.stored!.id!);
  const updated = await updateRows(
    tx,
    ORDER_UPDATE,
    known.map((f) => ({ id: f.stored!.id, ...f.data, placeholder: false, imported: f.importedIfPlaceholder })),
  );
  const gidOfId = new Map(known.map((f) => [f.stored!.id!, f.gid]));
  for (const { id } of updated) applied.add(gidOfId.get(id)!);
  stale += known.length - updated.length;

  // 4. Line items of the orders written: one insert; the known orders' items updated as well.
  const items = [...folds.values()].filter((f) => applied.has(f.gid)).flatMap((f) => [...f.items.values()].map((item) => ({ orderId: f.state.id!, ...item, known: f.stored !== null })));
  if (items.length) {
    const rows = byKey(items, (i) => `${i.orderId} ${i.shopifyId}`);
    await insertRows(tx, LINE_ITEM_INSERT, rows);
    await updateRows(tx, LINE_ITEM_UPDATE, rows.filter((i) => i.known));
  }

  // 5. Fulfillments and refunds (also those of payloads older than their order, as applyOrder does).
  const orderIdOf = (gid: string) => folds.get(gid)!.state.id!;
  await applyFulfillments(tx, shopId, fulfillments.map((f) => ({ orderId: orderIdOf(f.orderGid), payload: f.payload })), marks);
  await applyRefunds(tx, shopId, refunds.map((r) => ({ orderId: orderIdOf(r.orderGid), payload: r.payload, currency: r.currency })));

  return { orderIds: [...folds.values()].map((f) => f.state.id!), stale };
}

/** applyOrder's rules for one payload, on the order's state so far; false when the order holds a newer version. */
function foldOrder(fold: OrderFold, payload: OrderPayload, shop: Pick<Shop, "installedAt">): boolean {
  const state = fold.state;
  const isStale = !state.placeholder && state.shopifyUpdatedAt !== null && payload.updated_at < state.shopifyUpdatedAt;
  if (isStale) return false;
  const imported = state.placeholder ? placedBeforeInstall(placedAtOf(payload), shop) : state.imported;
  fold.importedIfPlaceholder ??= placedBeforeInstall(placedAtOf(payload), shop);
  const currency = payload.currency ?? state.currency;
  const confirmationNumber = payload.confirmation_number ?? state.confirmationNumber;
  fold.data = { ...orderData(payload, currency), confirmationNumber };
  fold.state = { ...state, placeholder: false, shopifyUpdatedAt: payload.updated_at, imported, currency, confirmationNumber };
  for (const item of lineItemRows(payload, currency)) fold.items.set(item.shopifyId, item);
  return true;
}

type StoredFulfillment = FulfillmentVersion & { id: string | null; trackingCompany: string | null; shipmentStatus: string | null };
type FulfillmentItem = { orderId: string; payload: OrderPayload["fulfillments"][number] };

const BLANK_FULFILLMENT: StoredFulfillment = { id: null, placeholder: true, shopifyUpdatedAt: null, shipmentStatus: null, shipmentStatusAt: null, estimatedDeliveryAt: null, deliveredAt: null, trackingCompany: null };
const FULFILLMENT_COLUMNS = ["placeholder", "status", "trackingCompany", "trackingNumbers", "trackingUrls", "lineItems", "estimatedDeliveryAt", "shopifyCreatedAt", "shopifyUpdatedAt", "shipmentStatus", "shipmentStatusAt", "deliveredAt"];
const FULFILLMENT_SELECT = { id: true, shopifyId: true, placeholder: true, shopifyUpdatedAt: true, shipmentStatusAt: true, estimatedDeliveryAt: true, deliveredAt: true, trackingCompany: true, shipmentStatus: true } as const;

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

async function applyFulfillments(tx: Tx, shopId: string, list: FulfillmentItem[], marks: DayMarks) {
  if (!list.length) return;
  const gids = [...new Set(list.map((f) => toGid("Fulfillment", f.payload.id)))];
  const read = async (shopifyIds: string[]) =>
    new Map((await tx.fulfillment.findMany({ where: { shopId, shopifyId: { in: shopifyIds } }, select: FULFILLMENT_SELECT })).map(({ shopifyId, ...row }) => [shopifyId, row]));
  const stored = await read(gids);
  let folds = foldFulfillments(list, stored);
  const fresh = byKey([...folds].filter(([, f]) => !f.stored && f.row), ([gid]) => gid);
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
      folds = new Map([...folds].filter(([gid]) => !made.has(gid)).map(([gid]) => [gid, foldFulfillments(list.filter((f) => toGid("Fulfillment", f.payload.id) === gid), stored).get(gid)!]));
    } else folds = new Map([...folds].filter(([gid]) => !made.has(gid)));
  }
  const known = byKey([...folds].filter(([, f]) => f.stored?.id && f.row), ([, f]) => f.stored!.id!);
  await updateRows(tx, FULFILLMENT_UPDATE, known.map(([, f]) => ({ id: f.stored!.id, ...fulfillmentColumns(f.row!), setStatus: f.setStatus, setDelivered: f.setDelivered })));
  // Delay figures are counted by carrier: the incidents of a fulfillment whose carrier changed move.
  const moved = known.filter(([, f]) => (f.row!.trackingCompany ?? null) !== f.stored!.trackingCompany).map(([, f]) => f.stored!.id!);
  if (moved.length) {
    const incidents = await tx.delayIncident.findMany({ where: { fulfillmentId: { in: moved } }, select: { detectedAt: true } });
    marks.push(...incidents.map((i) => i.detectedAt));
  }
}

async function applyRefunds(tx: Tx, shopId: string, list: { orderId: string; payload: OrderPayload["refunds"][number]; currency: string | null }[]) {
  if (!list.length) return;
  // The last version of each refund; a new one belongs to the order it first came with.
  const rows = new Map<string, { shopId: string; orderId: string; shopifyId: string } & ReturnType<typeof refundData>>();
  for (const { orderId, payload, currency } of list) {
    const shopifyId = toGid("Refund", payload.id);
    rows.set(shopifyId, { shopId, orderId: rows.get(shopifyId)?.orderId ?? orderId, shopifyId, ...refundData(payload, currency) });
  }
  const sorted = byKey([...rows.values()], (r) => r.shopifyId);
  const inserted = await insertRows(tx, REFUND_INSERT, sorted);
  const fresh = new Set(inserted.map((r) => r.shopifyId));
  await updateRows(tx, REFUND_UPDATE, sorted.filter((r) => !fresh.has(r.shopifyId)));
}
