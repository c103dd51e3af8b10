// What becomes of a message once the SMTP server answered (or the mailer failed), decided from
// that answer, the attempt and the retry policy alone: a pure function, so each branch is tested
// without SMTP or a database (outcome.test.ts). record.ts writes what it decides.
import type { SendOutcome } from "../../email/transport";

export interface RetryPolicy {
  maxAttempts: number;
  /** The wait before attempt `attempt + 1`. */
  delayMs(attempt: number): number;
}

/** Eight attempts at most; the wait doubles from a minute up to six hours. */
export const RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  delayMs: (attempt) => Math.min(60_000 * 2 ** (attempt - 1), 6 * 3_600_000),
};

/** The mailer's answer, or what it threw. */
export type SmtpResult = { answer: SendOutcome } | { error: unknown };

export type Decision =
  | { outcome: "sent" }
  | { outcome: "retry"; at: Date; reason: string }
  | { outcome: "failed"; reason: string }
  /** Failed, and the address is suppressed as a bounce (`detail` is the server's reply). */
  | { outcome: "bounced"; reason: string; detail: string }
  | { outcome: "unknown"; reason: string };

/** `attempt` is this send's number (1 for the first) and `now` the time of the answer. */
export function decideOutcome(result: SmtpResult, attempt: number, now: Date, policy: RetryPolicy = RETRY_POLICY): Decision {
  const answer = "answer" in result ? result.answer : mailerFailure(result.error);
  switch (answer.status) {
    case "sent":
      return { outcome: "sent" };
    case "transient":
      if (attempt >= policy.maxAttempts) return { outcome: "failed", reason: `gave up after ${attempt} attempts: ${answer.error}` };
      return { outcome: "retry", at: new Date(now.getTime() + policy.delayMs(attempt)), reason: `attempt ${attempt} failed (${answer.error}); retrying` };
    case "permanent": {
      const reason = `rejected by the mail server (${answer.code}): ${answer.error}`;
      // Only a refused recipient is a bounce; a refused sender or content is our problem, not theirs.
      if (answer.stage !== "recipient") return { outcome: "failed", reason };
      return { outcome: "bounced", reason, detail: `${answer.code} ${answer.error}`.slice(0, 300) };
    }
    case "unknown":
      return { outcome: "unknown", reason: `delivery outcome unknown (${answer.error}); not re-sent automatically` };
  }
}

/** A mailer that threw may have handed the email over: unknown, never re-sent blindly. */
function mailerFailure(error: unknown): SendOutcome {
  const text = error instanceof Error ? error.message : String(error);
  return { status: "unknown", error: `the mailer failed: ${text}`.slice(0, 300) };
}
