-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "extensionSeenAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "flowsReviewedAt" DATETIME;

-- CreateTable
CREATE TABLE "CustomerStat" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerKey" TEXT NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "firstOrderAt" DATETIME NOT NULL,
    "secondOrderAt" DATETIME,
    "lastOrderAt" DATETIME NOT NULL,
    "revenueCents" INTEGER NOT NULL,
    "revenue90Cents" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CustomerStat_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DailyRollup" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "dim" TEXT NOT NULL DEFAULT '',
    "value" REAL NOT NULL,

    PRIMARY KEY ("shopId", "day", "metric", "dim"),
    CONSTRAINT "DailyRollup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RollupDirty" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "touchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopId", "day")
);

-- CreateTable
CREATE TABLE "HistoryImport" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "since" DATETIME,
    "until" DATETIME NOT NULL,
    "cursor" TEXT,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "oldestSeen" DATETIME,
    "newestSeen" DATETIME,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "HistoryImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "placeholder" BOOLEAN NOT NULL DEFAULT true,
    "name" TEXT,
    "customerShopifyId" TEXT,
    "email" TEXT,
    "locale" TEXT,
    "shipCountry" TEXT,
    "shipProvince" TEXT,
    "currency" TEXT,
    "subtotalCents" INTEGER,
    "totalCents" INTEGER,
    "totalDiscountCents" INTEGER,
    "totalShippingCents" INTEGER,
    "totalTaxCents" INTEGER,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "imported" BOOLEAN NOT NULL DEFAULT false,
    "statsKey" TEXT,
    "buyerAcceptsMarketing" BOOLEAN,
    "placedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("buyerAcceptsMarketing", "cancelReason", "cancelledAt", "createdAt", "currency", "customerShopifyId", "email", "financialStatus", "fulfillmentStatus", "id", "locale", "name", "placedAt", "placeholder", "shipCountry", "shipProvince", "shopId", "shopifyId", "shopifyUpdatedAt", "subtotalCents", "test", "totalCents", "totalDiscountCents", "totalShippingCents", "totalTaxCents", "updatedAt") SELECT "buyerAcceptsMarketing", "cancelReason", "cancelledAt", "createdAt", "currency", "customerShopifyId", "email", "financialStatus", "fulfillmentStatus", "id", "locale", "name", "placedAt", "placeholder", "shipCountry", "shipProvince", "shopId", "shopifyId", "shopifyUpdatedAt", "subtotalCents", "test", "totalCents", "totalDiscountCents", "totalShippingCents", "totalTaxCents", "updatedAt" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shopId_customerShopifyId_idx" ON "Order"("shopId", "customerShopifyId");
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");
CREATE UNIQUE INDEX "Order_shopId_shopifyId_key" ON "Order"("shopId", "shopifyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CustomerStat_shopId_firstOrderAt_idx" ON "CustomerStat"("shopId", "firstOrderAt");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerStat_shopId_customerKey_key" ON "CustomerStat"("shopId", "customerKey");

-- CreateIndex
CREATE INDEX "DailyRollup_shopId_metric_day_idx" ON "DailyRollup"("shopId", "metric", "day");

-- CreateIndex
CREATE INDEX "Message_shopId_createdAt_idx" ON "Message"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "DiscountCode_shopId_createdAt_idx" ON "DiscountCode"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Review_shopId_submittedAt_idx" ON "Review"("shopId", "submittedAt");

-- CreateIndex
CREATE INDEX "PointsEntry_shopId_createdAt_idx" ON "PointsEntry"("shopId", "createdAt");

