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
import { byKey, columnsOf, insertOf, insertOrUpdateRows, insertRows, updateRows, type BulkUpdate } from "../util/bulk-update";
import { toGid } from "../util/gid";
import { customerData, customerGidOf, lineItemRows, orderData, placedAtOf, refundMoneyOf } from "./mirror";
import type { RefundMoney } from "./refund-money";
import { applyFulfillments, type FulfillmentItem } from "./mirror-chunk-fulfillments";
import { applyRefunds, type RefundItem } from "./mirror-chunk-refunds";
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
    { name: "presentmentCurrency", type: "text" },
    { name: "presentmentTotalCents", type: "int" },
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
  set: columnsOf("text", "email", "firstName", "lastName", "locale", "tags", "marketingConsent"),
};

const LINE_ITEM_UPDATE: BulkUpdate = {
  table: "LineItem",
  match: ["orderId", "shopifyId"],
  set: [
    ...columnsOf("text", "productId", "variantId", "title", "variant", "sku", "vendor"),
    ...columnsOf("int", "quantity", "priceCents", "presentmentPriceCents"),
  ],
};

const CUSTOMER_INSERT = insertOf(CUSTOMER_UPDATE, ["shopId", "shopifyId"], ["shopId", "shopifyId"], ["shopifyId"]);
const ORDER_INSERT = insertOf(ORDER_UPDATE, ["shopId", "shopifyId"], ["shopId", "shopifyId"], ["id", "shopifyId"]);
const LINE_ITEM_INSERT = insertOf(LINE_ITEM_UPDATE, ["orderId", "shopifyId"], ["orderId", "shopifyId"], ["shopifyId"]);

export interface ChunkApplied {
  /** Every order the chunk's payloads name (for their figures), applied or found newer. */
  orderIds: string[];
  /** Payloads older than the order already mirrored (a webhook brought a newer version). */
  stale: number;
}

/** The payloads folded onto their orders, with what they bring for the other tables. */
interface ChunkFold {
  folds: Map<string, OrderFold>;
  /** The last version of each customer of the payloads applied, by gid. */
  customers: Map<string, ReturnType<typeof customerData>>;
  /** Each fulfillment and refund payload with the order (gid) it came in and what that order's amounts were at that point. */
  fulfillments: { orderGid: string; payload: OrderPayload["fulfillments"][number] }[];
  refunds: { orderGid: string; payload: OrderPayload["refunds"][number]; money: RefundMoney }[];
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
  const chunk = foldChunk(new Map(storedRows.map((row) => [row.shopifyId, row])), payloads, shop);
  const { folds } = chunk;

  // 2. Customers: new ones inserted, known ones updated (the last payload's version of each).
  await writeCustomers(tx, shopId, chunk.customers);

  // 3. Orders: new ones inserted whole; known ones updated unless the stored row is newer by now.
  const { applied, stale } = await writeOrders(tx, shopId, folds);

  // 4. Line items of the orders written: one insert; the known orders' items updated as well.
  await writeLineItems(tx, folds, applied);

  // 5. Fulfillments and refunds (also those of payloads older than their order, as applyOrder does).
  const orderIdOf = (gid: string) => folds.get(gid)!.state.id!;
  const fulfillments: FulfillmentItem[] = chunk.fulfillments.map((f) => ({ orderId: orderIdOf(f.orderGid), payload: f.payload }));
  const refunds: RefundItem[] = chunk.refunds.map((r) => ({ orderId: orderIdOf(r.orderGid), payload: r.payload, money: r.money }));
  await applyFulfillments(tx, shopId, fulfillments, marks);
  await applyRefunds(tx, shopId, refunds);

  return { orderIds: [...folds.values()].map((f) => f.state.id!), stale: chunk.stale + stale };
}

/** Each payload folded onto its order (the stored row, or a blank one) in file order. */
function foldChunk(stored: Map<string, OrderState & { shopifyId: string }>, payloads: OrderPayload[], shop: Pick<Shop, "installedAt">): ChunkFold {
  const chunk: ChunkFold = { folds: new Map(), customers: new Map(), fulfillments: [], refunds: [], stale: 0 };
  for (const payload of payloads) {
    const gid = toGid("Order", payload.id);
    let fold = chunk.folds.get(gid);
    if (!fold) {
      const row = stored.get(gid) ?? null;
      fold = { gid, stored: row, state: row ?? { id: null, ...BLANK }, data: null, importedIfPlaceholder: null, items: new Map() };
      chunk.folds.set(gid, fold);
    }
    if (foldOrder(fold, payload, shop)) {
      const customerGid = customerGidOf(payload);
      if (payload.customer && customerGid) chunk.customers.set(customerGid, customerData(payload.customer));
    } else chunk.stale++;
    for (const f of payload.fulfillments) chunk.fulfillments.push({ orderGid: gid, payload: f });
    for (const r of payload.refunds) chunk.refunds.push({ orderGid: gid, payload: r, money: refundMoneyOf(payload, fold.state.currency) });
  }
  return chunk;
}

async function writeCustomers(tx: Tx, shopId: string, customers: ChunkFold["customers"]) {
  if (!customers.size) return;
  const rows = byKey(
    [...customers].map(([shopifyId, data]) => ({ shopId, shopifyId, ...data })),
    (c) => c.shopifyId,
  );
  await insertOrUpdateRows(tx, { insert: CUSTOMER_INSERT, update: CUSTOMER_UPDATE }, rows, "shopifyId");
}

/** Writes the orders' versions; returns the gids written and how many the stored row turned out newer than. */
async function writeOrders(tx: Tx, shopId: string, folds: Map<string, OrderFold>): Promise<{ applied: Set<string>; stale: number }> {
  const applied = new Set<string>(); // gids whose version was written
  const newOrders = byKey(
    [...folds.values()].filter((f) => !f.stored),
    (f) => f.gid,
  );
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
  const known = byKey(
    [...folds.values()].filter((f) => f.stored && f.data && !applied.has(f.gid)),
    (f) => f.stored!.id!,
  );
  const updated = await updateRows(
    tx,
    ORDER_UPDATE,
    known.map((f) => ({ id: f.stored!.id, ...f.data, placeholder: false, imported: f.importedIfPlaceholder })),
  );
  const gidOfId = new Map(known.map((f) => [f.stored!.id!, f.gid]));
  for (const { id } of updated) applied.add(gidOfId.get(id)!);
  return { applied, stale: known.length - updated.length };
}

async function writeLineItems(tx: Tx, folds: Map<string, OrderFold>, applied: Set<string>) {
  const items = [...folds.values()]
    .filter((f) => applied.has(f.gid))
    .flatMap((f) => [...f.items.values()].map((item) => ({ orderId: f.state.id!, ...item, known: f.stored !== null })));
  if (!items.length) return;
  const rows = byKey(items, (i) => `${i.orderId} ${i.shopifyId}`);
  await insertRows(tx, LINE_ITEM_INSERT, rows);
  await updateRows(
    tx,
    LINE_ITEM_UPDATE,
    rows.filter((i) => i.known),
  );
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
