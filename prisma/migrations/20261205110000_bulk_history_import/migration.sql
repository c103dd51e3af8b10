-- AlterTable
ALTER TABLE "HistoryImport" DROP COLUMN "cursor",
ADD COLUMN     "applyStartedAt" TIMESTAMPTZ(3),
ADD COLUMN     "bulkOperationId" TEXT,
ADD COLUMN     "bulkStatus" TEXT,
ADD COLUMN     "exported" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lines" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "polls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "restarts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "total" INTEGER;


-- An import that was paging when this deploys continues as a bulk export of its whole window:
-- its count starts again so that every order is counted once.
UPDATE "HistoryImport" SET "orders" = 0, "pages" = 0, "oldestSeen" = NULL, "newestSeen" = NULL WHERE "status" = 'running';
