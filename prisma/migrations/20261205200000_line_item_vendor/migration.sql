-- AlterTable
ALTER TABLE "LineItem" ADD COLUMN     "vendor" TEXT;

