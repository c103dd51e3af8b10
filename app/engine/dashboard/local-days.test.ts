// Dashboard days are the shop's own calendar days: an order placed late in the evening in a shop far
// west of UTC counts on that evening's date (a UTC day would move it to the next one), the loader
// and the raw-row scan agree, and a time zone change regroups every stored day.
import { describe, expect, it } from "vitest";
import { shopSettings } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { installShop } from "../shops/install";
import { receiveWebhook } from "../webhooks/intake";
import { rollupFigures } from "./read";
import { rebuildAllDirty } from "./rollups";
import { scanFigures } from "./scan";

const DOMAIN = "far-west.myshopify.com";
// 22:30 on Friday 20 November in Los Angeles (UTC−8) is already Saturday 06:30 in UTC.
const PLACED = "2026-11-21T06:30:00.000Z";
const clock = new ManualClock(new Date("2026-11-21T07:00:00Z")); // 23:00 the same evening, local
const settings = (timezone: string) => shopSettings({ name: "Far West", contactEmail: "owner@far-west.example", timezone });
let t: TempDb;

const orderRows = async (shopId: string) =>
  (await t.db.dailyRollup.findMany({ where: { shopId, metric: "orders" }, orderBy: { day: "asc" } })).map((r) => [r.day, r.value]);

useTempDb("dashboard-local-days", async (created) => {
  t = created;
  await installShop(t.db, clock, DOMAIN, settings("America/Los_Angeles"), "read_orders");
  const order = {
    id: 7001,
    name: "#7001",
    email: "late@example.com",
    customer: { id: 8001, email: "late@example.com", first_name: "Lee" },
    currency: "USD",
    total_price: "40.00",
    subtotal_price: "40.00",
    financial_status: "pending",
    created_at: PLACED,
    processed_at: PLACED,
    updated_at: PLACED,
    shipping_address: { country_code: "US", province_code: "CA" },
    line_items: [{ id: 70010, product_id: 1, variant_id: 2, title: "Lamp", quantity: 1, price: "40.00" }],
  };
  const result = await receiveWebhook(
    { db: t.db, clock, log: () => {} },
    { shopDomain: DOMAIN, topic: "orders/create", webhookId: "late-1", apiVersion: "2026-07", rawBody: JSON.stringify(order) },
  );
  expect(result.outcome).toBe("applied");
  await rebuildAllDirty(t.db);
});

describe("dashboard days in the shop's time zone", () => {
  it("an order placed late in the evening counts on the shop's local day", async () => {
    const shop = await t.db.shop.findUniqueOrThrow({ where: { domain: DOMAIN } });
    expect(await orderRows(shop.id)).toEqual([["2026-11-20", 1]]);
    const figures = await rollupFigures(t.db, clock, shop, "30d");
    expect(figures.period.to).toBe("2026-11-20"); // "today" is the shop's today
    expect(figures.orders.series.at(-1)).toMatchObject({ day: "2026-11-20", orders: 1 });
    expect(figures).toEqual(await scanFigures(t.db, clock, shop, "30d"));
  });

  it("a new time zone marks every day dirty, and the rebuild regroups the figures", async () => {
    // 06:30 UTC is 19:30 on Saturday 21 November in Auckland (UTC+13).
    const shop = await installShop(t.db, clock, DOMAIN, settings("Pacific/Auckland"), "read_orders");
    const marked = (await t.db.rollupMark.findMany({ where: { shopId: shop.id }, distinct: ["day"], orderBy: { day: "asc" } })).map((m) => m.day);
    expect(marked).toEqual(expect.arrayContaining(["2026-11-18", "2026-11-20", "2026-11-21", "2026-11-22"]));
    await rebuildAllDirty(t.db);
    expect(await orderRows(shop.id)).toEqual([["2026-11-21", 1]]);
    const figures = await rollupFigures(t.db, clock, shop, "30d");
    expect(figures.period.to).toBe("2026-11-21");
    expect(figures).toEqual(await scanFigures(t.db, clock, shop, "30d"));
  });

  it("an install that runs again with the same zone marks nothing", async () => {
    const shop = await installShop(t.db, clock, DOMAIN, settings("Pacific/Auckland"), "read_orders");
    expect(await t.db.rollupMark.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
