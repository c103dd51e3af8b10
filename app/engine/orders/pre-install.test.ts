import { describe, expect, it } from "vitest";
import { placedBeforeInstall } from "./pre-install";

const shop = { installedAt: new Date("2026-06-01T12:00:00Z") };

describe("placedBeforeInstall", () => {
  it("an order placed before the install › true; at or after it › false", () => {
    expect(placedBeforeInstall(new Date("2026-06-01T11:59:59Z"), shop)).toBe(true);
    expect(placedBeforeInstall(new Date("2026-06-01T12:00:00Z"), shop)).toBe(false);
    expect(placedBeforeInstall(new Date("2026-06-02T00:00:00Z"), shop)).toBe(false);
  });

  it("an order placed in the install's own second (Shopify's created_at has no milliseconds) › false", () => {
    const installed = { installedAt: new Date("2026-06-01T12:00:00.730Z") };
    expect(placedBeforeInstall(new Date("2026-06-01T12:00:00Z"), installed)).toBe(false);
    expect(placedBeforeInstall(new Date("2026-06-01T11:59:59Z"), installed)).toBe(true);
  });

  it("an order whose placement is not known yet (a placeholder) › false", () => {
    expect(placedBeforeInstall(null, shop)).toBe(false);
  });
});
