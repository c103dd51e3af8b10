-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "presentmentCurrency" TEXT,
ADD COLUMN     "presentmentTotalCents" INTEGER;

-- AlterTable
ALTER TABLE "LineItem" ADD COLUMN     "presentmentPriceCents" INTEGER;

