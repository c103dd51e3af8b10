// Reads a bulk operation's JSONL file as a stream of whole orders. Each line is one object; the
// nodes of the nested connections (line items; fulfillment and refund lines) are lines of their
// own right after their order (the query asks for grouped output), pointing at their parent with
// `__parentId`: the order for a line item, the fulfillment or refund (inline in the order's line)
// for theirs. An order is complete when the next order's line arrives, so only one order is ever
// held — 100 000 orders stream through in constant memory. Pure: no I/O of its own.

export interface FileOrder {
  /** The order as the paged query's node shape (`lineItems.nodes`, `fulfillments[].fulfillmentLineItems.nodes`…). */
  node: Record<string, unknown>;
  /** Lines of the file read up to and including this order's last child: where a resumed read starts. */
  endLine: number;
}

/** Which connection a child line belongs to, by its parent's type. */
const CHILD_CONNECTION: Record<string, string> = { Order: "lineItems", Fulfillment: "fulfillmentLineItems", Refund: "refundLineItems" };

const typeOf = (gid: string) => /^gid:\/\/shopify\/(\w+)\//.exec(gid)?.[1] ?? "";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Gives the order and its inline fulfillments/refunds their (empty) connections and indexes them by id. */
function openOrder(order: Obj): Map<string, Obj> {
  const parents = new Map<string, Obj>();
  const open = (owner: Obj) => {
    const connection = CHILD_CONNECTION[typeOf(String(owner.id ?? ""))];
    if (!connection) return;
    owner[connection] = { nodes: [] };
    parents.set(String(owner.id), owner);
  };
  open(order);
  for (const list of [order.fulfillments, order.refunds]) if (Array.isArray(list)) for (const part of list) if (isObj(part)) open(part);
  return parents;
}

export class BulkFileError extends Error {}

/**
 * The file's orders, one at a time, after skipping the first `skip` lines (the ones a previous run
 * applied: it always stopped at an order's end). A child whose parent is not the order being read
 * means the file is not grouped as asked: an error (never silently a wrong order). Messages name
 * line numbers and ids only, never data.
 */
export async function* readOrders(lines: AsyncIterable<string>, skip = 0): AsyncGenerator<FileOrder> {
  let n = 0;
  let current: Obj | null = null;
  let parents = new Map<string, Obj>();
  for await (const line of lines) {
    n++;
    if (n <= skip || !line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BulkFileError(`line ${n} of the bulk operation's file is not JSON`);
    }
    if (!isObj(value)) throw new BulkFileError(`line ${n} of the bulk operation's file is not an object`);
    const parentId = value.__parentId;
    if (parentId === undefined) {
      if (current) yield { node: current, endLine: n - 1 };
      current = value;
      parents = openOrder(current);
      continue;
    }
    const parent = typeof parentId === "string" ? parents.get(parentId) : undefined;
    if (!parent) throw new BulkFileError(`line ${n}: its parent ${String(parentId)} is not part of the order being read`);
    delete value.__parentId;
    ((parent[CHILD_CONNECTION[typeOf(String(parent.id))]] as { nodes: Obj[] }).nodes).push(value);
  }
  if (current) yield { node: current, endLine: n };
}
