-- AlterEnum
ALTER TYPE "WebhookDeliveryStatus" ADD VALUE 'received';

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "appliedAt" TIMESTAMPTZ(3),
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "eventId" TEXT,
ADD COLUMN     "payload" JSONB,
ADD COLUMN     "retryAt" TIMESTAMPTZ(3),
ADD COLUMN     "triggeredAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_shopDomain_receivedAt_idx" ON "WebhookDelivery"("status", "shopDomain", "receivedAt");

