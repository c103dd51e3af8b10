// The display name in From. Recipients judge an email by it, so it must read as a name: not an
// address or a link (which would impersonate another sender or carry a link into the inbox
// list), not overlong, no line breaks or header syntax.
import { z } from "zod";

export const SENDER_NAME_MAX = 60;

const ADDRESS = /@/;
const URL_LIKE = /(:\/\/|\bwww\.|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\b)/i;
const HEADER_SYNTAX = /[\p{Cc}<>"\\]/u;

/** Why `name` cannot be a sender name, or null when it can. */
export function senderNameProblem(name: string): string | null {
  if (name.length > SENDER_NAME_MAX) return `At most ${SENDER_NAME_MAX} characters`;
  if (ADDRESS.test(name)) return "A name, not an email address";
  if (URL_LIKE.test(name)) return "A name, not a web address";
  if (HEADER_SYNTAX.test(name)) return "No line breaks, quotes, backslashes or angle brackets";
  return null;
}

/** The settings field: empty means "the shop's name". */
export const senderNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = senderNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((v) => v || null);

/** The first acceptable name among `candidates` (e.g. the chosen one, then the shop's name). */
export function acceptableSenderName(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) {
    const name = candidate?.trim();
    if (name && !senderNameProblem(name)) return name;
  }
  return null;
}

/**
 * The From name for a shop's mail: its chosen sender name, else its name, else `fallback`
 * (MAIL_FROM's name) — whichever first passes the check (names saved before it existed, and
 * shop names from Shopify, are not trusted blindly).
 */
export function fromName(shop: { senderName: string | null; name: string }, fallback: string | null): string {
  return acceptableSenderName(shop.senderName, shop.name, fallback) ?? "";
}
