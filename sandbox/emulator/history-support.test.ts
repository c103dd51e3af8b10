// What the history import relies on: the demo shop's year of orders (deterministic, realistic
// repeat behaviour) and Shopify's rule that apps without read_all_orders see the last 60 days.
import { describe, expect, it } from "vitest";
import { adminGraphql, exchangeToken, useTestSandbox, type TestSandbox } from "../testing/fake-app";
import { RECENT_ORDERS_DAYS } from "./resolvers";
import { DEMO_SHOP, seedDemoShop } from "./seed";
import { HISTORY_CUSTOMERS } from "./seed-history";
import { EmulatorState } from "./state";

const DAY = 86_400_000;

describe("the demo shop's history", () => {
  it("holds a year of orders from ~150 more customers, about 30 % of them repeat buyers", () => {
    const shop = seedDemoShop(new EmulatorState());
    expect(shop.orders.length).toBeGreaterThanOrEqual(250);
    expect(shop.orders.length).toBeLessThanOrEqual(400);
    expect(shop.customers).toHaveLength(8 + HISTORY_CUSTOMERS);
    const created = shop.orders.map((o) => Date.parse(o.createdAt));
    expect(Date.now() - Math.min(...created)).toBeGreaterThan(300 * DAY);
    expect(Date.now() - Math.min(...created)).toBeLessThanOrEqual(366 * DAY);
    // Order numbers grow with time, as in a real shop.
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(shop.orders.map((o) => o.number)).toEqual(shop.orders.map((_, i) => 1001 + i));

    const perCustomer = new Map<number, number>();
    for (const o of shop.orders.slice(0, -3)) perCustomer.set(o.customerId, (perCustomer.get(o.customerId) ?? 0) + 1);
    const counts = [...perCustomer.values()];
    const repeat = counts.filter((n) => n >= 2).length / counts.length;
    expect(repeat).toBeGreaterThanOrEqual(0.25);
    expect(repeat).toBeLessThanOrEqual(0.35);
    expect(counts.filter((n) => n >= 3).length).toBeGreaterThanOrEqual(5);
    expect(new Set(shop.customers.map((c) => c.email)).size).toBe(shop.customers.length);
    expect(shop.customers.slice(8).every((c) => c.email.endsWith("@example.com"))).toBe(true);

    const past = shop.orders.slice(0, -3);
    expect(past.filter((o) => o.cancelledAt).length).toBeGreaterThanOrEqual(2);
    expect(past.filter((o) => o.refunds.length && !o.cancelledAt).length).toBeGreaterThanOrEqual(2);
    expect(past.filter((o) => o.test)).toHaveLength(2);
    // Nothing from the past is still in flight: delivered, or cancelled before shipping.
    expect(past.every((o) => o.cancelledAt || o.fulfillments.every((f) => f.shipmentStatus === "delivered"))).toBe(true);
  });

  it("keeps the named customers and their three recent orders as they were", () => {
    const shop = seedDemoShop(new EmulatorState());
    expect(shop.customers.slice(0, 8).map((c) => c.email)).toEqual([
      "avery.brooks@example.com",
      "mateo.alvarez@example.com",
      "priya.nair@example.com",
      "oliver.hughes@example.com",
      "camille.lefebvre@example.com",
      "jonas.becker@example.com",
      "chloe.nguyen@example.com",
      "haruto.sato@example.com",
    ]);
    const recent = shop.orders.slice(-3);
    expect(recent.map((o) => [o.email, o.fulfillments[0]?.shipmentStatus ?? null])).toEqual([
      ["avery.brooks@example.com", "delivered"],
      ["priya.nair@example.com", "in_transit"],
      ["camille.lefebvre@example.com", null],
    ]);
    expect(shop.customers.slice(0, 8).map((c) => c.ordersCount)).toEqual([1, 0, 1, 0, 1, 0, 0, 0]);
  });

  it("is the same on every start", () => {
    const a = seedDemoShop(new EmulatorState());
    const b = seedDemoShop(new EmulatorState());
    const shape = (s: typeof a) => s.orders.map((o) => [o.name, o.email, o.lineItems.length, o.financialStatus, o.cancelledAt !== null, o.test]);
    expect(shape(a)).toEqual(shape(b));
  });
});

describe("orders an app may read", () => {
  let t: TestSandbox;
  let token: string;
  let scope: string;

  const exchange = () => exchangeToken(t.sandbox, DEMO_SHOP);

  const gql = async (query: string, variables?: Record<string, unknown>) => (await adminGraphql(t, token, query, variables)).json;

  async function allOrders(query?: string) {
    const ids: { id: string; createdAt: string }[] = [];
    let after: string | null = null;
    for (;;) {
      const r = await gql(
        `query P($after: String, $q: String) { orders(first: 250, after: $after, query: $q, sortKey: CREATED_AT, reverse: true) { pageInfo { hasNextPage endCursor } nodes { id createdAt } } }`,
        { after, q: query ?? null },
      );
      expect(r.errors).toBeUndefined();
      ids.push(...r.data.orders.nodes);
      if (!r.data.orders.pageInfo.hasNextPage) return ids;
      after = r.data.orders.pageInfo.endCursor;
    }
  }

  useTestSandbox(async (started) => {
    t = started;
    ({ access_token: token, scope } = await exchange());
  });

  it("lists only the last 60 days without read_all_orders (the test app does not request it), newest first", async () => {
    expect(scope).not.toContain("read_all_orders");
    const shop = t.sandbox.emulator.shop(DEMO_SHOP);
    const oldest = Date.now() - RECENT_ORDERS_DAYS * DAY;
    const recent = shop.orders.filter((o) => Date.parse(o.createdAt) >= oldest);
    expect(recent.length).toBeLessThan(shop.orders.length);

    const listed = await allOrders();
    expect(listed.map((o) => o.id).sort()).toEqual(recent.map((o) => `gid://shopify/Order/${o.id}`).sort());
    const times = listed.map((o) => Date.parse(o.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const old = shop.orders[0];
    expect((await gql(`query O($id: ID!) { order(id: $id) { id } }`, { id: `gid://shopify/Order/${old.id}` })).data.order).toBeNull();
  });

  it("lists everything once the shop grants read_all_orders, and filters by creation time", async () => {
    const granted = await t.sandbox.emulator.setGrantedScopes(DEMO_SHOP, `${scope},read_all_orders`);
    expect(granted.scopes).toContain("read_all_orders");
    const shop = t.sandbox.emulator.shop(DEMO_SHOP);
    // The existing token reads more at once; a new one is issued with the granted scopes.
    expect(await allOrders()).toHaveLength(shop.orders.length);
    expect((await exchange()).scope).toBe(granted.scopes);

    const from = shop.orders[10].createdAt;
    const to = shop.orders[20].createdAt;
    const window = await allOrders(`created_at:>='${from}' created_at:<='${to}'`);
    expect(window.map((o) => o.id)).toEqual(
      shop.orders
        .slice(10, 21)
        .reverse()
        .map((o) => `gid://shopify/Order/${o.id}`),
    );

    await t.sandbox.emulator.setGrantedScopes(DEMO_SHOP, null);
    expect((await exchange()).scope).toBe(scope);
  });
});
