// Bulk query operations (bulkOperationRunQuery) as Shopify runs them: the operation goes CREATED →
// RUNNING → COMPLETED while the emulator works through the matching orders in the background
// (counting objects and bytes), then its JSONL file is served at `url`. The file is written as
// Shopify writes it: one JSON object per line; the nodes of a nested connection are lines of their
// own right after their parent, with `__parentId` (the nearest enclosing object with an id: the
// order for its line items, the fulfillment for its fulfillment line items); lists that are not
// connections (fulfillments, refunds) stay inline. The file is generated again on each download
// from the orders chosen when the operation started, so 100 000 orders never sit in memory as text.
import crypto from "node:crypto";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Kind,
  execute,
  getNamedType,
  isObjectType,
  parse,
  validate,
  visit,
} from "graphql";
import { adminSchema } from "./schema";
import type { BulkOperation, EmulatorState, Order, ShopState } from "./state";
import { gid, parseId, toIsoSeconds } from "./state";

export type { BulkErrorCode, BulkOperation } from "./types";

/** Shopify's limits on a bulk query: at most five connections, nested at most two deep. */
const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;
/** Orders serialized per step: the background pass yields to the event loop between steps. */
const STEP = 500;

const isConnectionType = (name: string) => name.endsWith("Connection");

export function findBulkOperation(state: EmulatorState, id: unknown): BulkOperation | undefined {
  const n = parseId(id);
  return state.bulkOperations.find((op) => op.id === n);
}

/** The shop's query operation that has not finished, if any (Shopify runs one at a time per shop and app). */
export function currentBulkOperation(state: EmulatorState, shop: string): BulkOperation | null {
  const mine = state.bulkOperations.filter((op) => op.shop === shop);
  return mine[mine.length - 1] ?? null;
}

const running = (op: BulkOperation) => op.status === "CREATED" || op.status === "RUNNING";

export function bulkOperationView(op: BulkOperation) {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", op.id),
    status: op.status,
    errorCode: op.errorCode,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.fileSize === null ? null : String(op.fileSize),
    url: op.status === "COMPLETED" && op.rootObjectCount > 0 ? `${op.origin}/_bulk/${op.id}.jsonl?signature=${op.signature}` : null,
    partialDataUrl: null,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    query: op.query,
    type: "QUERY",
  };
}

interface Parsed {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  root: FieldNode;
}

/** Validates a bulk query the way Shopify does; a message for userErrors, or the parsed query. */
function parseBulkQuery(query: string): Parsed | string {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return `Invalid bulk query: ${(error as Error).message}`;
  }
  const errors = validate(adminSchema, document);
  if (errors.length) return `Invalid bulk query: ${errors[0].message}`;
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.operation !== "query") return "Invalid bulk query: it must be a query";
  const roots = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (roots.length !== 1 || roots[0].name.value !== "orders") return "Bulk queries in the emulator support one root field: orders";
  const fragments = fragmentsOf(document);
  const connections = connectionDepths(roots[0].selectionSet!, adminSchema.getQueryType()!.getFields().orders.type, fragments, 1);
  if (connections.length + 1 > MAX_CONNECTIONS) return `Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`;
  if (connections.some((d) => d > MAX_DEPTH)) return `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_DEPTH}.`;
  return { document, operation, root: roots[0] };
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
}

/** The fields of a selection set, with fragments spread in. */
function fieldsOf(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, fragments);
    const f = fragments[s.name.value];
    return f ? fieldsOf(f.selectionSet, fragments) : [];
  });
}

/** Depth of each nested connection (the root connection is depth 1). */
function connectionDepths(set: SelectionSetNode, type: unknown, fragments: Record<string, FragmentDefinitionNode>, depth: number): number[] {
  const named = getNamedType(type as never);
  if (!isObjectType(named)) return [];
  return fieldsOf(set, fragments).flatMap((field) => {
    const def = named.getFields()[field.name.value];
    if (!def || !field.selectionSet) return [];
    const inner = isConnectionType(getNamedType(def.type).name) ? depth + 1 : depth;
    return [...(inner > depth ? [inner] : []), ...connectionDepths(field.selectionSet, def.type, fragments, inner)];
  });
}

/**
 * Asks every nested connection for all its items (bulk queries page by themselves): the views'
 * connections need `first`, so one is added where the query has none.
 */
function unpaged(document: DocumentNode): DocumentNode {
  return visit(document, {
    Field(node) {
      if (!node.selectionSet || node.arguments?.some((a) => a.name.value === "first" || a.name.value === "last")) return undefined;
      if (!CONNECTION_FIELDS.has(node.name.value)) return undefined;
      return {
        ...node,
        arguments: [...(node.arguments ?? []), { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "first" }, value: { kind: Kind.INT, value: "250" } }],
      };
    },
  });
}

