// The suppression list against a real, migrated PostgreSQL database.
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { isSuppressed, resubscribe, suppress, suppressionFor } from "./suppression";

let db: Db;
let shopId: string;
const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));

useTempDb("suppression", async (created) => {
  db = created.db;
  shopId = (await makeShop(db)).id;
});

describe("suppression list", () => {
  beforeEach(async () => {
    await db.suppression.deleteMany();
  });

  it("records once per normalized address and scope, keeping the first reason", async () => {
    await suppress(db, clock, { shopId, email: " Jo@Example.COM ", scope: "survey", reason: "unsubscribe" });
    await suppress(db, clock, { shopId, email: "jo@example.com", scope: "survey", reason: "manual", detail: "again" });
    const rows = await db.suppression.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: "jo@example.com", scope: "survey", reason: "unsubscribe", createdAt: clock.now() });
  });

  it("reports the state per scope, found with any spelling of the address", async () => {
    expect(await suppressionFor(db, shopId, "jo@example.com")).toEqual({ all: false, survey: false, marketing: false, reasons: {} });
    await suppress(db, clock, { shopId, email: "jo@example.com", scope: "marketing", reason: "unsubscribe" });
    expect(await suppressionFor(db, shopId, "JO@example.com ")).toMatchObject({ all: false, survey: false, marketing: true });
    expect(await suppressionFor(db, "other-shop", "jo@example.com")).toMatchObject({ marketing: false });
  });

  it("blocks service mail only for scope all; surveys and marketing by their own scope too", async () => {
    await suppress(db, clock, { shopId, email: "a@example.com", scope: "survey", reason: "unsubscribe" });
    const surveyOnly = await suppressionFor(db, shopId, "a@example.com");
    expect(isSuppressed(surveyOnly, "service")).toBeNull();
    expect(isSuppressed(surveyOnly, "survey")).toBe("unsubscribed");
    expect(isSuppressed(surveyOnly, "marketing")).toBeNull();

    await suppress(db, clock, { shopId, email: "b@example.com", scope: "marketing", reason: "manual" });
    const marketing = await suppressionFor(db, shopId, "b@example.com");
    expect(isSuppressed(marketing, "marketing")).toBe("suppressed: manual");
    expect(isSuppressed(marketing, "survey")).toBeNull();

    await suppress(db, clock, { shopId, email: "c@example.com", scope: "all", reason: "bounce", detail: "550 5.1.1" });
    const bounced = await suppressionFor(db, shopId, "c@example.com");
    for (const category of ["service", "survey", "marketing"] as const) expect(isSuppressed(bounced, category)).toBe("suppressed: bounce");
  });

  it("resubscribes by removing the customer's own unsubscribes only, never bounces", async () => {
    await suppress(db, clock, { shopId, email: "jo@example.com", scope: "survey", reason: "unsubscribe" });
    await suppress(db, clock, { shopId, email: "jo@example.com", scope: "all", reason: "bounce" });
    await suppress(db, clock, { shopId, email: "jo@example.com", scope: "marketing", reason: "manual" });
    expect(await resubscribe(db, shopId, "Jo@Example.com", "survey")).toBe(1);
    expect(await resubscribe(db, shopId, "jo@example.com", "all")).toBe(0);
    expect(await resubscribe(db, shopId, "jo@example.com", "marketing")).toBe(0);
    expect(await suppressionFor(db, shopId, "jo@example.com")).toMatchObject({ all: true, survey: false, marketing: true });
  });

  it("works inside a transaction", async () => {
    await db.$transaction(async (tx) => {
      await suppress(tx, clock, { shopId, email: "t@example.com", scope: "survey", reason: "unsubscribe" });
      expect((await suppressionFor(tx, shopId, "t@example.com")).survey).toBe(true);
    });
    expect((await suppressionFor(db, shopId, "t@example.com")).survey).toBe(true);
  });
});
