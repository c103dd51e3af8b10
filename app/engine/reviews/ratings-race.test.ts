// Two reviews of one product published at the same moment, against PostgreSQL: the product's
// count and average include both.
import { describe, expect, it } from "vitest";
import { barrier } from "../../../tests/support/barrier";
import { useShopDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { ratingsChanged } from "./ratings";

const clock = new ManualClock(new Date("2026-11-20T15:00:00Z"));
const t = useShopDb("ratings-race", { installedAt: clock.now() });

describe("product ratings under concurrency", () => {
  it("two reviews of one product written at once are both counted", async () => {
    const productId = "gid://shopify/Product/5";
    const bothWritten = barrier(2);
    const review = (rating: number, who: string) =>
      t.db.$transaction(async (tx) => {
        await tx.review.create({
          data: { shopId: t.shop.id, productId, productTitle: "Mug", authorName: who, rating, status: "published", submittedAt: clock.now() },
        });
        await bothWritten(); // both reviews exist (uncommitted) before either counts
        await ratingsChanged(tx, clock, t.shop.id, [productId]);
      });
    await Promise.all([review(5, "Ann A."), review(3, "Bob B.")]);
    expect(await t.db.productRating.findUnique({ where: { shopId_productId: { shopId: t.shop.id, productId } } })).toMatchObject({ count: 2, average: 4 });
  });
});
