-- Email addresses are stored trimmed and lower-cased (app/engine/util/email.ts, decision 014):
-- this brings the addresses stored before that rule into the same form. SQLite's lower() folds
-- ASCII letters only; decision 014 says what that leaves.

-- Suppression: one row per shop, address and scope. Rows that differ only by case or spaces collapse
-- into the earliest, whose reason and time stay (as suppress() keeps the first).
DELETE FROM "Suppression" WHERE EXISTS (
    SELECT 1 FROM "Suppression" AS "earlier"
    WHERE "earlier"."shopId" = "Suppression"."shopId" AND "earlier"."scope" = "Suppression"."scope"
      AND lower(trim("earlier"."email")) = lower(trim("Suppression"."email"))
      AND ("earlier"."createdAt" < "Suppression"."createdAt" OR ("earlier"."createdAt" = "Suppression"."createdAt" AND "earlier"."id" < "Suppression"."id"))
);
UPDATE "Suppression" SET "email" = lower(trim("email")) WHERE "email" <> lower(trim("email"));

-- Loyalty members: one per shop and address. Twins merge into the earliest enrolled: their points
-- entries move to it, then they go.
UPDATE "PointsEntry" SET "memberId" = (
    SELECT "keep"."id" FROM "LoyaltyMember" AS "keep", "LoyaltyMember" AS "twin"
    WHERE "twin"."id" = "PointsEntry"."memberId" AND "keep"."shopId" = "twin"."shopId"
      AND lower(trim("keep"."email")) = lower(trim("twin"."email"))
    ORDER BY "keep"."enrolledAt", "keep"."id" LIMIT 1
) WHERE "memberId" IN (
    SELECT "m"."id" FROM "LoyaltyMember" AS "m" WHERE EXISTS (
        SELECT 1 FROM "LoyaltyMember" AS "earlier"
        WHERE "earlier"."shopId" = "m"."shopId" AND lower(trim("earlier"."email")) = lower(trim("m"."email"))
          AND ("earlier"."enrolledAt" < "m"."enrolledAt" OR ("earlier"."enrolledAt" = "m"."enrolledAt" AND "earlier"."id" < "m"."id"))
    )
);
DELETE FROM "LoyaltyMember" WHERE EXISTS (
    SELECT 1 FROM "LoyaltyMember" AS "earlier"
    WHERE "earlier"."shopId" = "LoyaltyMember"."shopId" AND lower(trim("earlier"."email")) = lower(trim("LoyaltyMember"."email"))
      AND ("earlier"."enrolledAt" < "LoyaltyMember"."enrolledAt" OR ("earlier"."enrolledAt" = "LoyaltyMember"."enrolledAt" AND "earlier"."id" < "LoyaltyMember"."id"))
);
UPDATE "LoyaltyMember" SET "email" = lower(trim("email")) WHERE "email" <> lower(trim("email"));

-- Columns without a uniqueness rule. A blank address becomes NULL, as the mirror writes it.
UPDATE "Order" SET "email" = NULLIF(lower(trim("email")), '') WHERE "email" IS NOT NULLIF(lower(trim("email")), '');
UPDATE "Customer" SET "email" = NULLIF(lower(trim("email")), '') WHERE "email" IS NOT NULLIF(lower(trim("email")), '');
UPDATE "Message" SET "recipient" = NULLIF(lower(trim("recipient")), '') WHERE "recipient" IS NOT NULLIF(lower(trim("recipient")), '');
UPDATE "DataRequest" SET "customerEmail" = NULLIF(lower(trim("customerEmail")), '') WHERE "customerEmail" IS NOT NULLIF(lower(trim("customerEmail")), '');
UPDATE "ReviewAsk" SET "email" = NULLIF(lower(trim("email")), '') WHERE "email" IS NOT NULLIF(lower(trim("email")), '');
UPDATE "OfferGrant" SET "email" = NULLIF(lower(trim("email")), '') WHERE "email" IS NOT NULLIF(lower(trim("email")), '');

-- A guest's dashboard figures are keyed by their address (CustomerStat.customerKey, Order.statsKey),
-- and two keys may now be one customer: the worker moves the figures (dashboard/rekey.ts).
INSERT INTO "Job" ("id", "kind", "key", "payload", "status", "runAt", "createdAt", "updatedAt")
SELECT 'rekey-after-normalize-emails', 'dashboard.rekey_customer_stats', 'normalize-emails', '{}', 'pending',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE EXISTS (SELECT 1 FROM "Order" WHERE "customerShopifyId" IS NULL AND "statsKey" IS NOT NULL AND "statsKey" IS NOT "email");
