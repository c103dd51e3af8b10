-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ShopStatus" AS ENUM ('installed', 'uninstalled');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('applied', 'rejected');

-- CreateEnum
CREATE TYPE "EmailCategory" AS ENUM ('service', 'survey', 'marketing');

-- CreateEnum
CREATE TYPE "DataRequestStatus" AS ENUM ('pending', 'ready', 'expired');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('pending', 'running', 'done', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('scheduled', 'deferred', 'sending', 'sent', 'skipped', 'cancelled', 'failed', 'held_out', 'unknown');

-- CreateEnum
CREATE TYPE "SuppressionScope" AS ENUM ('all', 'survey', 'marketing');

-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('bounce', 'unsubscribe', 'complaint', 'manual');

-- CreateEnum
CREATE TYPE "DelayCause" AS ENUM ('not_shipped', 'late_in_transit', 'carrier_exception');

-- CreateEnum
CREATE TYPE "DiscountPurpose" AS ENUM ('apology', 'reward', 'offer');

-- CreateEnum
CREATE TYPE "DiscountValueType" AS ENUM ('percentage', 'fixed_amount');

-- CreateEnum
CREATE TYPE "DiscountCodeStatus" AS ENUM ('pending', 'created', 'failed');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('published', 'hidden', 'pending');

-- CreateEnum
CREATE TYPE "RatingSyncStatus" AS ENUM ('pending', 'synced', 'failed');

-- CreateEnum
CREATE TYPE "NpsTenure" AS ENUM ('first', 'returning');

-- CreateEnum
CREATE TYPE "NpsCaseStatus" AS ENUM ('open', 'contacted', 'resolved');

-- CreateEnum
CREATE TYPE "PointsEntryKind" AS ENUM ('earn', 'reverse', 'redeem', 'adjust');

-- CreateEnum
CREATE TYPE "PointsEntryStatus" AS ENUM ('pending', 'approved', 'void');

-- CreateEnum
CREATE TYPE "HistoryImportStatus" AS ENUM ('running', 'done', 'failed');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMPTZ(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMPTZ(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contactEmail" TEXT,
    "timezone" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "primaryDomain" TEXT,
    "scopes" TEXT,
    "status" "ShopStatus" NOT NULL DEFAULT 'installed',
    "installedAt" TIMESTAMPTZ(3) NOT NULL,
    "uninstalledAt" TIMESTAMPTZ(3),
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
    "ordersSyncedAt" TIMESTAMPTZ(3),
    "extensionSeenAt" TIMESTAMPTZ(3),
    "flowsReviewedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "autoPublishReviews" BOOLEAN NOT NULL DEFAULT true,
    "notifyDetractors" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Flow" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "delayMinutes" INTEGER NOT NULL,
    "sendAtLocalTime" TEXT,
    "fallbackDays" INTEGER,
    "reminderDelayMinutes" INTEGER,
    "throttleDays" INTEGER,
    "category" "EmailCategory" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "holdoutPercent" INTEGER NOT NULL DEFAULT 0,
    "conditions" JSONB NOT NULL DEFAULT '{}',
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Flow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "status" "WebhookDeliveryStatus" NOT NULL,
    "reason" TEXT,
    "resourceId" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "locale" TEXT,
    "marketingConsent" TEXT,
    "tags" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "placeholder" BOOLEAN NOT NULL DEFAULT true,
    "name" TEXT,
    "confirmationNumber" TEXT,
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
    "cancelledAt" TIMESTAMPTZ(3),
    "cancelReason" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "imported" BOOLEAN NOT NULL DEFAULT false,
    "statsKey" TEXT,
    "buyerAcceptsMarketing" BOOLEAN,
    "placedAt" TIMESTAMPTZ(3),
    "shopifyUpdatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LineItem" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "title" TEXT NOT NULL,
    "variant" TEXT,
    "sku" TEXT,
    "quantity" INTEGER NOT NULL,
    "priceCents" INTEGER NOT NULL,

    CONSTRAINT "LineItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "placeholder" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT,
    "shipmentStatus" TEXT,
    "shipmentStatusAt" TIMESTAMPTZ(3),
    "trackingCompany" TEXT,
    "trackingNumbers" JSONB NOT NULL DEFAULT '[]',
    "trackingUrls" JSONB NOT NULL DEFAULT '[]',
    "lineItems" JSONB NOT NULL DEFAULT '[]',
    "estimatedDeliveryAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "shopifyCreatedAt" TIMESTAMPTZ(3),
    "shopifyUpdatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Fulfillment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "happenedAt" TIMESTAMPTZ(3) NOT NULL,
    "estimatedDeliveryAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FulfillmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "note" TEXT,
    "lineItems" JSONB NOT NULL DEFAULT '[]',
    "shopifyCreatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "customerEmail" TEXT,
    "ordersRequested" JSONB NOT NULL DEFAULT '[]',
    "status" "DataRequestStatus" NOT NULL DEFAULT 'pending',
    "report" JSON,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),
    "downloadedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "shopId" TEXT,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" "JobStatus" NOT NULL DEFAULT 'pending',
    "runAt" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "cancelReason" TEXT,
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT,
    "flowId" TEXT NOT NULL,
    "step" TEXT NOT NULL DEFAULT 'main',
    "dedupeKey" TEXT NOT NULL,
    "category" "EmailCategory" NOT NULL,
    "status" "MessageStatus" NOT NULL,
    "reason" TEXT,
    "customerShopifyId" TEXT,
    "recipient" TEXT,
    "timezone" TEXT,
    "anchor" TEXT NOT NULL,
    "anchorAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "sendAt" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMPTZ(3),
    "rfcMessageId" TEXT NOT NULL,
    "subject" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageEvent" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "MessageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Suppression" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "scope" "SuppressionScope" NOT NULL,
    "reason" "SuppressionReason" NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Suppression_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkClick" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "clickedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LinkClick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attribution" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "revenueCents" INTEGER NOT NULL,
    "clickedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DelaySettings" (
    "shopId" TEXT NOT NULL,
    "notShippedDomesticDays" INTEGER NOT NULL DEFAULT 3,
    "notShippedInternationalDays" INTEGER NOT NULL DEFAULT 5,
    "lateInTransitDays" INTEGER NOT NULL DEFAULT 1,
    "holidays" JSONB NOT NULL DEFAULT '[]',
    "discountType" "DiscountValueType" NOT NULL DEFAULT 'percentage',
    "discountValue" INTEGER NOT NULL DEFAULT 10,
    "discountExpiryDays" INTEGER NOT NULL DEFAULT 30,
    "monthlyMaxCodes" INTEGER DEFAULT 100,
    "monthlyMaxValueCents" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DelaySettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "DelayIncident" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "cause" "DelayCause" NOT NULL,
    "detail" TEXT,
    "fulfillmentId" TEXT,
    "expectedAt" TIMESTAMPTZ(3),
    "detectedAt" TIMESTAMPTZ(3) NOT NULL,
    "resolvedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DelayIncident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountCode" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "purpose" "DiscountPurpose" NOT NULL,
    "messageId" TEXT,
    "orderId" TEXT,
    "customerShopifyId" TEXT,
    "code" TEXT NOT NULL,
    "valueType" "DiscountValueType" NOT NULL,
    "value" INTEGER NOT NULL,
    "currency" TEXT,
    "estimatedValueCents" INTEGER NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "DiscountCodeStatus" NOT NULL,
    "shopifyId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdInShopifyAt" TIMESTAMPTZ(3),
    "redeemedAt" TIMESTAMPTZ(3),
    "redeemedOrderGid" TEXT,
    "redeemedRevenueCents" INTEGER,

    CONSTRAINT "DiscountCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
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
    "status" "ReviewStatus" NOT NULL,
    "hiddenReason" TEXT,
    "reply" TEXT,
    "repliedAt" TIMESTAMPTZ(3),
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewAsk" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "email" TEXT,
    "productId" TEXT NOT NULL,
    "askedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReviewAsk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductRating" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "average" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,
    "syncStatus" "RatingSyncStatus" NOT NULL,
    "syncError" TEXT,
    "syncedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ProductRating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NpsResponse" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT,
    "messageId" TEXT NOT NULL,
    "flowId" TEXT,
    "customerShopifyId" TEXT,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "tenure" "NpsTenure" NOT NULL,
    "respondedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NpsResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NpsCase" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "status" "NpsCaseStatus" NOT NULL,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "contactedAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "replySubject" TEXT,
    "replyBody" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NpsCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltySettings" (
    "shopId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "pointsPerUnit" INTEGER NOT NULL DEFAULT 1,
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "pendingDays" INTEGER NOT NULL DEFAULT 14,
    "tiers" JSONB NOT NULL DEFAULT '[]',
    "rewards" JSONB NOT NULL DEFAULT '[{"points":500,"valueType":"fixed_amount","value":500}]',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoyaltySettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "LoyaltyMember" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "firstName" TEXT,
    "tier" TEXT,
    "enrolledAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoyaltyMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PointsEntry" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" "PointsEntryKind" NOT NULL,
    "points" INTEGER NOT NULL,
    "status" "PointsEntryStatus" NOT NULL,
    "orderGid" TEXT,
    "availableAt" TIMESTAMPTZ(3),
    "reason" TEXT,
    "actor" TEXT,
    "discountCodeId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PointsEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfferRule" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "anyOrder" BOOLEAN NOT NULL DEFAULT false,
    "triggerProducts" JSONB NOT NULL DEFAULT '[]',
    "triggerTags" JSONB NOT NULL DEFAULT '[]',
    "offerVariantId" TEXT NOT NULL,
    "offerTitle" TEXT NOT NULL,
    "discountPercent" INTEGER NOT NULL,
    "expiryDays" INTEGER NOT NULL DEFAULT 7,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "perCustomerLimit" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OfferRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfferGrant" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OfferGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerStat" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerKey" TEXT NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "firstOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "secondOrderAt" TIMESTAMPTZ(3),
    "lastOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "revenueCents" INTEGER NOT NULL,
    "revenue90Cents" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerStat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyRollup" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "dim" TEXT NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "DailyRollup_pkey" PRIMARY KEY ("shopId","day","metric","dim")
);

-- CreateTable
CREATE TABLE "RollupDirty" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "touchedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RollupDirty_pkey" PRIMARY KEY ("shopId","day")
);

-- CreateTable
CREATE TABLE "HistoryImport" (
    "shopId" TEXT NOT NULL,
    "status" "HistoryImportStatus" NOT NULL,
    "since" TIMESTAMPTZ(3),
    "until" TIMESTAMPTZ(3) NOT NULL,
    "cursor" TEXT,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "oldestSeen" TIMESTAMPTZ(3),
    "newestSeen" TIMESTAMPTZ(3),
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HistoryImport_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "beatAt" TIMESTAMPTZ(3) NOT NULL,
    "stoppedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMPTZ(3),

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AppState" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AppState_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "Flow_shopId_key_key" ON "Flow"("shopId", "key");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopDomain_receivedAt_idx" ON "WebhookDelivery"("shopDomain", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shopDomain_webhookId_key" ON "WebhookDelivery"("shopDomain", "webhookId");

-- CreateIndex
CREATE INDEX "Customer_shopId_email_idx" ON "Customer"("shopId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shopId_shopifyId_key" ON "Customer"("shopId", "shopifyId");

-- CreateIndex
CREATE INDEX "Order_shopId_customerShopifyId_idx" ON "Order"("shopId", "customerShopifyId");

-- CreateIndex
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_shopifyId_key" ON "Order"("shopId", "shopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "LineItem_orderId_shopifyId_key" ON "LineItem"("orderId", "shopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_shopId_shopifyId_key" ON "Fulfillment"("shopId", "shopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentEvent_shopId_shopifyId_key" ON "FulfillmentEvent"("shopId", "shopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_shopId_shopifyId_key" ON "Refund"("shopId", "shopifyId");

-- CreateIndex
CREATE INDEX "DataRequest_shopId_customerShopifyId_idx" ON "DataRequest"("shopId", "customerShopifyId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_kind_key_key" ON "Job"("kind", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Message_dedupeKey_key" ON "Message"("dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Message_rfcMessageId_key" ON "Message"("rfcMessageId");

-- CreateIndex
CREATE INDEX "Message_status_sendAt_idx" ON "Message"("status", "sendAt");

-- CreateIndex
CREATE INDEX "Message_shopId_recipient_sentAt_idx" ON "Message"("shopId", "recipient", "sentAt");

-- CreateIndex
CREATE INDEX "Message_shopId_createdAt_idx" ON "Message"("shopId", "createdAt");

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

-- CreateIndex
CREATE INDEX "DelayIncident_shopId_detectedAt_idx" ON "DelayIncident"("shopId", "detectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DelayIncident_orderId_cause_key" ON "DelayIncident"("orderId", "cause");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_messageId_key" ON "DiscountCode"("messageId");

-- CreateIndex
CREATE INDEX "DiscountCode_shopId_purpose_createdAt_idx" ON "DiscountCode"("shopId", "purpose", "createdAt");

-- CreateIndex
CREATE INDEX "DiscountCode_shopId_createdAt_idx" ON "DiscountCode"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_shopId_code_key" ON "DiscountCode"("shopId", "code");

-- CreateIndex
CREATE INDEX "Review_shopId_productId_status_idx" ON "Review"("shopId", "productId", "status");

-- CreateIndex
CREATE INDEX "Review_shopId_submittedAt_idx" ON "Review"("shopId", "submittedAt");

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
CREATE INDEX "PointsEntry_shopId_createdAt_idx" ON "PointsEntry"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "OfferGrant_shopId_createdAt_idx" ON "OfferGrant"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OfferGrant_ruleId_orderGid_key" ON "OfferGrant"("ruleId", "orderGid");

-- CreateIndex
CREATE INDEX "CustomerStat_shopId_firstOrderAt_idx" ON "CustomerStat"("shopId", "firstOrderAt");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerStat_shopId_customerKey_key" ON "CustomerStat"("shopId", "customerKey");

-- CreateIndex
CREATE INDEX "DailyRollup_shopId_metric_day_idx" ON "DailyRollup"("shopId", "metric", "day");

-- CreateIndex
CREATE INDEX "RateLimit_expire_idx" ON "RateLimit"("expire");

-- AddForeignKey
ALTER TABLE "Flow" ADD CONSTRAINT "Flow_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LineItem" ADD CONSTRAINT "LineItem_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fulfillment" ADD CONSTRAINT "Fulfillment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FulfillmentEvent" ADD CONSTRAINT "FulfillmentEvent_fulfillmentId_fkey" FOREIGN KEY ("fulfillmentId") REFERENCES "Fulfillment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageEvent" ADD CONSTRAINT "MessageEvent_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Suppression" ADD CONSTRAINT "Suppression_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkClick" ADD CONSTRAINT "LinkClick_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attribution" ADD CONSTRAINT "Attribution_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attribution" ADD CONSTRAINT "Attribution_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DelaySettings" ADD CONSTRAINT "DelaySettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DelayIncident" ADD CONSTRAINT "DelayIncident_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCode" ADD CONSTRAINT "DiscountCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NpsResponse" ADD CONSTRAINT "NpsResponse_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NpsCase" ADD CONSTRAINT "NpsCase_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "NpsResponse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltySettings" ADD CONSTRAINT "LoyaltySettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyMember" ADD CONSTRAINT "LoyaltyMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsEntry" ADD CONSTRAINT "PointsEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "LoyaltyMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferRule" ADD CONSTRAINT "OfferRule_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferGrant" ADD CONSTRAINT "OfferGrant_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "OfferRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerStat" ADD CONSTRAINT "CustomerStat_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyRollup" ADD CONSTRAINT "DailyRollup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HistoryImport" ADD CONSTRAINT "HistoryImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

