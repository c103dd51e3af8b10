// NPS figures on a small data set computed by hand (see the comments), then the same set through
// the query function against a real PostgreSQL database.
import { describe, expect, it } from "vitest";
import type { MessageStatus } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeShop } from "../../../tests/support/factories";
import {
  byFlow,
  byTenure,
  formatDuration,
  loadNpsMetrics,
  medianResponseTimeMs,
  npsOf,
  responseRate,
  summarize,
  weekOf,
  weeklyTrend,
  type ResponseRow,
  type SentRow,
} from "./metrics";

const TZ = "America/New_York";
// Seven answers. Weeks start on Monday in New York.
//   m1 10 first     A  Mon 2 Nov          week 2026-11-02
//   m2  9 returning A  Wed 4 Nov          week 2026-11-02
//   m3  7 first     A  Sat 7 Nov 22:00 NY (Sun 03:00 UTC) → still week 2026-11-02
//   m4  3 first     A  Mon 9 Nov          week 2026-11-09
//   m5  8 returning B  Tue 10 Nov         week 2026-11-09
//   m6  0 first     B  Wed 11 Nov         week 2026-11-09
//   m7 10 returning B  Thu 12 Nov         week 2026-11-09
const rows: ResponseRow[] = [
  { messageId: "m1", score: 10, tenure: "first", flowId: "A", respondedAt: new Date("2026-11-02T15:00:00Z") },
  { messageId: "m2", score: 9, tenure: "returning", flowId: "A", respondedAt: new Date("2026-11-04T12:00:00Z") },
  { messageId: "m3", score: 7, tenure: "first", flowId: "A", respondedAt: new Date("2026-11-08T03:00:00Z") },
  { messageId: "m4", score: 3, tenure: "first", flowId: "A", respondedAt: new Date("2026-11-09T15:00:00Z") },
  { messageId: "m5", score: 8, tenure: "returning", flowId: "B", respondedAt: new Date("2026-11-10T15:00:00Z") },
  { messageId: "m6", score: 0, tenure: "first", flowId: "B", respondedAt: new Date("2026-11-11T15:00:00Z") },
  { messageId: "m7", score: 10, tenure: "returning", flowId: "B", respondedAt: new Date("2026-11-12T15:00:00Z") },
];
// Ten emails sent: A m1–m4 + a5 (no answer) → 4/5 = 80 %; B m5–m7 + b8, b9 → 3/5 = 60 %; all 7/10 = 70 %.
const sentAt = new Date("2026-10-30T15:00:00Z");
const sent: SentRow[] = [
  ...["m1", "m2", "m3", "m4", "a5"].map((id) => ({ id, flowId: "A", sentAt })),
  ...["m5", "m6", "m7", "b8", "b9"].map((id) => ({ id, flowId: "B", sentAt })),
];

describe("NPS arithmetic", () => {
  it("overall: 3 promoters (10, 9, 10), 2 passives (7, 8), 2 detractors (3, 0) of 7 → (3 − 2) / 7 = 14.3 % → 14", () => {
    expect(summarize(rows)).toEqual({ responses: 7, promoters: 3, passives: 2, detractors: 2, nps: 14 });
  });

  it("rounds half away from zero, gives integers from −100 to 100, null without answers", () => {
    expect(npsOf([10, 8, 8, 8, 8, 8, 8, 8])).toBe(13); // 12.5
    expect(npsOf([0, 8, 8, 8, 8, 8, 8, 8])).toBe(-13); // −12.5
    expect(npsOf([9, 10])).toBe(100);
    expect(npsOf([6, 0])).toBe(-100);
    expect(npsOf([7, 8])).toBe(0);
    expect(Object.is(npsOf([7, 8, 9, 10, 0, 1, 8]), 0)).toBe(true); // never −0
    expect(npsOf([])).toBeNull();
  });

  it("by week (New York): week of 2 Nov: 10, 9, 7 → 67; week of 9 Nov: 3, 8, 0, 10 → (1 − 2) / 4 = −25; empty weeks null", () => {
    expect(weekOf(new Date("2026-11-08T03:00:00Z"), TZ)).toBe("2026-11-02");
    expect(weekOf(new Date("2026-11-08T03:00:00Z"), "UTC")).toBe("2026-11-02");
    expect(weekOf(new Date("2026-11-09T03:00:00Z"), "UTC")).toBe("2026-11-09");
    const trend = weeklyTrend(rows, TZ, new Date("2026-10-28T15:00:00Z"), new Date("2026-11-18T15:00:00Z"));
    expect(trend.map((w) => [w.week, w.responses, w.nps])).toEqual([
      ["2026-10-26", 0, null],
      ["2026-11-02", 3, 67],
      ["2026-11-09", 4, -25],
      ["2026-11-16", 0, null],
    ]);
  });

  it("by tenure: first 10, 7, 3, 0 → (1 − 2) / 4 = −25; returning 9, 8, 10 → 2 / 3 = 67", () => {
    const t = byTenure(rows);
    expect(t.first).toEqual({ responses: 4, promoters: 1, passives: 1, detractors: 2, nps: -25 });
    expect(t.returning).toEqual({ responses: 3, promoters: 2, passives: 1, detractors: 0, nps: 67 });
  });

  it("by flow: A 10, 9, 7, 3 → 25 with 4/5 answered; B 8, 0, 10 → 0 with 3/5", () => {
    const flows = byFlow(
      rows,
      sent,
      new Map([
        ["A", "NPS survey"],
        ["B", "NPS (returning)"],
      ]),
    );
    expect(flows.map((f) => [f.name, f.responses, f.nps, f.sent, f.answered, f.rate])).toEqual([
      ["NPS survey", 4, 25, 5, 4, 80],
      ["NPS (returning)", 3, 0, 5, 3, 60],
    ]);
  });

  it("response rate: answered emails among those sent; answers to older emails do not count", () => {
    expect(responseRate(sent, rows)).toEqual({ sent: 10, answered: 7, rate: 70 });
    expect(responseRate(sent, [...rows, { messageId: "older" }])).toEqual({ sent: 10, answered: 7, rate: 70 });
    expect(responseRate([], rows)).toEqual({ sent: 0, answered: 0, rate: null });
  });

  it("response times: median over contacted cases, formatted", () => {
    const opened = new Date("2026-11-10T10:00:00Z");
    const after = (min: number) => new Date(opened.getTime() + min * 60_000);
    expect(
      medianResponseTimeMs([
        { openedAt: opened, contactedAt: after(30) },
        { openedAt: opened, contactedAt: null },
        { openedAt: opened, contactedAt: after(90) },
      ]),
    ).toBe(60 * 60_000);
    expect(
      medianResponseTimeMs([
        { openedAt: opened, contactedAt: after(30) },
        { openedAt: opened, contactedAt: after(60) },
        { openedAt: opened, contactedAt: after(600) },
      ]),
    ).toBe(60 * 60_000);
    expect(medianResponseTimeMs([{ openedAt: opened, contactedAt: null }])).toBeNull();
    expect([formatDuration(45 * 60_000), formatDuration(200 * 60_000), formatDuration(52 * 3_600_000), formatDuration(null)]).toEqual([
      "45 min",
      "3 h 20 min",
      "2 d 4 h",
      "—",
    ]);
  });
});

