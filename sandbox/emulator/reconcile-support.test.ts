// What reconciliation relies on: state changes without webhooks (missed deliveries), the order
// fields it reads, actual-cost refunds and configurable cost buckets.
import { describe, expect, it } from "vitest";
import { exchangeToken, useTestSandbox, type TestSandbox } from "../testing/fake-app";

let t: TestSandbox;
let token: string;
const SHOP = "reconcile-support.myshopify.com";

useTestSandbox(async (started) => {
  t = started;
  token = (await exchangeToken(t.sandbox, SHOP)).access_token;
});

async function control<T = any>(path: string, body?: unknown, method = "POST"): Promise<T> {
  const res = await fetch(`${t.sandbox.adminApiUrl}/_control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function gql(query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`${t.sandbox.adminApiUrl}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Record<string, any>;
}

const ORDER = `query One($id: ID!) { order(id: $id) {
  id updatedAt customerAcceptsMarketing cancelledAt cancelReason displayFinancialStatus displayFulfillmentStatus
  totalDiscountsSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount currencyCode } }
  fulfillments { id displayStatus trackingInfo { company number } fulfillmentLineItems(first: 10) { nodes { id lineItem { id } quantity } } }
  refunds { id totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) { nodes { lineItem { id } quantity subtotalSet { shopMoney { amount } } } } }
  lineItems(first: 10) { nodes { id quantity } } } }`;

describe("changes without webhooks (missed deliveries)", () => {
  it('with "webhooks": false › changes the state, sends nothing, and bumps updatedAt', async () => {
    const before = t.app.received.length;
    const placed = await control(`/shops/${SHOP}/orders`, {
      email: "silent@example.com",
      lineItems: [{ title: "Mug", price: "9.00", quantity: 2 }],
      webhooks: false,
    });
    expect(placed.webhooks).toEqual([]);
    const { fulfillmentId } = await control(`/shops/${SHOP}/orders/${placed.orderId}/fulfill`, { trackingNumber: "SIL-1", company: "DHL", webhooks: false });
    await control(`/shops/${SHOP}/fulfillments/${fulfillmentId}/events`, { status: "in_transit", webhooks: false });
    await control(`/shops/${SHOP}/orders/${placed.orderId}/refund`, { webhooks: false });
    await control(`/shops/${SHOP}/orders/${placed.orderId}/cancel`, { webhooks: false });
    expect(t.app.received.length).toBe(before);

    const r = await gql(ORDER, { id: `gid://shopify/Order/${placed.orderId}` });
    expect(r.errors).toBeUndefined();
    const o = r.data.order;
    const lineItemId = o.lineItems.nodes[0].id;
    expect(o).toMatchObject({
      customerAcceptsMarketing: false,
      cancelReason: "CUSTOMER",
      displayFinancialStatus: "REFUNDED",
      displayFulfillmentStatus: "FULFILLED",
      totalDiscountsSet: { shopMoney: { amount: "0.00" } },
      totalShippingPriceSet: { shopMoney: { amount: "0.00", currencyCode: "USD" } },
    });
    expect(o.cancelledAt).toEqual(expect.any(String));
    expect(o.fulfillments).toEqual([
      {
        id: `gid://shopify/Fulfillment/${fulfillmentId}`,
        displayStatus: "IN_TRANSIT",
        trackingInfo: [{ company: "DHL", number: "SIL-1" }],
        fulfillmentLineItems: {
          nodes: [{ id: expect.stringMatching(/^gid:\/\/shopify\/FulfillmentLineItem\/\d+$/), lineItem: { id: lineItemId }, quantity: 2 }],
        },
      },
    ]);
    expect(o.refunds[0]).toMatchObject({
      totalRefundedSet: { shopMoney: { amount: "18.00" } },
      refundLineItems: { nodes: [{ lineItem: { id: lineItemId }, quantity: 2, subtotalSet: { shopMoney: { amount: "18.00" } } }] },
    });

    // The updated_at filter finds it, and webhooks are still sent by default.
    const since = new Date(Date.parse(o.updatedAt) - 1000).toISOString();
    const found = await gql(`query Q($q: String) { orders(first: 5, query: $q, sortKey: UPDATED_AT) { nodes { id } } }`, { q: `updated_at:>'${since}'` });
    expect(found.data.orders.nodes.map((n: { id: string }) => n.id)).toContain(o.id);
    await control(`/shops/${SHOP}/orders`, { email: "loud@example.com" });
    expect(t.app.received.length).toBeGreaterThan(before);
  });
});

describe("query cost", () => {
  it("gives back the difference between the requested and the actual cost", async () => {
    await control(`/shops/${SHOP}/throttle`, undefined, "DELETE");
    const r = await gql(`{ orders(first: 10) { nodes { id lineItems(first: 20) { nodes { id variant { id } } } } } }`);
    const { requestedQueryCost, actualQueryCost, throttleStatus } = r.extensions.cost;
    expect(requestedQueryCost).toBe(2 + 10 * (1 + 2 + 20 * 2));
    expect(actualQueryCost).toBeLessThan(requestedQueryCost);
    expect(2000 - throttleStatus.currentlyAvailable).toBeLessThanOrEqual(actualQueryCost + 1);
  });

  it("serves other plan limits and a drained bucket, and throttles what it cannot afford", async () => {
    // A slow refill: the 12 points the query asks for stay out of reach however loaded the machine
    // is (at 50/s, 40 ms between the two requests refilled enough once).
    expect(await control(`/shops/${SHOP}/throttle`, { maximumAvailable: 500, restoreRate: 1, currentlyAvailable: 2 })).toEqual({
      maximumAvailable: 500,
      restoreRate: 1,
      currentlyAvailable: 2,
    });
    const throttled = await gql(`{ orders(first: 10) { nodes { id } } }`);
    expect(throttled.errors?.[0].extensions.code).toBe("THROTTLED");
    expect(throttled.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 500, restoreRate: 1 });
    await control(`/shops/${SHOP}/throttle`, undefined, "DELETE");
    const ok = await gql(`{ orders(first: 10) { nodes { id } } }`);
    expect(ok.errors).toBeUndefined();
    expect(ok.extensions.cost.throttleStatus.maximumAvailable).toBe(2000);
  });
});
