// The editor's live preview and test email: the merchant's unsaved subject and body rendered
// exactly as the worker would, with the shop's most recent real order (or sample data).
import type { PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import type { RenderInput, RenderResult } from "../email/render";
import type { Mailer, SendOutcome } from "../email/transport";
import { buildContext } from "../messages/context";
import { recipientTimezone } from "../schedule/timezones";
import { sampleContext } from "../email/render";

export const previewSchema = z.object({
  subject: z.string().max(5_000),
  body: z.string().max(200_000),
});

export const testEmailSchema = previewSchema.extend({
  to: z.string().trim().email("Enter an email address"),
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
): Promise<{ input: RenderInput; source: PreviewSource }> {
  const order = await db.order.findFirst({
    where: { shopId: shop.id, placeholder: false, placedAt: { not: null } },
    orderBy: [{ placedAt: "desc" }, { createdAt: "desc" }],
    include: { lineItems: true, fulfillments: true },
  });
  const customer = order?.customerShopifyId
    ? await db.customer.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.customerShopifyId } } })
    : null;
  const context = order
    ? buildContext({ shop, order, customer, timezone: recipientTimezone(order.shipCountry, order.shipProvince, shop.timezone) })
    : sampleContext();
  return {
    source: { label: order ? `order ${order.name ?? ""}`.trim() : "sample data (no orders yet)" },
    input: {
      subjectTemplate: template.subject,
      bodyTemplate: template.body,
      context,
      brand: { shopName: shop.name, brandColor: shop.brandColor, logoUrl: shop.logoUrl, address: shop.address, primaryDomain: shop.primaryDomain },
      reason: `You receive this email because you ordered from ${shop.name}.`,
      // Previews carry no real message, hence no signed unsubscribe token.
      unsubscribeUrl: template.category === "service" ? null : `${appUrl.replace(/\/+$/, "")}/u/preview`,
      preferencesUrl: null,
      cta: null,
    },
  };
}

export type TestEmailResult = { status: "sent"; to: string } | { status: "failed"; reason: string };

/** Renders with `render` and sends through `mailer` (the caller closes it), subject "[Test] …". */
export async function sendTestEmail(
  deps: { mailer: Mailer; from: { address: string; name: string | null }; render: (input: RenderInput) => Promise<RenderResult> },
  shop: Pick<Shop, "name" | "senderName" | "replyTo" | "contactEmail">,
  input: RenderInput,
  to: string,
  messageIdDomain: string,
): Promise<TestEmailResult> {
  const rendered = await deps.render(input);
  if (!rendered.ok) return { status: "failed", reason: `template error: ${rendered.error.line ? `line ${rendered.error.line}: ` : ""}${rendered.error.message}` };
  const outcome: SendOutcome = await deps.mailer.send({
    from: { name: shop.senderName ?? shop.name, address: deps.from.address },
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
