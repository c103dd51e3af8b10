// The unsubscribe / preferences page behind /u/<token>: what it shows and what its POSTs do.
// The token names a message; the recipient, shop and category come from the message row.
import { messageLocale } from "../i18n/language";
import type { Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { PAGE_MESSAGE_FIELDS, pageBrand, type PageBrand } from "../email/page-brand";
import { resubscribe, suppress, suppressionFor, type MessageCategory, type SuppressionScope, type SuppressionState } from "./suppression";

type Tx = Prisma.TransactionClient | PrismaClient;

export interface PreferencesView extends PageBrand {
  maskedEmail: string;
  category: MessageCategory;
  /** true = the customer receives this category */
  surveys: boolean;
  marketing: boolean;
  /** scope "all" (bounce, complaint, manual): nothing is sent whatever the checkboxes say */
  blockedAll: boolean;
  /** The language of the email the link came from: the page's. */
  locale: string;
}

interface Target extends PageBrand {
  messageId: string;
  shopId: string;
  email: string;
  category: MessageCategory;
  locale: string;
}

/** "jo@example.com" → "j•••@example.com" */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/**
 * What a one-click unsubscribe stops, whichever email it came from: every survey and marketing
 * email of the shop to that address. A person pressing "unsubscribe" in their mail client means
 * "no more of this kind of mail", not "no more of this one flow"; service mail about their own
 * orders still goes (only scope "all" stops it). The preferences page opts back in per category.
 */
export const ONE_CLICK_SCOPES = ["survey", "marketing"] as const satisfies readonly SuppressionScope[];

function asCategory(value: string): MessageCategory {
  return value === "survey" || value === "marketing" ? value : "service";
}

async function target(db: Tx, messageId: string): Promise<Target | null> {
  const message = await db.message.findUnique({
    where: { id: messageId },
    select: { ...PAGE_MESSAGE_FIELDS, shopId: true, recipient: true, category: true },
  });
  if (!message || !message.recipient) return null; // unknown, or redacted
  return {
    messageId: message.id,
    shopId: message.shopId,
    email: message.recipient,
    category: asCategory(message.category),
    ...pageBrand(message.shop),
    locale: messageLocale(message, message.shop, message.order?.locale),
  };
}

function view(t: Target, state: SuppressionState): PreferencesView {
  return {
    shopName: t.shopName,
    brandColor: t.brandColor,
    maskedEmail: maskEmail(t.email),
    category: t.category,
    surveys: !state.survey,
    marketing: !state.marketing,
    blockedAll: state.all,
    locale: t.locale,
  };
}

/** The page for a message, or null (404) when the message is unknown or its recipient redacted. */
export async function loadPreferences(db: Tx, messageId: string): Promise<PreferencesView | null> {
  const t = await target(db, messageId);
  return t ? view(t, await suppressionFor(db, t.shopId, t.email)) : null;
}

/** RFC 8058 one-click POST. false → unknown or redacted message (404), nothing recorded. */
export async function oneClickUnsubscribe(db: Tx, clock: Clock, messageId: string): Promise<boolean> {
  const t = await target(db, messageId);
  if (!t) return false;
  for (const scope of ONE_CLICK_SCOPES) {
    await suppress(db, clock, { shopId: t.shopId, email: t.email, scope, reason: "unsubscribe", detail: `one-click, message ${t.messageId}` });
  }
  return true;
}

/** The preferences form: checked = receive. Returns the updated page, or null (404). */
export async function savePreferences(
  db: Tx,
  clock: Clock,
  messageId: string,
  wanted: { surveys: boolean; marketing: boolean },
): Promise<PreferencesView | null> {
  const t = await target(db, messageId);
  if (!t) return null;
  const choices = [
    ["survey", wanted.surveys],
    ["marketing", wanted.marketing],
  ] as const;
  for (const [scope, receive] of choices) {
    if (receive) await resubscribe(db, t.shopId, t.email, scope);
    else await suppress(db, clock, { shopId: t.shopId, email: t.email, scope, reason: "unsubscribe", detail: `preferences page, message ${t.messageId}` });
  }
  return view(t, await suppressionFor(db, t.shopId, t.email));
}