/** Fields of the schema that return a connection (the root `orders` is answered by the bulk runner itself). */
const CONNECTION_FIELDS = new Set(
  Object.values(adminSchema.getTypeMap())
    .filter(isObjectType)
    .flatMap((t) => Object.values(t.getFields()))
    .filter((f) => isConnectionType(getNamedType(f.type).name))
    .map((f) => f.name)
    .filter((name) => name !== "orders"),
);

export interface BulkDeps {
  state: EmulatorState;
  shop: ShopState;
  /** The orders the app may read (its scopes applied). */
  readable: () => Order[];
  /** Filters orders by Shopify search syntax, as the paged `orders` query does. */
  search: (orders: Order[], query: string | null | undefined) => Order[];
  /** The origin the file's URL points at (the emulator's own). */
  origin: string;
  /** Builds the GraphQL Order object (resolvers' view). */
  orderView: (shop: ShopState, o: Order) => unknown;
}

function stringArg(field: FieldNode, name: string): string | null {
  const v = field.arguments?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.STRING ? v.value : null;
}

/** bulkOperationRunQuery: starts the operation (or says why not), and works through it in the background. */
export function runBulkQuery(deps: BulkDeps, query: string) {
  const { state, shop } = deps;
  const current = currentBulkOperation(state, shop.domain);
  if (current && running(current)) {
    return {
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", current.id)}.`,
          code: "OPERATION_IN_PROGRESS",
        },
      ],
    };
  }
  const parsed = parseBulkQuery(query);
  if (typeof parsed === "string") return { bulkOperation: null, userErrors: [{ field: ["query"], message: parsed, code: "INVALID" }] };

  const reverse = parsed.root.arguments?.find((a) => a.name.value === "reverse")?.value;
  const orders = deps.search(deps.readable(), stringArg(parsed.root, "query")).sort((a, b) => a.id - b.id);
  if (reverse?.kind === Kind.BOOLEAN && reverse.value) orders.reverse();
  const op: BulkOperation = {
    id: state.nextId("bulkOperation"),
    shop: shop.domain,
    query,
    status: "CREATED",
    errorCode: state.bulkFailures.get(shop.domain) ?? null,
    createdAt: state.nowIso(),
    completedAt: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    orderIds: orders.map((o) => o.id),
    signature: crypto.randomBytes(12).toString("hex"),
    origin: deps.origin,
    expired: false,
    stepBytes: [],
  };
  state.bulkFailures.delete(shop.domain);
  state.bulkOperations.push(op);
  void workThrough(deps, op);
  return { bulkOperation: bulkOperationView(op), userErrors: [] };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The background pass: counts what the file will hold, a step at a time, then completes (or fails as told). Starts from CREATED only. */
export async function workThrough(deps: BulkDeps, op: BulkOperation) {
  await nextTick();
  if (op.status !== "CREATED") return;
  op.status = "RUNNING";
  if (op.errorCode) {
    await nextTick();
    op.status = "FAILED";
    return;
  }
  let bytes = 0;
  for (const { lines, roots } of bulkSteps(deps, op)) {
    let step = 0;
    for (const line of lines) step += Buffer.byteLength(line) + 1;
    op.stepBytes.push(step);
    bytes += step;
    op.objectCount += lines.length;
    op.rootObjectCount += roots;
    await nextTick();
    if (op.status !== "RUNNING") return; // cancelled meanwhile
  }
  op.fileSize = bytes;
  op.status = "COMPLETED";
  op.completedAt = toIsoSeconds(deps.state.now());
}

