// Bulk query operations: the lifecycle, Shopify's JSONL shape (children as their own lines after
// their parent, with __parentId; non-connection lists inline), the search filter and the limits.
import { describe, expect, it } from "vitest";
import { execute, parse } from "graphql";
import { bulkFile, findBulkOperation, rangeStart } from "./bulk";
import { bulkDeps, rootResolvers } from "./resolvers";
import { adminSchema } from "./schema";
import { seedDemoShop } from "./seed";
import { EmulatorState } from "./state";

const RUN = "mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { message } } }";
const POLL = "query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount fileSize url } } }";
const QUERY = `{ orders(query: "created_at:>='2000-01-01T00:00:00Z'") { edges { node { id email
  lineItems { edges { node { id quantity } } }
  fulfillments { id fulfillmentLineItems { edges { node { quantity } } } } } } } }`;

function emulator() {
  const state = new EmulatorState();
  const shop = seedDemoShop(state);
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await execute({
      schema: adminSchema,
      document: parse(query),
      rootValue: rootResolvers(state, shop, undefined, "http://emu.test"),
      variableValues: variables,
    });
    if (result.errors?.length) throw result.errors[0];
    return result.data as any;
  };
  return { state, shop, gql };
}

describe("bulkOperationRunQuery", () => {
  it("goes CREATED → RUNNING → COMPLETED and serves the file: children after their parent with __parentId, lists inline", async () => {
    const { state, shop, gql } = emulator();
    const started = (await gql(RUN, { q: QUERY })).bulkOperationRunQuery;
    expect(started).toMatchObject({ bulkOperation: { status: "CREATED" }, userErrors: [] });
    await expect.poll(async () => (await gql(POLL, { id: started.bulkOperation.id })).node.status).toBe("COMPLETED");
    const done = (await gql(POLL, { id: started.bulkOperation.id })).node;
    expect(Number(done.rootObjectCount)).toBe(shop.orders.length);
    expect(done.url).toMatch(/^http:\/\/emu\.test\/_bulk\/\d+\.jsonl\?signature=/);

    const op = findBulkOperation(state, started.bulkOperation.id)!;
    const text = [...bulkFile(bulkDeps(state, shop), op)].join("");
    expect(Buffer.byteLength(text)).toBe(Number(done.fileSize));
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(Number(done.objectCount));
    const items = shop.orders.reduce((n, o) => n + o.lineItems.length, 0);
    const shipped = shop.orders.reduce((n, o) => n + o.fulfillments.reduce((m, f) => m + f.lineItems.length, 0), 0);
    expect(lines.length).toBe(shop.orders.length + items + shipped);

    let order: any = null;
    const fulfillments = new Set<string>();
    for (const line of lines) {
      if (!line.__parentId) {
        order = line;
        expect(line.lineItems).toBeUndefined(); // a connection: never inline
        expect(Array.isArray(line.fulfillments)).toBe(true); // a list: inline
        fulfillments.clear();
        for (const f of line.fulfillments) fulfillments.add(f.id);
      } else if (line.id?.startsWith("gid://shopify/LineItem/")) expect(line.__parentId).toBe(order.id);
      else expect(fulfillments.has(line.__parentId)).toBe(true);
    }
  });

  it("respects the query's created_at filter and the 60-day rule, one operation at a time per shop", async () => {
    const { state, shop, gql } = emulator();
    const cut = shop.orders[Math.floor(shop.orders.length / 2)].createdAt;
    const q = `{ orders(query: "created_at:>='${cut}'") { edges { node { id } } } }`;
    const first = (await gql(RUN, { q })).bulkOperationRunQuery;
    const second = (await gql(RUN, { q })).bulkOperationRunQuery;
    expect(second.userErrors[0].message).toContain("already in progress");
    await expect.poll(() => findBulkOperation(state, first.bulkOperation.id)!.status).toBe("COMPLETED");
    const op = findBulkOperation(state, first.bulkOperation.id)!;
    expect(op.rootObjectCount).toBe(shop.orders.filter((o) => Date.parse(o.createdAt) >= Date.parse(cut)).length);
    expect((await gql("{ ordersCount(query: \"created_at:>='" + cut + "'\") { count precision } }")).ordersCount).toEqual({
      count: op.rootObjectCount,
      precision: "EXACT",
    });
  });

  it("refuses queries beyond Shopify's limits, and fails an operation when told to", async () => {
    const { state, shop, gql } = emulator();
    const deep =
      "{ orders { edges { node { fulfillments { fulfillmentLineItems { edges { node { lineItem { id } } } } } lineItems { edges { node { product { variants { edges { node { id } } } } } } } } } } }";
    expect((await gql(RUN, { q: deep })).bulkOperationRunQuery.userErrors[0].message).toMatch(/nesting depth/);
    state.bulkFailures.set(shop.domain, "ACCESS_DENIED");
    const started = (await gql(RUN, { q: QUERY })).bulkOperationRunQuery;
    await expect.poll(() => findBulkOperation(state, started.bulkOperation.id)!.status).toBe("FAILED");
    expect((await gql("query($id: ID!) { node(id: $id) { ... on BulkOperation { status errorCode url } } }", { id: started.bulkOperation.id })).node).toEqual({
      status: "FAILED",
      errorCode: "ACCESS_DENIED",
      url: null,
    });
  });
});

describe("ranged downloads of the file", () => {
  it("serves the file from a byte on without writing the steps before it, and reads the Range header's one form", { timeout: 60_000 }, async () => {
    const { state, shop, gql } = emulator();
    for (let i = 0; i < 3; i++) shop.orders.push(...shop.orders.map((o) => ({ ...o, id: o.id * 10 + i + 1 })));
    const started = (await gql(RUN, { q: QUERY })).bulkOperationRunQuery;
    await expect.poll(async () => (await gql(POLL, { id: started.bulkOperation.id })).node.status, { timeout: 30_000 }).toBe("COMPLETED");
    const op = findBulkOperation(state, started.bulkOperation.id)!;
    expect(op.stepBytes.length).toBeGreaterThan(1);
    const whole = Buffer.concat([...bulkFile(bulkDeps(state, shop), op)].map((t) => Buffer.from(t)));
    expect(whole.length).toBe(op.fileSize);
    for (const from of [1, op.stepBytes[0] - 7, op.stepBytes[0], op.stepBytes[0] + 1, whole.length - 1]) {
      const rest = Buffer.concat([...bulkFile(bulkDeps(state, shop), op, from)].map((t) => Buffer.from(t)));
      expect(rest.equals(whole.subarray(from))).toBe(true);
    }
    expect(rangeStart("bytes=120-")).toBe(120);
    expect(rangeStart("bytes=0-99")).toBeNull();
    expect(rangeStart(undefined)).toBeNull();
  });
});
