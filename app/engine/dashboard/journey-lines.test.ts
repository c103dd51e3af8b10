import { describe, expect, it } from "vitest";
import { journeyLines, type JourneyLineInfo } from "./journey-lines";
import { liftOf } from "./lift";
import type { FlowFigures } from "./types";

const NO_LIFT = liftOf({ n: 0, repeat: 0 }, { n: 0, repeat: 0 });

function figures(flowId: string, counts: Partial<FlowFigures> = {}): FlowFigures {
  return {
    flowId,
    key: flowId,
    name: flowId,
    enabled: true,
    holdoutPercent: 0,
    scheduled: 0,
    sent: 0,
    heldOut: 0,
    skipped: 0,
    skipReasons: [],
    clicks: 0,
    attributedOrders: 0,
    attributedRevenueCents: 0,
    lift: NO_LIFT,
    ...counts,
  };
}

const journey = (id: string, extra: Partial<JourneyLineInfo> = {}): JourneyLineInfo => ({
  id,
  name: `Journey ${id}`,
  status: "active",
  holdoutPercent: 10,
  lift: NO_LIFT,
  ...extra,
});

describe("journeyLines", () => {
  it("keeps the presets in order and sums each journey's steps, removed ones included, into one line after them", () => {
    const journeyLift = liftOf({ n: 40, repeat: 12 }, { n: 35, repeat: 5 });
    const lines = journeyLines(
      [
        { figures: figures("thank_you", { sent: 9 }), journeyId: null },
        {
          figures: figures("step-1", { scheduled: 5, sent: 3, heldOut: 1, skipped: 1, clicks: 4, attributedOrders: 1, attributedRevenueCents: 2500 }),
          journeyId: "j1",
        },
        { figures: figures("review_request", { sent: 2 }), journeyId: null },
        {
          figures: figures("step-2", { scheduled: 4, sent: 2, heldOut: 1, skipped: 1, clicks: 1, attributedOrders: 2, attributedRevenueCents: 7000 }),
          journeyId: "j1",
        },
        // A removed step (journeyStep null) still carries its journey id: it counts for the journey.
        { figures: figures("removed-step", { scheduled: 1, sent: 1 }), journeyId: "j1" },
        { figures: figures("other-step", { sent: 7 }), journeyId: "j2" },
      ],
      [journey("j1", { lift: journeyLift }), journey("j2", { status: "paused", holdoutPercent: 0 })],
    );
    expect(lines.map((l) => l.key)).toEqual(["thank_you", "review_request", "journey:j1", "journey:j2"]);
    expect(lines[2]).toEqual({
      flowId: "j1",
      key: "journey:j1",
      name: "Journey j1",
      journeyId: "j1",
      enabled: true,
      holdoutPercent: 10,
      scheduled: 10,
      sent: 6,
      heldOut: 2,
      skipped: 2,
      skipReasons: [],
      clicks: 5,
      attributedOrders: 3,
      attributedRevenueCents: 9500,
      lift: journeyLift, // the journey's own, not a sum of the steps'
    });
    expect(lines[3]).toMatchObject({ sent: 7, enabled: false, holdoutPercent: 0 });
    expect(lines[0].journeyId).toBeUndefined();
  });

  it("merges the steps' skip reasons, most frequent first and ties by name", () => {
    const [line] = journeyLines(
      [
        {
          figures: figures("s1", {
            skipReasons: [
              { reason: "quiet hours", count: 2 },
              { reason: "customer ordered again", count: 1 },
            ],
          }),
          journeyId: "j",
        },
        {
          figures: figures("s2", {
            skipReasons: [
              { reason: "customer ordered again", count: 3 },
              { reason: "consent", count: 2 },
            ],
          }),
          journeyId: "j",
        },
      ],
      [journey("j")],
    );
    expect(line.skipReasons).toEqual([
      { reason: "customer ordered again", count: 4 },
      { reason: "consent", count: 2 },
      { reason: "quiet hours", count: 2 },
    ]);
  });

  it("gives a journey without figures yet a line of zeros, and leaves out steps of a journey not listed", () => {
    const lines = journeyLines([{ figures: figures("orphan", { sent: 3 }), journeyId: "gone" }], [journey("new")]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ key: "journey:new", sent: 0, scheduled: 0, attributedRevenueCents: 0 });
  });
});
