// Click redirects against a real, migrated SQLite file.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { createTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { followClick, isAllowedTarget } from "./clicks";

let db: Db;
let temp: TempDb;
let messageId: string;
const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));
const shop = { domain: "demo.myshopify.com", primaryDomain: "shop.example.com" };

beforeAll(async () => {
  temp = createTempDb("clicks");
  db = temp.db;
  const row = await db.shop.create({ data: { ...shop, name: "Demo", timezone: "UTC", currency: "USD", installedAt: clock.now() } });
  const flow = await db.flow.create({
    data: { shopId: row.id, key: "review_request", name: "Review", trigger: "delivered", delayMinutes: 0, category: "survey", subject: "s", body: "b" },
  });
  const message = await db.message.create({
    data: {
      shopId: row.id, flowId: flow.id, dedupeKey: "k1", category: "survey", status: "sent", recipient: "jo@example.com",
      anchor: "delivered", anchorAt: clock.now(), dueAt: clock.now(), sendAt: clock.now(), rfcMessageId: "<k1@test>",
    },
  });
  messageId = message.id;
}, 60_000);
afterAll(() => temp.close());

describe("isAllowedTarget", () => {
  it("allows http(s) on the shop's domains and their subdomains only", () => {
    expect(isAllowedTarget("https://shop.example.com/products/a?x=1", shop)).toBe(true);
    expect(isAllowedTarget("https://www.shop.example.com/", shop)).toBe(true);
    expect(isAllowedTarget("http://demo.myshopify.com/cart", shop)).toBe(true);
    expect(isAllowedTarget("https://evil.example/", shop)).toBe(false);
    expect(isAllowedTarget("https://shop.example.com.evil.example/", shop)).toBe(false);
    expect(isAllowedTarget("https://evilshop.example.com/", shop)).toBe(false);
    expect(isAllowedTarget("https://user@shop.example.com/", shop)).toBe(false);
    expect(isAllowedTarget("javascript:alert(1)//shop.example.com", shop)).toBe(false);
    expect(isAllowedTarget("ftp://shop.example.com/", shop)).toBe(false);
    expect(isAllowedTarget("not a url", shop)).toBe(false);
    expect(isAllowedTarget("https://shop.example.com/", { domain: "demo.myshopify.com", primaryDomain: null })).toBe(false);
  });
});

describe("followClick", () => {
  beforeEach(async () => {
    await db.linkClick.deleteMany();
  });

  it("records a click once per message+URL per 60 s", async () => {
    const click = { messageId, url: "https://shop.example.com/products/a" };
    expect(await followClick(db, clock, click)).toEqual({ redirect: click.url, recorded: true });
    clock.advance(30_000);
    expect(await followClick(db, clock, click)).toEqual({ redirect: click.url, recorded: false });
    expect(await followClick(db, clock, { messageId, url: "https://shop.example.com/other" })).toMatchObject({ recorded: true });
    clock.advance(31_000);
    expect(await followClick(db, clock, click)).toMatchObject({ recorded: true });
    expect(await db.linkClick.count({ where: { url: click.url } })).toBe(2);
  });

  it("counts simultaneous scanner fetches once", async () => {
    const click = { messageId, url: "https://shop.example.com/race" };
    const results = await Promise.all(Array.from({ length: 5 }, () => followClick(db, clock, click)));
    expect(results.every((r) => r?.redirect === click.url)).toBe(true);
    expect(await db.linkClick.count({ where: { url: click.url } })).toBe(1);
  });

  it("refuses targets outside the shop and unknown messages", async () => {
    expect(await followClick(db, clock, { messageId, url: "https://evil.example/" })).toBeNull();
    expect(await followClick(db, clock, { messageId: "nope", url: "https://shop.example.com/" })).toBeNull();
    expect(await db.linkClick.count()).toBe(0);
  });
});
