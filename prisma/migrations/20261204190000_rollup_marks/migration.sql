-- Rollup marks become append-only (docs/decisions/029-append-only-rollup-marks.md): one row per
-- write instead of one row per (shop, day) that every write updated and so locked until commit.
CREATE TABLE "RollupMark" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,

    CONSTRAINT "RollupMark_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "RollupMark_shopId_day_idx" ON "RollupMark"("shopId", "day");

-- Days still marked keep their mark, oldest touch first.
INSERT INTO "RollupMark" ("shopId", "day") SELECT "shopId", "day" FROM "RollupDirty" ORDER BY "touchedAt";

DROP TABLE "RollupDirty";
