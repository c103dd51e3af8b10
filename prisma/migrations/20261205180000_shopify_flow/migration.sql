-- CreateEnum
CREATE TYPE "FlowDeliveryStatus" AS ENUM ('pending', 'sending', 'sent', 'failed', 'unknown');

-- CreateEnum
CREATE TYPE "FlowActionRunStatus" AS ENUM ('accepted', 'done', 'failed');

-- AlterEnum
ALTER TYPE "DelayCause" ADD VALUE 'reported';

-- CreateTable
CREATE TABLE "FlowTriggerUse" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FlowTriggerUse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowTriggerDelivery" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "orderShopifyId" TEXT,
    "payload" JSONB NOT NULL,
    "status" "FlowDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "FlowTriggerDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowActionRun" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "actionRunId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "orderShopifyId" TEXT,
    "properties" JSONB NOT NULL,
    "status" "FlowActionRunStatus" NOT NULL DEFAULT 'accepted',
    "outcome" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "FlowActionRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailPause" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "actionRunId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EmailPause_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerUse_shopId_handle_key" ON "FlowTriggerUse"("shopId", "handle");

-- CreateIndex
CREATE INDEX "FlowTriggerDelivery_shopId_createdAt_idx" ON "FlowTriggerDelivery"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerDelivery_shopId_handle_eventKey_key" ON "FlowTriggerDelivery"("shopId", "handle", "eventKey");

-- CreateIndex
CREATE INDEX "FlowActionRun_shopId_createdAt_idx" ON "FlowActionRun"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowActionRun_shopId_actionRunId_key" ON "FlowActionRun"("shopId", "actionRunId");

-- CreateIndex
CREATE UNIQUE INDEX "EmailPause_shopId_email_key" ON "EmailPause"("shopId", "email");

-- AddForeignKey
ALTER TABLE "FlowTriggerUse" ADD CONSTRAINT "FlowTriggerUse_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowTriggerDelivery" ADD CONSTRAINT "FlowTriggerDelivery_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowActionRun" ADD CONSTRAINT "FlowActionRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailPause" ADD CONSTRAINT "EmailPause_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

