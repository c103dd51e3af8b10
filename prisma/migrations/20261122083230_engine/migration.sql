-- AlterTable
ALTER TABLE "Order" ADD COLUMN "buyerAcceptsMarketing" BOOLEAN;

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT,
    "flowId" TEXT NOT NULL,
    "step" TEXT NOT NULL DEFAULT 'main',
    "dedupeKey" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "customerShopifyId" TEXT,
    "recipient" TEXT,
    "timezone" TEXT,
    "anchor" TEXT NOT NULL,
    "anchorAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "sendAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "rfcMessageId" TEXT NOT NULL,
    "subject" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Message_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Message_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MessageEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "messageId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    CONSTRAINT "MessageEvent_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Suppression" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Suppression_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LinkClick" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "clickedAt" DATETIME NOT NULL,
    CONSTRAINT "LinkClick_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Attribution" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "revenueCents" INTEGER NOT NULL,
    "clickedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attribution_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attribution_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("contactEmail", "createdAt", "currency", "domain", "id", "installedAt", "name", "primaryDomain", "scopes", "status", "timezone", "uninstalledAt", "updatedAt") SELECT "contactEmail", "createdAt", "currency", "domain", "id", "installedAt", "name", "primaryDomain", "scopes", "status", "timezone", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Message_dedupeKey_key" ON "Message"("dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Message_rfcMessageId_key" ON "Message"("rfcMessageId");

-- CreateIndex
CREATE INDEX "Message_status_sendAt_idx" ON "Message"("status", "sendAt");

-- CreateIndex
CREATE INDEX "Message_shopId_recipient_sentAt_idx" ON "Message"("shopId", "recipient", "sentAt");

-- CreateIndex
CREATE INDEX "Message_orderId_idx" ON "Message"("orderId");

-- CreateIndex
CREATE INDEX "MessageEvent_messageId_at_idx" ON "MessageEvent"("messageId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Suppression_shopId_email_scope_key" ON "Suppression"("shopId", "email", "scope");

-- CreateIndex
CREATE INDEX "LinkClick_messageId_idx" ON "LinkClick"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Attribution_orderId_messageId_key" ON "Attribution"("orderId", "messageId");

