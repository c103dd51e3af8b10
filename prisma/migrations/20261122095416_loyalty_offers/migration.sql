-- CreateTable
CREATE TABLE "LoyaltySettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "pointsPerUnit" INTEGER NOT NULL DEFAULT 1,
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "pendingDays" INTEGER NOT NULL DEFAULT 14,
    "tiers" TEXT NOT NULL DEFAULT '[]',
    "rewards" TEXT NOT NULL DEFAULT '[{"points":500,"valueType":"fixed_amount","value":500}]',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "LoyaltySettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoyaltyMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "firstName" TEXT,
    "tier" TEXT,
    "enrolledAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "LoyaltyMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PointsEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "orderGid" TEXT,
    "availableAt" DATETIME,
    "reason" TEXT,
    "actor" TEXT,
    "discountCodeId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PointsEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "LoyaltyMember" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OfferRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "anyOrder" BOOLEAN NOT NULL DEFAULT false,
    "triggerProducts" TEXT NOT NULL DEFAULT '[]',
    "triggerTags" TEXT NOT NULL DEFAULT '[]',
    "offerVariantId" TEXT NOT NULL,
    "offerTitle" TEXT NOT NULL,
    "discountPercent" INTEGER NOT NULL,
    "expiryDays" INTEGER NOT NULL DEFAULT 7,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "perCustomerLimit" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OfferRule_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OfferGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "email" TEXT,
    "discountCodeId" TEXT,
    "code" TEXT,
    "cartUrl" TEXT,
    "impressions" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "convertedOrderGid" TEXT,
    "convertedRevenueCents" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OfferGrant_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "OfferRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LoyaltyMember_shopId_customerShopifyId_idx" ON "LoyaltyMember"("shopId", "customerShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyMember_shopId_email_key" ON "LoyaltyMember"("shopId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "PointsEntry_dedupeKey_key" ON "PointsEntry"("dedupeKey");

-- CreateIndex
CREATE INDEX "PointsEntry_memberId_createdAt_idx" ON "PointsEntry"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "PointsEntry_shopId_status_availableAt_idx" ON "PointsEntry"("shopId", "status", "availableAt");

-- CreateIndex
CREATE INDEX "OfferGrant_shopId_createdAt_idx" ON "OfferGrant"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OfferGrant_ruleId_orderGid_key" ON "OfferGrant"("ruleId", "orderGid");

