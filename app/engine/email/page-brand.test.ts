import { describe, expect, it } from "vitest";
import { DEFAULT_BRAND_COLOR, pageBrand } from "./page-brand";

describe("pageBrand", () => {
  it("shows the sender name when the shop chose one, else the shop's name", () => {
    expect(pageBrand({ name: "Acme", senderName: "Acme Support", brandColor: "#112233" }).shopName).toBe("Acme Support");
    expect(pageBrand({ name: "Acme", senderName: null, brandColor: "#112233" }).shopName).toBe("Acme");
    expect(pageBrand({ name: "Acme", senderName: "", brandColor: "#112233" }).shopName).toBe("Acme");
  });

  it.each(["#112233", "#ABCDEF", "#abc"])("keeps the hex colour %s", (color) => {
    expect(pageBrand({ name: "Acme", senderName: null, brandColor: color }).brandColor).toBe(color);
  });

  it.each(["red", "#12345", "#112233; background: url(x)", "", "#gggggg"])("replaces %j, which is no hex colour, by the default", (color) => {
    expect(pageBrand({ name: "Acme", senderName: null, brandColor: color }).brandColor).toBe(DEFAULT_BRAND_COLOR);
  });
});
