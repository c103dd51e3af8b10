// The review link of a review request: /r/<token>. The token names the main review-request
// message (never an address), and expires after 180 days.
import { z } from "zod";
import { sign, verify, type LinkKeys } from "../links/tokens";

export const REVIEW_LINK_DAYS = 180;
const reviewPayload = z.object({ t: z.literal("r"), m: z.string().min(1).max(64) });

const base = (appUrl: string) => appUrl.replace(/\/+$/, "");

/** Expiry of a link issued at `issuedAt`. */
export function reviewLinkExpiry(issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + REVIEW_LINK_DAYS * 86_400_000);
}

export function reviewUrl(appUrl: string, secret: LinkKeys, mainMessageId: string, expiresAt: Date): string {
  return `${base(appUrl)}/r/${sign(secret, { t: "r", m: mainMessageId }, expiresAt)}`;
}

/** The main message id of a valid, unexpired review token, or null. */
export function readReviewToken(secret: LinkKeys, token: string, now: Date): string | null {
  const parsed = reviewPayload.safeParse(verify(secret, token, now));
  return parsed.success ? parsed.data.m : null;
}
