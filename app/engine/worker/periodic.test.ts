import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock";
import { periodic } from "./periodic";

describe("periodic work", () => {
  it("runs at once, then waits for real time or a clock jump", async () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new ManualClock(new Date("2026-11-22T10:00:00Z"));
    let runs = 0;
    const tick = periodic(clock, { everyMs: 30_000, clockJumpMs: 300_000 }, async () => ++runs);
    await tick();
    await tick();
    expect(runs).toBe(1);
    clock.advance(300_000);
    await tick();
    expect(runs).toBe(2);
    vi.advanceTimersByTime(30_000);
    await tick();
    expect(runs).toBe(3);
    vi.useRealTimers();
  });
});
