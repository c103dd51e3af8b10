// The NPS survey's public links. The token carries only the survey message id (no address, no
// score: the score is a plain query parameter that only pre-selects a button) and expires after
// 180 days. The review page's token (built by the reviews module) is signed the same way.
import { z } from "zod";
import { sign, verify, type LinkKeys } from "../links/tokens";

export const LINK_VALIDITY_MS = 180 * 86_400_000;
export const SCORES = Array.from({ length: 11 }, (_, n) => n);

const messageId = z.string().min(1).max(64);
export const npsPayload = z.object({ t: z.literal("n"), m: messageId });

const base = (appUrl: string) => appUrl.replace(/\/+$/, "");

/** The token of one survey email, valid 180 days from `issuedAt`. */
export function npsToken(secret: LinkKeys, messageId: string, issuedAt: Date): string {
  return sign(secret, { t: "n", m: messageId }, new Date(issuedAt.getTime() + LINK_VALIDITY_MS));
}

/** /n/<token>?score=N: the hosted page with N pre-selected (the GET records nothing). */
export function npsScoreUrl(appUrl: string, token: string, score: number): string {
  return `${base(appUrl)}/n/${token}?score=${score}`;
}

export function readNpsToken(secret: LinkKeys, token: string, now: Date): z.infer<typeof npsPayload> | null {
  const parsed = npsPayload.safeParse(verify(secret, token, now));
  return parsed.success ? parsed.data : null;
}

/** The hosted review page of a review-request message (the reviews module's /r/<token>). */
export function reviewPageUrl(appUrl: string, secret: LinkKeys, reviewMessageId: string, now: Date): string {
  return `${base(appUrl)}/r/${sign(secret, { t: "r", m: reviewMessageId }, new Date(now.getTime() + LINK_VALIDITY_MS))}`;
}

/** "3" → 3; anything but an integer 0–10 → null. */
export function parseScore(value: unknown): number | null {
  if (typeof value !== "string" || !/^(10|[0-9])$/.test(value.trim())) return null;
  return Number(value.trim());
}
