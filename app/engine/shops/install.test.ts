// Install and uninstall against PostgreSQL, raced: Shopify's token exchange installs on every
// session, so two requests of a new shop install it at the same moment.
import { describe, expect, it } from "vitest";
import { shopSettings } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { FLOW_PRESETS } from "../flows/presets";
import { HISTORY_IMPORT_JOB_KIND } from "../history/import-queue";
import { installShop, uninstallShop } from "./install";

let temp: TempDb;
const clock = new ManualClock(new Date("2026-11-20T15:00:00Z"));
const settings = shopSettings({ name: "Raced" });

useTempDb("install", (created) => {
  temp = created;
});

describe("install under concurrency", () => {
  it("a new shop installed by several requests at once: one shop, one set of flows, one history import", async () => {
    const domain = "raced.myshopify.com";
    const shops = await Promise.all(Array.from({ length: 5 }, () => installShop(temp.db, clock, domain, settings, "read_orders")));
    expect(new Set(shops.map((s) => s.id)).size).toBe(1);
    const shopId = shops[0].id;
    expect(await temp.db.flow.count({ where: { shopId } })).toBe(FLOW_PRESETS.length);
    expect(await temp.db.historyImport.count({ where: { shopId } })).toBe(1);
    expect(await temp.db.job.count({ where: { shopId, kind: HISTORY_IMPORT_JOB_KIND } })).toBe(1);
  });

  it("a reinstall raced by repeated installs starts the history import once", async () => {
    const domain = "again.myshopify.com";
    const first = await installShop(temp.db, clock, domain, settings, "read_orders");
    await temp.db.historyImport.update({ where: { shopId: first.id }, data: { status: "done", finishedAt: clock.now() } });
    await temp.db.job.updateMany({ where: { shopId: first.id }, data: { status: "done" } });
    clock.advance(60_000);
    await temp.db.$transaction((tx) => uninstallShop(tx, clock, domain, clock.now()));
    clock.advance(60_000);
    await Promise.all(Array.from({ length: 4 }, () => installShop(temp.db, clock, domain, settings, "read_orders")));
    const shop = await temp.db.shop.findUniqueOrThrow({ where: { domain } });
    expect(shop).toMatchObject({ status: "installed", uninstalledAt: null });
    expect(await temp.db.job.count({ where: { shopId: shop.id, kind: HISTORY_IMPORT_JOB_KIND, status: "pending" } })).toBe(1);
  });

  it("a late uninstall (raised before the reinstall) racing the reinstall never tears it down, whichever runs first", async () => {
    const domain = "flapping.myshopify.com";
    for (let round = 0; round < 6; round++) {
      const shop = await installShop(temp.db, clock, domain, settings, "read_orders");
      clock.advance(60_000);
      await temp.db.$transaction((tx) => uninstallShop(tx, clock, domain, clock.now()));
      const raisedBeforeReinstall = new Date(clock.now().getTime() + 1_000);
      clock.advance(60_000);
      const late = () => temp.db.$transaction((tx) => uninstallShop(tx, clock, domain, raisedBeforeReinstall));
      const reinstall = () => installShop(temp.db, clock, domain, settings, "read_orders");
      await Promise.all(round % 2 ? [late(), reinstall()] : [reinstall(), late()]);
      const after = await temp.db.shop.findUniqueOrThrow({ where: { id: shop.id } });
      const pending = await temp.db.job.count({ where: { shopId: shop.id, kind: HISTORY_IMPORT_JOB_KIND, status: "pending" } });
      expect([after.status, after.uninstalledAt, pending]).toEqual(["installed", null, 1]);
      clock.advance(60_000);
    }
  });
});
