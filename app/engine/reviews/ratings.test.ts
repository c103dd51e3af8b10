import { describe, expect, it } from "vitest";
import { ratingMetafields } from "./ratings";

describe("ratingMetafields", () => {
  it("writes Shopify's standard rating and count", () => {
    expect(ratingMetafields("gid://shopify/Product/1", 4.5, 2)).toEqual([
      { ownerId: "gid://shopify/Product/1", namespace: "reviews", key: "rating", type: "rating", value: '{"value":"4.5","scale_min":"1.0","scale_max":"5.0"}' },
      { ownerId: "gid://shopify/Product/1", namespace: "reviews", key: "rating_count", type: "number_integer", value: "2" },
    ]);
  });

  it("rounds to one decimal within the scale", () => {
    expect(JSON.parse(ratingMetafields("p", 4.666, 3)[0].value).value).toBe("4.7");
    expect(JSON.parse(ratingMetafields("p", 5, 1)[0].value).value).toBe("5.0");
  });

  it("with no published review only the count (0) is written", () => {
    expect(ratingMetafields("p", 0, 0)).toEqual([{ ownerId: "p", namespace: "reviews", key: "rating_count", type: "number_integer", value: "0" }]);
  });
});
