-- AlterTable: the byte of the export's file where the applied lines end (a resumed run asks for the
-- rest of the file from there with a Range header instead of reading it again from its start).
ALTER TABLE "HistoryImport" ADD COLUMN "bytes" BIGINT NOT NULL DEFAULT 0;
