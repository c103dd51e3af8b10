import { describe, expect, it } from "vitest";
import type { DelaySettings, Fulfillment, LineItem, Order } from "@prisma/client";
import { orderRow } from "../../../tests/support/order-rows";
import { notShippedDeadline, scheduledCauses } from "./detect";

const shop = { timezone: "America/New_York", countryCode: "US" };
// Friday 2026-11-20 10:00 in New York (15:00Z).
const placedAt = new Date("2026-11-20T15:00:00Z");

/** A US order of one item; its shipments carry that item unless told otherwise. */
const order = (extra: Partial<Order> = {}, fulfillments: Partial<Fulfillment>[] = [], lineItems?: Partial<LineItem>[]) =>
  orderRow({
    placedAt,
    extra: { name: "#1", shipCountry: "US", shipProvince: "NY", currency: "USD", ...extra },
    lineItems,
    fulfillments: fulfillments.map((f) => ({ lineItems: [{ lineItemId: "li1", quantity: 1 }], shopifyCreatedAt: placedAt, shopifyUpdatedAt: placedAt, ...f })),
  });

const settings = { notShippedDomesticDays: 3, notShippedInternationalDays: 5, lateInTransitDays: 1, holidays: [] } as Partial<DelaySettings> as DelaySettings;

describe("not shipped", () => {
  it("counts business days in the shop's timezone, skipping the weekend", () => {
    // Friday + 3 business days = Wednesday 10:00 New York.
    expect(notShippedDeadline(order(), shop, settings)!.at).toEqual(new Date("2026-11-25T15:00:00Z"));
    expect(scheduledCauses(order(), shop, settings, new Date("2026-11-25T14:59:00Z"))).toEqual([]);
    expect(scheduledCauses(order(), shop, settings, new Date("2026-11-25T15:00:00Z")).map((c) => c.cause)).toEqual(["not_shipped"]);
  });

  it("skips shop holidays and uses the international threshold abroad", () => {
    const withHoliday = { ...settings, holidays: ["2026-11-26"] };
    expect(notShippedDeadline(order(), shop, withHoliday)!.at).toEqual(new Date("2026-11-25T15:00:00Z"));
    expect(notShippedDeadline(order({ placedAt: new Date("2026-11-23T15:00:00Z") }), shop, withHoliday)!.at).toEqual(new Date("2026-11-27T15:00:00Z"));
    const abroad = notShippedDeadline(order({ shipCountry: "FR" }), shop, settings)!;
    expect(abroad).toMatchObject({ days: 5, domestic: false, at: new Date("2026-11-27T15:00:00Z") });
  });

  it("judges a partially shipped order on what is still open, and nothing once all has shipped", () => {
    const two = order({}, [{}], [{}, { shopifyId: "li2" }]);
    expect(scheduledCauses(two, shop, settings, new Date("2026-11-30T15:00:00Z")).map((c) => c.cause)).toEqual(["not_shipped"]);
    expect(scheduledCauses(order({}, [{}]), shop, settings, new Date("2026-11-30T15:00:00Z"))).toEqual([]);
  });

  it("never flags cancelled, refunded or delivered orders", () => {
    const later = new Date("2026-12-01T15:00:00Z");
    expect(scheduledCauses(order({ cancelledAt: placedAt }), shop, settings, later)).toEqual([]);
    expect(scheduledCauses(order({ financialStatus: "refunded" }), shop, settings, later)).toEqual([]);
    expect(scheduledCauses(order({}, [{ deliveredAt: placedAt }]), shop, settings, later)).toEqual([]);
  });
});

describe("late in transit", () => {
  it("flags a shipment not delivered a day after its estimate", () => {
    const shipped = order({}, [{ estimatedDeliveryAt: new Date("2026-11-24T17:00:00Z") }]);
    expect(scheduledCauses(shipped, shop, settings, new Date("2026-11-25T16:59:00Z"))).toEqual([]);
    const found = scheduledCauses(shipped, shop, settings, new Date("2026-11-25T17:00:00Z"));
    expect(found).toMatchObject([{ cause: "late_in_transit", fulfillmentId: "f0" }]);
  });
});
