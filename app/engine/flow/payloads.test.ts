import { describe, expect, it } from "vitest";
import { receiveFlowTrigger } from "../../../sandbox/emulator/flow-trigger";
import { FLOW_TRIGGERS, type FlowField } from "./definitions";
import { delayDetectedEvent, npsReceivedEvent, referenceId, reviewSubmittedEvent, tierReachedEvent, type FlowTriggerEvent } from "./payloads";

const customer = "gid://shopify/Customer/456";
const order = "gid://shopify/Order/123";

const cases: { name: string; event: FlowTriggerEvent; eventKey: string; payload: Record<string, unknown> }[] = [
  {
    name: "review submitted",
    event: reviewSubmittedEvent({
      id: "rev1",
      shopId: "s",
      productId: "gid://shopify/Product/789",
      customerShopifyId: customer,
      rating: 4,
      verifiedBuyer: true,
    }),
    eventKey: "rev1",
    payload: { product_id: 789, customer_id: 456, Rating: 4, "Verified buyer": true },
  },
  {
    name: "NPS response received",
    event: npsReceivedEvent({ id: "nps1", shopId: "s", customerShopifyId: customer, orderShopifyId: order, score: 3, segment: "detractor", comment: " late " }),
    eventKey: "nps1",
    payload: { customer_id: 456, order_id: 123, Score: 3, Category: "detractor", "Comment present": true },
  },
  {
    name: "loyalty tier reached",
    event: tierReachedEvent({ id: "m1", shopId: "s", customerShopifyId: customer }, "Gold", 1250),
    eventKey: "m1:Gold",
    payload: { customer_id: 456, Tier: "Gold", Balance: 1250 },
  },
  {
    name: "shipment delay detected",
    event: delayDetectedEvent({ id: "inc1", shopId: "s", cause: "late_in_transit" }, { shopifyId: order, customerShopifyId: customer }, "SORRY-ABCD1234"),
    eventKey: "inc1",
    payload: { order_id: 123, customer_id: 456, Cause: "late_in_transit", "Apology code": "SORRY-ABCD1234" },
  },
];

describe("Flow trigger payloads", () => {
  it.each(cases)("$name: numeric reference ids and the declared keys", ({ event, eventKey, payload }) => {
    expect(event.eventKey).toBe(eventKey);
    expect(event.payload).toEqual(payload);
    // Exactly what the extension declares, as Flow (and the emulator) checks it.
    const { handle } = FLOW_TRIGGERS[event.key];
    const fields: readonly FlowField[] = FLOW_TRIGGERS[event.key].fields;
    expect(receiveFlowTrigger({ handle, payload: event.payload })).toEqual({ userErrors: [] });
    expect(Object.keys(event.payload).sort()).toEqual(fields.map((f) => f.key ?? `${f.type.replace(/_reference$/, "")}_id`).sort());
  });

  it("leaves out a reference the event has not (a guest's order has no customer)", () => {
    const event = npsReceivedEvent({ id: "n", shopId: "s", customerShopifyId: null, orderShopifyId: order, score: 9, segment: "promoter", comment: null });
    expect(event.payload).toEqual({ order_id: 123, Score: 9, Category: "promoter", "Comment present": false });
    expect(delayDetectedEvent({ id: "i", shopId: "s", cause: "reported" }, { shopifyId: order, customerShopifyId: null }, "").payload).toEqual({
      order_id: 123,
      Cause: "reported",
      "Apology code": "",
    });
  });

  it("a blank comment is no comment", () => {
    const event = npsReceivedEvent({ id: "n", shopId: "s", customerShopifyId: customer, orderShopifyId: order, score: 7, segment: "passive", comment: "  " });
    expect(event.payload["Comment present"]).toBe(false);
  });

  it("reads numeric ids from gids only", () => {
    expect(referenceId("gid://shopify/Customer/9007199254740991")).toBe(9007199254740991);
    expect(referenceId("gid://shopify/Customer/abc")).toBeNull();
    expect(referenceId(null)).toBeNull();
    expect(referenceId("")).toBeNull();
  });
});
