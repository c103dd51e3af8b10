-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN "downloadedAt" DATETIME;

