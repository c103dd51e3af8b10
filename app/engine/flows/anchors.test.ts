import { describe, expect, it } from "vitest";
import type { Fulfillment } from "@prisma/client";
import { orderRow, type OrderRowParts } from "../../../tests/support/order-rows";
import { anchorFor, isFullyShipped, orderStopReason } from "./anchors";
import { afterActivation, dueTime, holdoutGroup, inHoldout } from "./planner";

const placedAt = new Date("2026-11-02T10:00:00Z");
const day = 86_400_000;

const order = (parts: Partial<OrderRowParts> = {}) =>
  orderRow({
    placedAt,
    lineItems: [
      { shopifyId: "li1", quantity: 2, priceCents: 1000 },
      { shopifyId: "li2", quantity: 1, priceCents: 1000 },
    ],
    ...parts,
  });

const ship = (items: [string, number][], createdAt: Date, deliveredAt: Date | null = null): Partial<Fulfillment> => ({
  lineItems: items.map(([lineItemId, quantity]) => ({ lineItemId, quantity })),
  shopifyCreatedAt: createdAt,
  deliveredAt,
});

describe("delivery anchors", () => {
  it("waits until every kept item has shipped", () => {
    const partial = order({ fulfillments: [ship([["li1", 2]], new Date(placedAt.getTime() + day))] });
    expect(isFullyShipped(partial)).toBe(false);
    expect(anchorFor("delivered", partial, 10)).toBeNull();
  });

  it("does not wait for items that were refunded", () => {
    const o = order({
      fulfillments: [ship([["li1", 2]], new Date(placedAt.getTime() + day))],
      refunds: [{ lineItems: [{ lineItemId: "li2", quantity: 1 }], amountCents: 500 }],
    });
    expect(isFullyShipped(o)).toBe(true);
  });

  it("anchors on the LAST delivery of a split order", () => {
    const first = new Date(placedAt.getTime() + 3 * day);
    const last = new Date(placedAt.getTime() + 6 * day);
    const o = order({ fulfillments: [ship([["li1", 2]], placedAt, first), ship([["li2", 1]], placedAt, last)] });
    expect(anchorFor("delivered", o, 10)).toEqual({ kind: "delivered", at: last });
  });

  it("falls back to N days after the last shipment when a scan never comes", () => {
    const shipped = new Date(placedAt.getTime() + 2 * day);
    const o = order({ fulfillments: [ship([["li1", 2]], placedAt, new Date(placedAt.getTime() + 4 * day)), ship([["li2", 1]], shipped)] });
    expect(anchorFor("delivered", o, 10)).toEqual({ kind: "fallback", at: new Date(shipped.getTime() + 10 * day) });
  });

  it("ignores cancelled shipments", () => {
    const o = order({
      fulfillments: [
        {
          ...ship(
            [
              ["li1", 2],
              ["li2", 1],
            ],
            placedAt,
          ),
          status: "cancelled",
        },
      ],
    });
    expect(isFullyShipped(o)).toBe(false);
  });
});

describe("order state", () => {
  it("stops on cancel and on a full refund, not on a partial one", () => {
    expect(orderStopReason(order({ extra: { cancelledAt: placedAt } }))).toBe("order cancelled");
    expect(orderStopReason(order({ refunds: [{ amountCents: 2500 }] }))).toBe("order fully refunded");
    expect(orderStopReason(order({ extra: { financialStatus: "refunded" } }))).toBe("order fully refunded");
    expect(orderStopReason(order({ refunds: [{ amountCents: 500 }] }))).toBeNull();
  });
});

describe("timing and holdout", () => {
  it("adds the delay and, when set, waits for the recipient-local time of day", () => {
    const anchor = { kind: "delivered" as const, at: new Date("2026-11-10T20:00:00Z") };
    expect(dueTime(anchor, { delayMinutes: 60, sendAtLocalTime: null }, "Europe/Paris")).toEqual(new Date("2026-11-10T21:00:00Z"));
    // 21:00Z is 22:00 in Paris: the next 10:00 Paris is 09:00Z the day after.
    expect(dueTime(anchor, { delayMinutes: 60, sendAtLocalTime: "10:00" }, "Europe/Paris")).toEqual(new Date("2026-11-11T09:00:00Z"));
  });

  it("holds out a stable share of customers", () => {
    const customers = Array.from({ length: 4000 }, (_, i) => `gid://shopify/Customer/${i}`);
    const held = customers.filter((c) => inHoldout("flow-1", c, 10)).length;
    expect(held / customers.length).toBeGreaterThan(0.08);
    expect(held / customers.length).toBeLessThan(0.12);
    expect(customers.filter((c) => inHoldout("flow-1", c, 10))).toEqual(customers.filter((c) => inHoldout("flow-1", c, 10)));
    expect(inHoldout("flow-1", customers[0], 0)).toBe(false);
    expect(customers.every((c) => inHoldout("flow-1", c, 100))).toBe(true);
  });

  it("groups a journey's steps into one holdout group", () => {
    expect(holdoutGroup({ id: "flow-1", journeyId: null })).toBe("flow-1");
    expect(holdoutGroup({ id: "step-1", journeyId: "journey-1" })).toBe(holdoutGroup({ id: "step-2", journeyId: "journey-1" }));
  });

  it("lets into a journey what happens from its activation's second on", () => {
    const activatedAt = new Date("2026-11-10T10:00:00.700Z");
    expect(afterActivation(new Date("2026-11-10T10:00:00.000Z"), activatedAt)).toBe(true); // Shopify's whole-second time
    expect(afterActivation(new Date("2026-11-10T09:59:59.000Z"), activatedAt)).toBe(false);
    expect(afterActivation(new Date("2026-11-10T10:00:00.000Z"), null)).toBe(false); // never activated
  });
});