/** The file's lines, a step of orders at a time (each step: the JSONL lines and how many root objects they hold). */
export function* bulkSteps(deps: BulkDeps, op: BulkOperation, skip: (step: number) => boolean = () => false): Generator<{ lines: string[]; roots: number }> {
  const parsed = parseBulkQuery(op.query);
  if (typeof parsed === "string") return;
  const document = unpaged(parsed.document);
  const fragments = fragmentsOf(document);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const root = fieldsOf(operation.selectionSet, fragments)[0];
  const key = root.alias?.value ?? root.name.value;
  const orderType = adminSchema.getType("Order") as GraphQLObjectType;
  const byId = new Map(deps.shop.orders.map((o) => [o.id, o]));
  for (let i = 0; i < op.orderIds.length; i += STEP) {
    if (skip(i / STEP)) {
      yield { lines: [], roots: 0 };
      continue;
    }
    const chunk = op.orderIds.slice(i, i + STEP).flatMap((id) => byId.get(id) ?? []);
    const views = chunk.map((o) => deps.orderView(deps.shop, o));
    const connection = {
      nodes: views,
      edges: views.map((node) => ({ cursor: "", node })),
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
    const result = execute({ schema: adminSchema, document, rootValue: { orders: () => connection } });
    if ("then" in result) throw new Error("bulk queries resolve synchronously");
    const data = (result.data as Record<string, unknown> | null)?.[key];
    const lines: string[] = [];
    for (const node of connectionNodes(data, root.selectionSet!, fragments)) emitNode(node.value, node.set, orderType, null, fragments, lines);
    yield { lines, roots: chunk.length };
  }
}

/** The node objects of a connection value, whether the query asked for `nodes` or `edges { node }`. */
function connectionNodes(
  value: unknown,
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
): { value: Record<string, unknown>; set: SelectionSetNode }[] {
  if (!value || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  const out: { value: Record<string, unknown>; set: SelectionSetNode }[] = [];
  for (const field of fieldsOf(set, fragments)) {
    const items = record[field.alias?.value ?? field.name.value];
    if (!Array.isArray(items) || !field.selectionSet) continue;
    if (field.name.value === "nodes") for (const item of items) out.push({ value: item as Record<string, unknown>, set: field.selectionSet });
    if (field.name.value === "edges") {
      const nodeField = fieldsOf(field.selectionSet, fragments).find((f) => f.name.value === "node");
      if (!nodeField?.selectionSet) continue;
      for (const edge of items)
        out.push({ value: (edge as Record<string, unknown>)[nodeField.alias?.value ?? "node"] as Record<string, unknown>, set: nodeField.selectionSet });
    }
  }
  return out;
}

interface Child {
  parentId: string | null;
  nodes: { value: Record<string, unknown>; set: SelectionSetNode }[];
  type: GraphQLObjectType;
}

/** One line for the node, then its connections' nodes, each a line of its own (recursively). */
function emitNode(
  value: Record<string, unknown>,
  set: SelectionSetNode,
  type: GraphQLObjectType,
  parentId: string | null,
  fragments: Record<string, FragmentDefinitionNode>,
  out: string[],
) {
  const children: Child[] = [];
  const line = shape(value, set, type, null, fragments, children) as Record<string, unknown>;
  out.push(JSON.stringify(parentId ? { ...line, __parentId: parentId } : line));
  for (const child of children) for (const node of child.nodes) emitNode(node.value, node.set, child.type, child.parentId, fragments, out);
}

/** The value with its connection fields taken out (into `children`, under the nearest enclosing id). */
function shape(
  value: unknown,
  set: SelectionSetNode | undefined,
  type: unknown,
  enclosingId: string | null,
  fragments: Record<string, FragmentDefinitionNode>,
  children: Child[],
): unknown {
  if (value === null || value === undefined || !set) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => shape(v, set, type, enclosingId, fragments, children));
  const named = getNamedType(type as never);
  if (!isObjectType(named)) return value;
  const record = value as Record<string, unknown>;
  const id = typeof record.id === "string" ? record.id : enclosingId;
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(set, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    const def = named.getFields()[field.name.value];
    const fieldType = getNamedType(def.type);
    if (isConnectionType(fieldType.name) && field.selectionSet) {
      const nodeType = getNamedType((fieldType as GraphQLObjectType).getFields().nodes.type) as GraphQLObjectType;
      children.push({ parentId: id, nodes: connectionNodes(record[key], field.selectionSet, fragments), type: nodeType });
      continue;
    }
    out[key] = shape(record[key], field.selectionSet, def.type, id, fragments, children);
  }
  return out;
}

/**
 * The file from byte `from` on (a ranged download: Shopify's file storage answers `Range: bytes=N-`),
 * a step at a time; the steps wholly before `from` are not generated.
 */
export function* bulkFile(deps: BulkDeps, op: BulkOperation, from = 0): Generator<string | Buffer> {
  const starts: number[] = [];
  for (let at = 0, i = 0; i < op.stepBytes.length; at += op.stepBytes[i++]) starts.push(at);
  const skip = (step: number) => from > 0 && step < starts.length && starts[step] + op.stepBytes[step] <= from;
  let step = 0;
  for (const { lines } of bulkSteps(deps, op, skip)) {
    const start = starts[step++] ?? 0;
    if (!lines.length) continue;
    const text = `${lines.join("\n")}\n`;
    yield from > start ? Buffer.from(text).subarray(from - start) : text;
  }
}

/** The start of a `Range: bytes=N-` header (the only form the app sends), or null for the whole file. */
export function rangeStart(header: string | undefined | null): number | null {
  const m = /^bytes=(\d+)-$/.exec(header?.trim() ?? "");
  return m ? Number(m[1]) : null;
}

/** The operation whose file this signed path names, or why not (403: expired or a wrong signature, as a storage URL). */
export function bulkDownload(state: EmulatorState, id: unknown, signature: string | null): { op: BulkOperation } | { status: number; message: string } {
  const op = findBulkOperation(state, id);
  if (!op || op.status !== "COMPLETED") return { status: 404, message: "NoSuchKey" };
  if (op.expired || !signature || signature !== op.signature) return { status: 403, message: "Request has expired or the signature does not match" };
  return { op };
}
