-- Rollup days became the shop's local days (decision 021). Rollups stored before were UTC days:
-- mark each stored day and its neighbours dirty (a UTC day's figures move at most one day either
-- way into a local day), so the worker rebuilds them in the shop's zone.
INSERT OR IGNORE INTO "RollupDirty" ("shopId", "day")
SELECT DISTINCT r."shopId", date(r."day", shift."by")
FROM "DailyRollup" r, (SELECT '-1 day' AS "by" UNION ALL SELECT '+0 day' UNION ALL SELECT '+1 day') shift;
