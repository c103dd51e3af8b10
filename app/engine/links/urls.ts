// The public links that go into emails. Tokens carry only the message id (and, for clicks, the
// target URL); the recipient is looked up from the message, so no address appears in a URL.
// They do not expire: an unsubscribe link must keep working long after the email was sent.
import { z } from "zod";
import { sign, verify, type LinkKeys } from "./tokens";

const messageId = z.string().min(1).max(64);
export const unsubscribePayload = z.object({ t: z.literal("u"), m: messageId });
export const clickPayload = z.object({ t: z.literal("c"), m: messageId, u: z.string().url().max(2048) });

const base = (appUrl: string) => appUrl.replace(/\/+$/, "");

/** RFC 8058 one-click target (List-Unsubscribe header) — the same URL as the preferences page. */
export function unsubscribeUrl(appUrl: string, secret: LinkKeys, messageId: string): string {
  return `${base(appUrl)}/u/${sign(secret, { t: "u", m: messageId })}`;
}

/** The visible "unsubscribe / manage preferences" link in the email body (GET shows the page). */
export function preferencesUrl(appUrl: string, secret: LinkKeys, messageId: string): string {
  return unsubscribeUrl(appUrl, secret, messageId);
}

/** A tracked link: /c/<token> redirects to `target` (any http(s) URL; it is signed inside the token). */
export function clickUrl(appUrl: string, secret: LinkKeys, messageId: string, target: string): string {
  return `${base(appUrl)}/c/${sign(secret, { t: "c", m: messageId, u: target })}`;
}

export function readUnsubscribeToken(secret: LinkKeys, token: string, now: Date): z.infer<typeof unsubscribePayload> | null {
  const parsed = unsubscribePayload.safeParse(verify(secret, token, now));
  return parsed.success ? parsed.data : null;
}

export function readClickToken(secret: LinkKeys, token: string, now: Date): z.infer<typeof clickPayload> | null {
  const parsed = clickPayload.safeParse(verify(secret, token, now));
  return parsed.success ? parsed.data : null;
}
