-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "payloadDigest" TEXT;

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopDomain_payloadDigest_idx" ON "WebhookDelivery"("shopDomain", "payloadDigest");

