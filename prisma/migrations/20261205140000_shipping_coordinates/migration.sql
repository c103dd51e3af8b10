-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "shipLatitude" DOUBLE PRECISION,
ADD COLUMN     "shipLongitude" DOUBLE PRECISION;

