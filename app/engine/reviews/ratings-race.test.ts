// Two reviews of one product published at the same moment, against PostgreSQL: the product's
// count and average include both.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { barrier } from "../../../tests/support/barrier";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { ratingsChanged } from "./ratings";

let t: TempDb;
let shop: Shop;
const clock = new ManualClock(new Date("2026-11-20T15:00:00Z"));

useTempDb("ratings-race", async (created) => {
  t = created;
  shop = await makeShop(t.db, { installedAt: clock.now() });
});

describe("product ratings under concurrency", () => {
  it("two reviews of one product written at once are both counted", async () => {
    const productId = "gid://shopify/Product/5";
    const bothWritten = barrier(2);
    const review = (rating: number, who: string) =>
      t.db.$transaction(async (tx) => {
        await tx.review.create({
          data: { shopId: shop.id, productId, productTitle: "Mug", authorName: who, rating, status: "published", submittedAt: clock.now() },
        });
        await bothWritten(); // both reviews exist (uncommitted) before either counts
        await ratingsChanged(tx, clock, shop.id, [productId]);
      });
    await Promise.all([review(5, "Ann A."), review(3, "Bob B.")]);
    expect(await t.db.productRating.findUnique({ where: { shopId_productId: { shopId: shop.id, productId } } })).toMatchObject({ count: 2, average: 4 });
  });
});
