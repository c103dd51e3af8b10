// What reconciliation relies on: state changes without webhooks (missed deliveries), the order
// fields it reads, actual-cost refunds and configurable cost buckets.
import { describe, expect, it } from "vitest";
import { useInstalledShop } from "../testing/fake-app";

const SHOP = "reconcile-support.myshopify.com";
const shop = useInstalledShop(SHOP);
const { gql } = shop;

/** A control request that must succeed: its JSON. */
async function control(path: string, body?: unknown, method = "POST") {
  const res = await shop.control(path, body, method);
  expect(res.status).toBe(200);
  return res.json;
}

const ORDER = `query One($id: ID!) { order(id: $id) {
  id updatedAt customerAcceptsMarketing cancelledAt cancelReason displayFinancialStatus displayFulfillmentStatus
  totalDiscountsSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount currencyCode } }
  fulfillments { id displayStatus trackingInfo { company number } fulfillmentLineItems(first: 10) { nodes { id lineItem { id } quantity } } }
  refunds { id totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) { nodes { lineItem { id } quantity subtotalSet { shopMoney { amount } } } } }
  lineItems(first: 10) { nodes { id quantity } } } }`;

describe("changes without webhooks (missed deliveries)", () => {
  it('with "webhooks": false › changes the state, sends nothing, and bumps updatedAt', async () => {
    const before = shop.t.app.received.length;
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
    expect(shop.t.app.received.length).toBe(before);

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
    expect(shop.t.app.received.length).toBeGreaterThan(before);
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
