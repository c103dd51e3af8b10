// The editor's live preview and test email: the merchant's unsaved subject and body rendered
// exactly as the worker would. The preview (shown to the merchant only) uses the shop's most
// recent real order, or sample data; the test email always uses the sample order, goes only to
// the shop's own addresses, and is limited per shop and hour.
import type { PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import type { RenderInput, RenderResult } from "../email/render";
import type { Mailer, SendOutcome } from "../email/transport";
import { shopRenderInput } from "../messages/compose";
import { buildContext } from "../messages/context";
import { recipientTimezone } from "../schedule/timezones";
import { sampleContext } from "../email/render";
import type { TemplateContext } from "../email/render/types";
import { fromName } from "../email/sender-name";
import { canonicalLocale, shopLanguages } from "../i18n/language";

export const previewSchema = z.object({
  subject: z.string().max(5_000),
  body: z.string().max(200_000),
  /** The editor's chosen language; empty: the default template, shown in the shop's primary language. */
  language: z.string().max(35).default(""),
});

/** What a preview in `language` renders in: that language, else the shop's primary one. */
export function previewLocale(shop: Pick<Shop, "primaryLocale" | "publishedLocales">, language: string): string {
  return canonicalLocale(language) ?? shopLanguages(shop)[0];
}

export const testEmailSchema = previewSchema.extend({
  to: z.string().trim().toLowerCase().email("Choose a recipient"),
});

export interface PreviewSource {
  /** e.g. "order #1004" or "sample data (no orders yet)" */
  label: string;
}

export async function previewInput(
  db: PrismaClient,
  shop: Shop,
  template: { subject: string; body: string; category: string },
  appUrl: string,
  language = "",
): Promise<{ input: RenderInput; source: PreviewSource }> {
  const locale = previewLocale(shop, language);
  const order = await db.order.findFirst({
    where: { shopId: shop.id, placeholder: false, placedAt: { not: null } },
    orderBy: [{ placedAt: "desc" }, { createdAt: "desc" }],
    include: { lineItems: true, fulfillments: true },
  });
  const customer = order?.customerShopifyId
    ? await db.customer.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.customerShopifyId } } })
    : null;
  const context = order ? buildContext({ shop, order, customer, timezone: recipientTimezone(order, shop.timezone), locale }) : sampleOrderContext(shop, locale);
  return {
    source: { label: order ? `order ${order.name ?? ""}`.trim() : "sample data (no orders yet)" },
    input: renderInput(shop, template, appUrl, context, locale),
  };
}

/** The test email's input: always the sample order, never a real customer's. */
export function sampleInput(shop: Shop, template: { subject: string; body: string; category: string }, appUrl: string, language = ""): RenderInput {
  const locale = previewLocale(shop, language);
  return renderInput(shop, template, appUrl, sampleOrderContext(shop, locale), locale);
}

/** The sample order, from this shop, formatted for `locale`. */
function sampleOrderContext(shop: Pick<Shop, "name" | "primaryDomain" | "domain">, locale: string): TemplateContext {
  const sample = sampleContext(locale);
  return { ...sample, shop: { name: shop.name, url: `https://${shop.primaryDomain ?? shop.domain}` } };
}

function renderInput(
  shop: Shop,
  template: { subject: string; body: string; category: string },
  appUrl: string,
  context: TemplateContext,
  locale: string,
): RenderInput {
  return {
    ...shopRenderInput(shop, template, context, locale),
    // Previews carry no real message, hence no signed unsubscribe token.
    unsubscribeUrl: template.category === "service" ? null : `${appUrl.replace(/\/+$/, "")}/u/preview`,
    preferencesUrl: null,
    cta: null,
  };
}

/** How many test emails a shop may send per hour (all its staff together). */
export const TEST_EMAILS_PER_HOUR = 5;

/** Takes one test email from the shop's hourly allowance, shared by every process. */
export type TestEmailQuota = (shopId: string) => Promise<{ ok: true } | { ok: false; retryInMs: number }>;

/**
 * Who a test email may go to: the shop's own address and the signed-in staff member's
 * (verified) address. Anything else would let an installed app send its content, under its
 * shop's name, to anyone.
 */
export function testRecipients(shop: Pick<Shop, "contactEmail">, staffEmail: string | null): string[] {
  const addresses = [shop.contactEmail, staffEmail].map((a) => a?.trim().toLowerCase()).filter((a): a is string => Boolean(a));
  return [...new Set(addresses)];
}

export type TestEmailResult =
  | { status: "sent"; to: string }
  | { status: "failed"; reason: string }
  | { status: "refused"; reason: string }
  | { status: "limited"; limit: number; retryInMinutes: number };

/**
 * Sends the test email to one of `recipients` (see testRecipients), within the shop's hourly
 * quota: renders with `render` and sends through `mailer` (the caller closes it), subject
 * "[Test] …". A template error costs no quota.
 */
export async function sendTestEmail(
  deps: { mailer: Mailer; from: { address: string; name: string | null }; render: (input: RenderInput) => Promise<RenderResult>; quota: TestEmailQuota },
  shop: Pick<Shop, "id" | "name" | "senderName" | "replyTo" | "contactEmail">,
  input: RenderInput,
  to: string,
  recipients: string[],
  messageIdDomain: string,
): Promise<TestEmailResult> {
  if (!recipients.includes(to)) return { status: "refused", reason: "Test emails go only to the shop's email or yours" };
  const rendered = await deps.render(input);
  if (!rendered.ok)
    return { status: "failed", reason: `template error: ${rendered.error.line ? `line ${rendered.error.line}: ` : ""}${rendered.error.message}` };
  const quota = await deps.quota(shop.id);
  if (!quota.ok) return { status: "limited", limit: TEST_EMAILS_PER_HOUR, retryInMinutes: Math.max(1, Math.ceil(quota.retryInMs / 60_000)) };
  const outcome: SendOutcome = await deps.mailer.send({
    from: { name: fromName(shop, deps.from.name), address: deps.from.address },
    to,
    replyTo: shop.replyTo ?? shop.contactEmail,
    subject: `[Test] ${rendered.email.subject}`,
    html: rendered.email.html,
    text: rendered.email.text,
    messageId: `<test.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}@${messageIdDomain}>`,
    headers: { "X-Trustloop-Test": "1" },
  });
  switch (outcome.status) {
    case "sent":
      return { status: "sent", to };
    case "unknown":
      return { status: "failed", reason: `the connection dropped after the email was handed over; it may have arrived (${outcome.error})` };
    default:
      return { status: "failed", reason: outcome.error };
  }
}
