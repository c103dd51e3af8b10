// The one stored form of an address, and the migration that brings older rows into it (run again
// on a migrated database holding rows written before the rule).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { createTempDb, type TempDb } from "../../../tests/support/temp-db";
import { orderFiguresChanged } from "../dashboard/customer-stats";
import { rekeyCustomerStats } from "../dashboard/rekey";
import { normalizeEmail, normalizedEmailOrNull } from "./email";

describe("normalizeEmail", () => {
  it("trims and lower-cases", () => {
    expect(normalizeEmail(" Jo@Example.COM\t")).toBe("jo@example.com");
    expect(normalizeEmail("jo@example.com")).toBe("jo@example.com");
  });

  it("gives null for a missing or blank address", () => {
    expect(normalizedEmailOrNull(null)).toBeNull();
    expect(normalizedEmailOrNull(undefined)).toBeNull();
    expect(normalizedEmailOrNull("")).toBeNull();
    expect(normalizedEmailOrNull("   ")).toBeNull();
    expect(normalizedEmailOrNull(" Ann@X.org")).toBe("ann@x.org");
  });
});

describe("the normalize_emails migration", () => {
  let temp: TempDb;
  let db: Db;
  const MIGRATION = path.resolve(import.meta.dirname, "../../../prisma/migrations/20261204081500_normalize_emails/migration.sql");
  const statements = fs
    .readFileSync(MIGRATION, "utf8")
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);

  beforeAll(async () => {
    temp = createTempDb("normalize-emails");
    db = temp.db;
  }, 60_000);
  afterAll(() => temp.close());

  it("normalises stored addresses, merges rows that collide, and moves guest figures to one key", async () => {
    const shop = await db.shop.create({ data: { domain: "m.myshopify.com", name: "M", timezone: "UTC", currency: "EUR", installedAt: new Date("2026-01-01Z") } });
    const order = (n: number, email: string) =>
      db.order.create({ data: { shopId: shop.id, shopifyId: `gid://shopify/Order/${n}`, placeholder: false, email, placedAt: new Date(`2026-03-0${n}Z`), totalCents: 1000 * n } });
    const first = await order(1, "Jo@Example.COM");
    const second = await order(2, "jo@example.com");
    for (const o of [first, second]) await db.$transaction((tx) => orderFiguresChanged(tx, shop.id, o.id));
    expect(await db.customerStat.count({ where: { shopId: shop.id } })).toBe(2);

    await db.customer.create({ data: { shopId: shop.id, shopifyId: "gid://shopify/Customer/1", email: "Ann@X.org" } });
    await db.suppression.create({ data: { shopId: shop.id, email: "Jo@Example.com", scope: "survey", reason: "unsubscribe", createdAt: new Date("2026-02-01Z") } });
    await db.suppression.create({ data: { shopId: shop.id, email: "jo@example.com", scope: "survey", reason: "manual", createdAt: new Date("2026-02-02Z") } });
    await db.suppression.create({ data: { shopId: shop.id, email: "JO@EXAMPLE.COM", scope: "all", reason: "bounce" } });
    const early = await db.loyaltyMember.create({ data: { shopId: shop.id, email: "Jo@Example.com", enrolledAt: new Date("2026-03-01Z") } });
    const late = await db.loyaltyMember.create({ data: { shopId: shop.id, email: "jo@example.com", enrolledAt: new Date("2026-03-02Z") } });
    for (const [member, n] of [[early, 1], [late, 2]] as const) {
      await db.pointsEntry.create({ data: { shopId: shop.id, memberId: member.id, dedupeKey: `earn:${n}`, kind: "earn", points: 10 * n, status: "approved" } });
    }

    for (const sql of statements) await db.$executeRawUnsafe(sql);

    expect((await db.order.findMany({ where: { shopId: shop.id }, orderBy: { placedAt: "asc" } })).map((o) => o.email)).toEqual(["jo@example.com", "jo@example.com"]);
    expect((await db.customer.findFirstOrThrow({ where: { shopId: shop.id } })).email).toBe("ann@x.org");
    const suppressions = await db.suppression.findMany({ where: { shopId: shop.id }, orderBy: { scope: "asc" } });
    expect(suppressions.map((s) => [s.email, s.scope, s.reason])).toEqual([
      ["jo@example.com", "all", "bounce"],
      ["jo@example.com", "survey", "unsubscribe"], // the earliest of the twins
    ]);
    const members = await db.loyaltyMember.findMany({ where: { shopId: shop.id }, include: { entries: true } });
    expect(members.map((m) => [m.id, m.email])).toEqual([[early.id, "jo@example.com"]]);
    expect(members[0].entries.map((e) => e.points).sort()).toEqual([10, 20]);

    // The worker's job: one guest, two orders.
    expect(await db.job.count({ where: { kind: "dashboard.rekey_customer_stats" } })).toBe(1);
    expect(await rekeyCustomerStats(db)).toBe(1);
    const stats = await db.customerStat.findMany({ where: { shopId: shop.id } });
    expect(stats.map((s) => [s.customerKey, s.orderCount, s.revenueCents])).toEqual([["jo@example.com", 2, 3000]]);
    expect(await rekeyCustomerStats(db)).toBe(0);
  });
});
