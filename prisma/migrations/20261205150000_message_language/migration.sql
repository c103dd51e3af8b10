-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "primaryLocale" TEXT NOT NULL DEFAULT 'en',
ADD COLUMN     "publishedLocales" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "locale" TEXT;

