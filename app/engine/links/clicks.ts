// Tracked clicks: /c/<token> redirects to the http(s) target inside the signed token (the shop's
// pages, a carrier's tracking page) and records the click. The target is never read from the
// request: only a URL we signed when sending can be reached, so /c/ is no open redirect.
// A GET that records is allowed here because it changes no customer-facing state (it is
// measurement), but mail scanners pre-fetch every link: a message+URL is recorded at most once
// per 60 seconds.
import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { touchDays } from "../dashboard/touch";

type Tx = Prisma.TransactionClient | PrismaClient;

export const CLICK_DEDUPE_MS = 60_000;

/** An absolute http(s) URL without credentials: what a signed click token may redirect to. */
export function isFollowableTarget(target: string): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return false;
  return !url.username && !url.password;
}

export type ClickResult = { redirect: string; recorded: boolean } | null;

/**
 * Resolves a verified click token. null → answer 404 (unknown message, or a target that is not
 * a plain http(s) URL). Recording never blocks the redirect.
 */
export async function followClick(db: Tx, clock: Clock, click: { messageId: string; url: string }): Promise<ClickResult> {
  const message = await db.message.findUnique({
    where: { id: click.messageId },
    select: { id: true, shopId: true, recipient: true },
  });
  if (!message || !isFollowableTarget(click.url)) return null;
  // A redacted message (recipient cleared) is no longer tied to a person: redirect, don't measure.
  if (message.recipient === null) return { redirect: click.url, recorded: false };
  let recorded: boolean;
  try {
    recorded = await recordClick(db, clock, { shopId: message.shopId, messageId: message.id, url: click.url });
  } catch {
    recorded = false;
  }
  return { redirect: click.url, recorded };
}

/**
 * Inserts a LinkClick unless one for the same message+URL exists within the last 60 s. The id is
 * derived from (message, URL, 60-second bucket), so two scanner requests racing each other in
 * the same bucket collide on the primary key instead of both being counted.
 */
export async function recordClick(db: Tx, clock: Clock, input: { shopId: string; messageId: string; url: string }): Promise<boolean> {
  const now = clock.now();
  const recent = await db.linkClick.findFirst({
    where: { messageId: input.messageId, url: input.url, clickedAt: { gt: new Date(now.getTime() - CLICK_DEDUPE_MS) } },
    select: { id: true },
  });
  if (recent) return false;
  const bucket = Math.floor(now.getTime() / CLICK_DEDUPE_MS);
  const id = `lc_${createHash("sha256").update(`${input.messageId}\n${input.url}\n${bucket}`).digest("base64url").slice(0, 24)}`;
  try {
    await db.linkClick.create({ data: { id, shopId: input.shopId, messageId: input.messageId, url: input.url, clickedAt: now } });
    const message = await db.message.findUnique({ where: { id: input.messageId }, select: { createdAt: true } });
    await touchDays(db, input.shopId, message?.createdAt);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return false;
    throw error;
  }
}
