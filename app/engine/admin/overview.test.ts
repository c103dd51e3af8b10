// The admin home's send-queue figures, against a real database: this shop's emails due now (and the
// oldest one's due time) and its sends of unknown outcome; another shop's never count.
import { describe, expect, it } from "vitest";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { shopOverview } from "./overview";

let temp: TempDb;
const clock = new ManualClock(new Date("2026-12-04T12:00:00Z"));
useTempDb("overview", (created) => {
  temp = created;
});

async function shopWith(domain: string, messages: { status: "scheduled" | "deferred" | "sending" | "sent" | "unknown"; sendAt: string }[]) {
  const db = temp.db;
  const shop = await makeShop(db, { domain, currency: "EUR", installedAt: clock.now() });
  const flow = await makeFlow(db, shop, { key: "thank_you", delayMinutes: 15 });
  for (const [i, m] of messages.entries()) {
    const at = new Date(m.sendAt);
    await db.message.create({
      data: {
        shopId: shop.id,
        flowId: flow.id,
        dedupeKey: `${domain}-${i}`,
        category: "service",
        status: m.status,
        anchor: "order_created",
        anchorAt: at,
        dueAt: at,
        sendAt: at,
        rfcMessageId: `${domain}-${i}`,
      },
    });
  }
}

describe("the admin home's send queue", () => {
  it("counts this shop's emails due now, the oldest due time and the unknown outcomes", async () => {
    await shopWith("mine.myshopify.com", [
      { status: "scheduled", sendAt: "2026-12-04T11:50:00Z" },
      { status: "deferred", sendAt: "2026-12-04T09:30:00Z" },
      { status: "sending", sendAt: "2026-12-04T11:59:00Z" },
      { status: "scheduled", sendAt: "2026-12-04T13:00:00Z" }, // not due yet
      { status: "sent", sendAt: "2026-12-04T08:00:00Z" },
      { status: "unknown", sendAt: "2026-12-04T07:00:00Z" },
    ]);
    await shopWith("theirs.myshopify.com", [
      { status: "scheduled", sendAt: "2026-12-01T00:00:00Z" },
      { status: "unknown", sendAt: "2026-12-01T00:00:00Z" },
    ]);
    const overview = await shopOverview(temp.db, clock, "mine.myshopify.com");
    expect(overview!.queue).toEqual({ due: 3, oldestDueAt: new Date("2026-12-04T09:30:00Z"), unknown: 1 });
  });
});
