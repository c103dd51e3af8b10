// Click redirects against a real, migrated PostgreSQL database.
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeMessage, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { followClick, isFollowableTarget } from "./clicks";

let db: Db;
let messageId: string;
const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));
const shop = { domain: "demo.myshopify.com", primaryDomain: "shop.example.com" };

useTempDb("clicks", async (created) => {
  db = created.db;
  const row = await makeShop(db, shop);
  const flow = await makeFlow(db, row, { key: "review_request", trigger: "delivered", category: "survey" });
  const message = await makeMessage(db, flow, { status: "sent", recipient: "jo@example.com", anchor: "delivered", at: clock.now() });
  messageId = message.id;
});

describe("isFollowableTarget: absolute http(s) URLs on any host, nothing else", () => {
  it.each(["https://shop.example.com/products/a?x=1", "https://www.ups.com/track?tracknum=1Z999", "http://demo.myshopify.com/cart"])("follows %s", (url) => {
    expect(isFollowableTarget(url)).toBe(true);
  });
  const refused = {
    "credentials in the URL": ["https://user@shop.example.com/", "https://user:pw@carrier.example/"],
    "another scheme": ["javascript:alert(1)//shop.example.com", "data:text/html,hi", "ftp://shop.example.com/"],
    "not absolute": ["/relative", "not a url"],
  };
  it.each(Object.entries(refused).flatMap(([why, urls]) => urls.map((url) => [url, why])))("refuses %s (%s)", (url) => {
    expect(isFollowableTarget(url)).toBe(false);
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

  it("follows a carrier's tracking page like the shop's own pages", async () => {
    const click = { messageId, url: "https://www.ups.com/track?tracknum=1Z999AA10123456784" };
    expect(await followClick(db, clock, click)).toEqual({ redirect: click.url, recorded: true });
  });

  it("refuses targets that are not plain http(s) URLs, and unknown messages", async () => {
    expect(await followClick(db, clock, { messageId, url: "javascript:alert(1)" })).toBeNull();
    expect(await followClick(db, clock, { messageId, url: "https://user:pw@shop.example.com/" })).toBeNull();
    expect(await followClick(db, clock, { messageId: "nope", url: "https://shop.example.com/" })).toBeNull();
    expect(await db.linkClick.count()).toBe(0);
  });
});
