// The merchant's review search against PostgreSQL, whose LIKE is case-sensitive: the search must
// not be (it was on SQLite).
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeShop } from "../../../tests/support/factories";
import { parseFilters, reviewsPage } from "./moderation";

let temp: TempDb;
let shop: Shop;

useTempDb("reviews-moderation", async (created) => {
  temp = created;
  shop = await makeShop(temp.db);
  const review = (productTitle: string, title: string | null, authorName: string) =>
    temp.db.review.create({
      data: {
        shopId: shop.id,
        productId: `gid://shopify/Product/${productTitle.length}`,
        productTitle,
        authorName,
        rating: 5,
        title,
        status: "published",
        submittedAt: new Date("2026-11-01"),
      },
    });
  await review("Coffee Beans", "Great COFFEE", "Ada L.");
  await review("Tea Leaves", null, "Bob M.");
});

describe("review search", () => {
  it("matches whatever the case, in any searched field", async () => {
    const search = async (q: string) => (await reviewsPage(temp.db, shop, parseFilters(new URLSearchParams({ q })))).reviews.map((r) => r.authorName);
    expect(await search("coffee")).toEqual(["Ada L."]);
    expect(await search("tea LEAVES")).toEqual(["Bob M."]);
    expect(await search("bob m.")).toEqual(["Bob M."]);
    expect(await search("cocoa")).toEqual([]);
  });
});
