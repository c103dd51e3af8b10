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
  /** The byte of the file just after that line (when the lines carry their ends): where a ranged download resumes. */
  endByte?: number;
}

/** One line of the file without its line break, and the byte offset just after it in the file. */
export interface FileLine {
  text: string;
  end: number;
}

/**
 * Splits a byte stream into lines, counting bytes exactly (a line ends at "\n"; a "\r" before it is
 * dropped), starting at byte `start` of the file (a ranged download).
 */
export async function* fileLines(input: AsyncIterable<Uint8Array | string>, start = 0): AsyncGenerator<FileLine> {
  let at = start;
  let rest: Buffer | null = null;
  for await (const piece of input) {
    const bytes = typeof piece === "string" ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    const buffer: Buffer = rest ? Buffer.concat([rest, bytes]) : bytes;
    let from = 0;
    for (let nl = buffer.indexOf(10, from); nl !== -1; nl = buffer.indexOf(10, from)) {
      at += nl + 1 - from;
      const text = buffer.toString("utf8", from, nl > from && buffer[nl - 1] === 13 ? nl - 1 : nl);
      from = nl + 1;
      yield { text, end: at };
    }
    rest = from < buffer.length ? Buffer.from(buffer.subarray(from)) : null;
  }
  if (rest) yield { text: rest.toString("utf8"), end: at + rest.length };
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
 * applied: it always stopped at an order's end). `firstLine`: the number of lines before the first
 * one given (a ranged download starts after the applied lines: nothing to skip, the count goes on).
 * A child whose parent is not the order being read means the file is not grouped as asked: an error
 * (never silently a wrong order). Messages name line numbers and ids only, never data.
 */
export async function* readOrders(lines: AsyncIterable<string | FileLine>, skip = 0, firstLine = 0): AsyncGenerator<FileOrder> {
  let n = firstLine;
  let current: Obj | null = null;
  let parents = new Map<string, Obj>();
  let before: number | undefined; // the byte after the line read before this one
  let end: number | undefined;
  for await (const item of lines) {
    n++;
    const line = typeof item === "string" ? item : item.text;
    before = end;
    end = typeof item === "string" ? undefined : item.end;
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
      if (current) yield { node: current, endLine: n - 1, endByte: before };
      current = value;
      parents = openOrder(current);
      continue;
    }
    const parent = typeof parentId === "string" ? parents.get(parentId) : undefined;
    if (!parent) throw new BulkFileError(`line ${n}: its parent ${String(parentId)} is not part of the order being read`);
    delete value.__parentId;
    (parent[CHILD_CONNECTION[typeOf(String(parent.id))]] as { nodes: Obj[] }).nodes.push(value);
  }
  if (current) yield { node: current, endLine: n, endByte: end };
}
