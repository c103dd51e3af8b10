import { describe, expect, it } from "vitest";
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
