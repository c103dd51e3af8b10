import { describe, expect, it } from "vitest";
import { lineItemRows, orderData } from "./mirror";
import { orderPayload } from "./payloads";

const order = (shipping_address: unknown) =>
  orderPayload.parse({ id: 1, updated_at: "2026-12-05T10:00:00Z", line_items: [], shipping_address }).shipping_address;

describe("shipping address coordinates", () => {
  it("reads numbers and numeric strings", () => {
    expect(order({ country_code: "US", latitude: 40.6943, longitude: -73.9903 })).toMatchObject({ latitude: 40.6943, longitude: -73.9903 });
    expect(order({ country_code: "US", latitude: "40.6943", longitude: "-73.9903" })).toMatchObject({ latitude: 40.6943, longitude: -73.9903 });
  });

  it("reads missing, empty or malformed coordinates as unknown without rejecting the order", () => {
    expect(order({ country_code: "US" })).toMatchObject({ latitude: null, longitude: null });
    expect(order({ country_code: "US", latitude: null, longitude: "" })).toMatchObject({ latitude: null, longitude: null });
    expect(order({ country_code: "US", latitude: "north", longitude: { x: 1 } })).toMatchObject({ country_code: "US", latitude: null, longitude: null });
  });
});

describe("the buyer's currency (presentment)", () => {
  const set = (shop: string, presentment: string) => ({
    shop_money: { amount: shop, currency_code: "USD" },
    presentment_money: { amount: presentment, currency_code: "EUR" },
  });
  const parsed = (extra: Record<string, unknown>, item: Record<string, unknown> = {}) =>
    orderPayload.parse({
      id: 1,
      updated_at: "2026-12-05T10:00:00Z",
      currency: "USD",
      total_price: "1333.26",
      line_items: [{ id: 2, title: "Lamp", quantity: 1, price: "1333.26", ...item }],
      ...extra,
    });

  it("mirrors the presentment currency and amounts beside the shop's", () => {
    const payload = parsed({ presentment_currency: "EUR", total_price_set: set("1333.26", "1234.50") }, { price_set: set("1333.26", "1234.50") });
    expect(orderData(payload, "USD")).toMatchObject({ currency: "USD", totalCents: 133326, presentmentCurrency: "EUR", presentmentTotalCents: 123450 });
    expect(lineItemRows(payload, "USD")[0]).toMatchObject({ priceCents: 133326, presentmentPriceCents: 123450 });
  });

  it("reads the buyer's amounts in the presentment currency's minor units", () => {
    const yen = { shop_money: { amount: "10.05" }, presentment_money: { amount: "1500" } };
    const payload = parsed({ presentment_currency: "JPY", total_price_set: yen }, { price_set: yen });
    expect(orderData(payload, "USD")).toMatchObject({ presentmentCurrency: "JPY", presentmentTotalCents: 1500 });
    expect(lineItemRows(payload, "USD")[0].presentmentPriceCents).toBe(1500);
  });

  it.each([
    ["no presentment currency", {}, {}],
    ["no money sets", { presentment_currency: "EUR" }, {}],
    ["sets without the buyer's side", { presentment_currency: "EUR", total_price_set: { shop_money: { amount: "1" } } }, { price_set: null }],
  ])("leaves the buyer's side empty when the payload has %s", (_case, extra, item) => {
    const payload = parsed(extra, item);
    expect(orderData(payload, "USD")).toMatchObject({ totalCents: 133326, presentmentTotalCents: null });
    expect(lineItemRows(payload, "USD")[0]).toMatchObject({ priceCents: 133326, presentmentPriceCents: null });
  });
});
