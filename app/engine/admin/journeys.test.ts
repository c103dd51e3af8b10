// The builder's entry figures: with the products' tags from the Admin API when it answers, counted
// as if they matched (and marked so) when it fails.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import type { Db } from "../../db.server";
import { makeOrder, makeShop } from "../../../tests/support/factories";
import { useTempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { journeyPreview } from "../journeys/preview";
import { saveJourney } from "../journeys/save";
import { entryFigures } from "./journeys";

let db: Db;
let shop: Shop;
const clock = new ManualClock(new Date("2026-11-22T15:00:00Z"));

useTempDb("admin_journeys", async (created) => {
  db = created.db;
  shop = await makeShop(db, { domain: "entry-figures.myshopify.com" });
});

describe("entryFigures", () => {
  it("checks product tags when the Admin API answers, and counts as if they matched when it fails", async () => {
    const step = { waitValue: "1", waitUnit: "days", sendAtLocalTime: "", subject: "Hi", body: "Hello" };
    const saved = await saveJourney(db, clock, shop, null, {
      name: "Tagged",
      trigger: "order_placed",
      category: "service",
      stopOnReorder: true,
      productTags: "espresso",
      steps: [step],
    });
    if (!saved.ok) throw new Error("not saved");
    await makeOrder(db, shop, { placedAt: new Date("2026-11-20T10:00:00Z") });
    const tagged = (tags: string[]) => async (_shop: string, _query: string, variables?: Record<string, unknown>) => ({ product: { id: variables?.id, tags } });
    const failing = async () => {
      throw new Error("Admin API unavailable");
    };

    const figures = (graphql: Parameters<typeof entryFigures>[1]) =>
      entryFigures((tags) => journeyPreview(db, clock, shop, saved.journey.id, tags), graphql, shop.domain);
    expect(await figures(tagged(["espresso"]))).toMatchObject({ orders: 1, productTagsUnchecked: false });
    expect(await figures(tagged(["mug"]))).toMatchObject({ orders: 0, productTagsUnchecked: false });
    expect(await figures(failing)).toMatchObject({ orders: 1, customers: 1, productTagsUnchecked: true });
  });
});