describe("loadNpsMetrics (PostgreSQL)", () => {
  let db: Db;
  useTempDb("nps-metrics", (created) => {
    db = created.db;
  });

  it("loads the period's answers and sends of one shop and computes the same figures", async () => {
    const now = new Date("2026-11-18T15:00:00Z");
    const shop = await makeShop(db, { timezone: TZ });
    const other = await makeShop(db, { timezone: TZ });
    const flow = (s: { id: string }, key: string, name: string) => makeFlow(db, s, { key, name, trigger: "delivered", category: "survey" });
    const A = await flow(shop, "nps", "NPS survey");
    const thanks = await flow(shop, "thank_you", "Thank you");
    const O = await flow(other, "nps", "NPS survey");
    const ids = new Map<string, string>();
    const message = async (key: string, flowId: string, shopId: string, status: MessageStatus = "sent", at = sentAt) => {
      const m = await db.message.create({
        data: {
          shopId,
          flowId,
          dedupeKey: key,
          rfcMessageId: key,
          category: "survey",
          status,
          anchor: "delivered",
          anchorAt: at,
          dueAt: at,
          sendAt: at,
          sentAt: status === "sent" ? at : null,
        },
      });
      ids.set(key, m.id);
      return m;
    };
    for (const key of ["m1", "m2", "m3", "m4", "a5"]) await message(key, A.id, shop.id);
    await message("x-scheduled", A.id, shop.id, "scheduled");
    await message("x-old", A.id, shop.id, "sent", new Date("2026-06-01T00:00:00Z")); // before the 30-day period
    await message("x-thanks", thanks.id, shop.id); // not an NPS email
    await message("o1", O.id, other.id);
    for (const r of rows.filter((r) => r.flowId === "A")) {
      await db.npsResponse.create({
        data: { shopId: shop.id, messageId: ids.get(r.messageId)!, flowId: A.id, score: r.score, tenure: r.tenure, respondedAt: r.respondedAt },
      });
    }
    await db.npsResponse.create({
      data: { shopId: shop.id, messageId: ids.get("x-old")!, flowId: A.id, score: 0, tenure: "first", respondedAt: new Date("2026-06-02T00:00:00Z") },
    });
    const otherAnswer = await db.npsResponse.create({
      data: { shopId: other.id, messageId: ids.get("o1")!, flowId: O.id, score: 0, tenure: "first", respondedAt: rows[0].respondedAt },
    });
    await db.npsCase.create({ data: { shopId: other.id, responseId: otherAnswer.id, status: "open", openedAt: rows[0].respondedAt } });
    const detractor = await db.npsResponse.findFirstOrThrow({ where: { shopId: shop.id, score: 3 } });
    await db.npsCase.create({
      data: {
        shopId: shop.id,
        responseId: detractor.id,
        status: "contacted",
        openedAt: rows[3].respondedAt,
        contactedAt: new Date(rows[3].respondedAt.getTime() + 2 * 3_600_000),
      },
    });

    const m = await loadNpsMetrics(db, shop, now, 30);
    // Flow A only: 10, 9, 7, 3 → (2 − 1) / 4 = 25; 4 of 5 sent answered.
    expect(m.overall).toEqual({ responses: 4, promoters: 2, passives: 1, detractors: 1, nps: 25 });
    expect(m.rate).toEqual({ sent: 5, answered: 4, rate: 80 });
    expect(m.tenure.first.nps).toBe(0); // 10, 7, 3 → (1 − 1) / 3
    expect(m.tenure.returning.nps).toBe(100); // 9
    expect(m.flows.map((f) => [f.name, f.nps, f.rate])).toEqual([["NPS survey", 25, 80]]);
    expect(m.trend.filter((w) => w.responses).map((w) => [w.week, w.nps])).toEqual([
      ["2026-11-02", 67],
      ["2026-11-09", -100],
    ]);
    expect(m.cases).toEqual({ open: 0, contacted: 1, resolved: 0, medianResponseMs: 2 * 3_600_000 });
  });
});
