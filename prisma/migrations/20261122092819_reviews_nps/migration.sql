-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT,
    "messageId" TEXT,
    "productId" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "authorName" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "title" TEXT,
    "body" TEXT,
    "verifiedBuyer" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL,
    "hiddenReason" TEXT,
    "reply" TEXT,
    "repliedAt" DATETIME,
    "submittedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Review_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReviewAsk" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "email" TEXT,
    "productId" TEXT NOT NULL,
    "askedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ProductRating" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "average" REAL NOT NULL,
    "count" INTEGER NOT NULL,
    "syncStatus" TEXT NOT NULL,
    "syncError" TEXT,
    "syncedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "NpsResponse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT,
    "messageId" TEXT NOT NULL,
    "flowId" TEXT,
    "customerShopifyId" TEXT,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "tenure" TEXT NOT NULL,
    "respondedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NpsResponse_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NpsCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL,
    "contactedAt" DATETIME,
    "resolvedAt" DATETIME,
    "replySubject" TEXT,
    "replyBody" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "NpsCase_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "NpsResponse" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contactEmail" TEXT,
    "timezone" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "primaryDomain" TEXT,
    "scopes" TEXT,
    "status" TEXT NOT NULL DEFAULT 'installed',
    "installedAt" DATETIME NOT NULL,
    "uninstalledAt" DATETIME,
    "senderName" TEXT,
    "replyTo" TEXT,
    "brandColor" TEXT NOT NULL DEFAULT '#1f6f5c',
    "logoUrl" TEXT,
    "address" TEXT,
    "quietHoursStart" TEXT NOT NULL DEFAULT '21:00',
    "quietHoursEnd" TEXT NOT NULL DEFAULT '08:00',
    "frequencyCapCount" INTEGER NOT NULL DEFAULT 1,
    "frequencyCapHours" INTEGER NOT NULL DEFAULT 24,
    "countryCode" TEXT,
    "ordersSyncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "autoPublishReviews" BOOLEAN NOT NULL DEFAULT true,
    "notifyDetractors" BOOLEAN NOT NULL DEFAULT true
);
INSERT INTO "new_Shop" ("address", "brandColor", "contactEmail", "countryCode", "createdAt", "currency", "domain", "frequencyCapCount", "frequencyCapHours", "id", "installedAt", "logoUrl", "name", "ordersSyncedAt", "primaryDomain", "quietHoursEnd", "quietHoursStart", "replyTo", "scopes", "senderName", "status", "timezone", "uninstalledAt", "updatedAt") SELECT "address", "brandColor", "contactEmail", "countryCode", "createdAt", "currency", "domain", "frequencyCapCount", "frequencyCapHours", "id", "installedAt", "logoUrl", "name", "ordersSyncedAt", "primaryDomain", "quietHoursEnd", "quietHoursStart", "replyTo", "scopes", "senderName", "status", "timezone", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Review_shopId_productId_status_idx" ON "Review"("shopId", "productId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Review_messageId_productId_key" ON "Review"("messageId", "productId");

-- CreateIndex
CREATE INDEX "ReviewAsk_shopId_productId_askedAt_idx" ON "ReviewAsk"("shopId", "productId", "askedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewAsk_messageId_productId_key" ON "ReviewAsk"("messageId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductRating_shopId_productId_key" ON "ProductRating"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "NpsResponse_messageId_key" ON "NpsResponse"("messageId");

-- CreateIndex
CREATE INDEX "NpsResponse_shopId_respondedAt_idx" ON "NpsResponse"("shopId", "respondedAt");

-- CreateIndex
CREATE UNIQUE INDEX "NpsCase_responseId_key" ON "NpsCase"("responseId");

-- CreateIndex
CREATE INDEX "NpsCase_shopId_status_idx" ON "NpsCase"("shopId", "status");

