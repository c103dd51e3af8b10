import { describe, expect, it } from "vitest";
import { decideOutcome, RETRY_POLICY, type RetryPolicy } from "./outcome";

const now = new Date("2026-12-05T10:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);

describe("decideOutcome", () => {
  it("a 250 is sent", () => {
    expect(decideOutcome({ answer: { status: "sent", response: "250 ok" } }, 1, now)).toEqual({ outcome: "sent" });
  });

  it("a transient answer is retried after the policy's wait for that attempt", () => {
    const answer = { status: "transient", error: "421 try later" } as const;
    expect(decideOutcome({ answer }, 1, now)).toEqual({ outcome: "retry", at: later(60_000), reason: "attempt 1 failed (421 try later); retrying" });
    expect(decideOutcome({ answer }, 3, now)).toEqual({ outcome: "retry", at: later(240_000), reason: "attempt 3 failed (421 try later); retrying" });
  });

  it("the wait doubles up to six hours", () => {
    expect([1, 2, 3, 9, 10, 20].map((attempt) => RETRY_POLICY.delayMs(attempt))).toEqual([60_000, 120_000, 240_000, 15_360_000, 6 * 3_600_000, 6 * 3_600_000]);
  });

  it("a transient answer on the last attempt allowed fails", () => {
    const answer = { status: "transient", error: "421 try later" } as const;
    expect(decideOutcome({ answer }, 8, now)).toEqual({ outcome: "failed", reason: "gave up after 8 attempts: 421 try later" });
    const policy: RetryPolicy = { maxAttempts: 2, delayMs: () => 5 };
    expect(decideOutcome({ answer }, 1, now, policy)).toEqual({ outcome: "retry", at: later(5), reason: "attempt 1 failed (421 try later); retrying" });
    expect(decideOutcome({ answer }, 2, now, policy)).toMatchObject({ outcome: "failed" });
  });

  it("a refused recipient is a bounce, with the server's reply as its detail", () => {
    const answer = { status: "permanent", error: "mailbox unavailable", code: 550, stage: "recipient" } as const;
    expect(decideOutcome({ answer }, 1, now)).toEqual({
      outcome: "bounced",
      reason: "rejected by the mail server (550): mailbox unavailable",
      detail: "550 mailbox unavailable",
    });
  });

  it("a bounce's detail is cut at 300 characters", () => {
    const answer = { status: "permanent", error: "x".repeat(400), code: 550, stage: "recipient" } as const;
    const decision = decideOutcome({ answer }, 1, now);
    expect(decision.outcome === "bounced" && decision.detail.length).toBe(300);
  });

  it("a refused sender or message fails without a bounce", () => {
    for (const stage of ["sender", "message"] as const) {
      const answer = { status: "permanent", error: "denied", code: 554, stage } as const;
      expect(decideOutcome({ answer }, 1, now)).toEqual({ outcome: "failed", reason: "rejected by the mail server (554): denied" });
    }
  });

  it("a connection lost after the data was handed over is unknown", () => {
    const answer = { status: "unknown", error: "connection closed" } as const;
    expect(decideOutcome({ answer }, 1, now)).toEqual({
      outcome: "unknown",
      reason: "delivery outcome unknown (connection closed); not re-sent automatically",
    });
  });

  it("a mailer that threw is unknown, never retried", () => {
    expect(decideOutcome({ error: new Error("socket hang up") }, 1, now)).toEqual({
      outcome: "unknown",
      reason: "delivery outcome unknown (the mailer failed: socket hang up); not re-sent automatically",
    });
    expect(decideOutcome({ error: "boom" }, 8, now)).toMatchObject({ outcome: "unknown", reason: expect.stringContaining("the mailer failed: boom") });
  });
});
