// Email pauses from Shopify Flow: the send-time decision, and the pause itself (never shortened,
// one shop's pause never another's), against a real database.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { makeShopPair } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { ManualClock } from "../clock";
import { pauseEmails, pauseReason, pausesFor } from "./pause";
import { suppressionKey } from "./suppression";

const DAY_MS = 86_400_000;
const clock = new ManualClock(new Date("2026-12-05T10:00:00Z"));
let temp: TempDb;
let mine: Shop;
let theirs: Shop;

useTempDb("email_pause", async (created) => {
  temp = created;
  [mine, theirs] = await makeShopPair(temp.db, { installedAt: clock.now() });
});

describe("the send-time decision", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  it.each([
    ["no pause", null, null],
    ["a pause that ended", new Date("2026-12-05T09:59:59Z"), null],
    ["a pause that ends right now", now, null],
    ["a pause still running", new Date("2026-12-20T10:00:00Z"), "paused by Shopify Flow until 2026-12-20T10:00:00.000Z"],
  ])("%s → %s", (_, until, reason) => {
    expect(pauseReason(until, now)).toBe(reason);
  });
});

describe("pausing an address", () => {
  it("pauses from now for the days asked, lower-cases the address, and never shortens a longer pause", async () => {
    const until = await pauseEmails(temp.db, clock, { shopId: mine.id, email: " Quiet@Example.com", days: 10, actionRunId: "run-a" });
    expect(until).toEqual(new Date(clock.now().getTime() + 10 * DAY_MS));
    expect(await pauseEmails(temp.db, clock, { shopId: mine.id, email: "quiet@example.com", days: 3, actionRunId: "run-b" })).toEqual(until);
    const longer = await pauseEmails(temp.db, clock, { shopId: mine.id, email: "quiet@example.com", days: 30, actionRunId: "run-c" });
    expect(longer).toEqual(new Date(clock.now().getTime() + 30 * DAY_MS));
    expect(await temp.db.emailPause.findMany({ where: { email: "quiet@example.com" } })).toMatchObject([
      { shopId: mine.id, until: longer, actionRunId: "run-c" },
    ]);
  });

  it("reads many addresses at once, each in its own shop", async () => {
    const until = await pauseEmails(temp.db, clock, { shopId: mine.id, email: "both@example.com", days: 5, actionRunId: null });
    const pauses = await pausesFor(temp.db, [
      { shopId: mine.id, email: "Both@example.com" },
      { shopId: theirs.id, email: "both@example.com" },
      { shopId: mine.id, email: "" },
    ]);
    expect(pauses.get(suppressionKey(mine.id, "both@example.com"))).toEqual(until);
    expect(pauses.has(suppressionKey(theirs.id, "both@example.com"))).toBe(false);
  });
});
