-- CreateEnum
CREATE TYPE "JourneyTrigger" AS ENUM ('order_placed', 'delivered', 'first_order', 'nth_order');

-- CreateEnum
CREATE TYPE "JourneyStatus" AS ENUM ('draft', 'active', 'paused');

-- AlterTable
ALTER TABLE "Flow" ADD COLUMN     "journeyId" TEXT,
ADD COLUMN     "journeyStep" INTEGER;

-- CreateTable
CREATE TABLE "Journey" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "trigger" "JourneyTrigger" NOT NULL,
    "orderNumber" INTEGER,
    "conditions" JSONB NOT NULL DEFAULT '{}',
    "category" "EmailCategory" NOT NULL,
    "holdoutPercent" INTEGER NOT NULL DEFAULT 0,
    "stopOnReorder" BOOLEAN NOT NULL DEFAULT true,
    "status" "JourneyStatus" NOT NULL DEFAULT 'draft',
    "exampleKey" TEXT,
    "activatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Journey_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Flow" ADD CONSTRAINT "Flow_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Journey" ADD CONSTRAINT "Journey_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

