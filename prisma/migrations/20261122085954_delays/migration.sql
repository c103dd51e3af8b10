-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "countryCode" TEXT;
ALTER TABLE "Shop" ADD COLUMN "ordersSyncedAt" DATETIME;

-- CreateTable
CREATE TABLE "DelaySettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "notShippedDomesticDays" INTEGER NOT NULL DEFAULT 3,
    "notShippedInternationalDays" INTEGER NOT NULL DEFAULT 5,
    "lateInTransitDays" INTEGER NOT NULL DEFAULT 1,
    "holidays" TEXT NOT NULL DEFAULT '[]',
    "discountType" TEXT NOT NULL DEFAULT 'percentage',
    "discountValue" INTEGER NOT NULL DEFAULT 10,
    "discountExpiryDays" INTEGER NOT NULL DEFAULT 30,
    "monthlyMaxCodes" INTEGER DEFAULT 100,
    "monthlyMaxValueCents" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DelaySettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DelayIncident" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "detail" TEXT,
    "fulfillmentId" TEXT,
    "expectedAt" DATETIME,
    "detectedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DelayIncident_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DiscountCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "messageId" TEXT,
    "orderId" TEXT,
    "customerShopifyId" TEXT,
    "code" TEXT NOT NULL,
    "valueType" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "currency" TEXT,
    "estimatedValueCents" INTEGER NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "shopifyId" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdInShopifyAt" DATETIME,
    "redeemedAt" DATETIME,
    "redeemedOrderGid" TEXT,
    "redeemedRevenueCents" INTEGER,
    CONSTRAINT "DiscountCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DelayIncident_shopId_detectedAt_idx" ON "DelayIncident"("shopId", "detectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DelayIncident_orderId_cause_key" ON "DelayIncident"("orderId", "cause");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_messageId_key" ON "DiscountCode"("messageId");

-- CreateIndex
CREATE INDEX "DiscountCode_shopId_purpose_createdAt_idx" ON "DiscountCode"("shopId", "purpose", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_shopId_code_key" ON "DiscountCode"("shopId", "code");

