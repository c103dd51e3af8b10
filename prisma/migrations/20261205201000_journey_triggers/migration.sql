-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "JourneyTrigger" ADD VALUE 'anniversary';
ALTER TYPE "JourneyTrigger" ADD VALUE 'tier_reached';
ALTER TYPE "JourneyTrigger" ADD VALUE 'win_back';

-- AlterTable
ALTER TABLE "Journey" ADD COLUMN     "quietDays" INTEGER,
ADD COLUMN     "tierName" TEXT;

