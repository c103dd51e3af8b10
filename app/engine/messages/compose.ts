// Composing an email from a ledger row: the renderer's input and the SMTP envelope/headers.
import type { Message, Shop } from "@prisma/client";
import type { RenderInput } from "../email/render";
import type { TemplateContext } from "../email/render/types";
import type { OutgoingEmail } from "../email/transport";
import type { ProductInfo } from "../shopify/products";
import { buildContext } from "./context";
import type { ScaleBlock } from "./extensions";
import type { DispatchDeps } from "./dispatch/types";
import { fromName } from "../email/sender-name";
import { translator } from "../i18n/translate";

export function formatMessageId(localPart: string, domain: string) {
  return `<${localPart}@${domain}>`;
}

/** What every email of a shop renders with: the template, its values, the shop's brand and why the customer gets it, in `locale`. */
export function shopRenderInput(
  shop: Pick<Shop, "name" | "brandColor" | "logoUrl" | "address" | "primaryDomain">,
  template: { subject: string; body: string },
  context: TemplateContext,
  locale = "en",
): Pick<RenderInput, "locale" | "subjectTemplate" | "bodyTemplate" | "context" | "brand" | "reason"> {
  return {
    locale,
    subjectTemplate: template.subject,
    bodyTemplate: template.body,
    context,
    brand: { shopName: shop.name, brandColor: shop.brandColor, logoUrl: shop.logoUrl, address: shop.address, primaryDomain: shop.primaryDomain },
    reason: translator(locale).t("layout.reason", { shop: shop.name }),
  };
}

export function renderInput(
  deps: DispatchDeps,
  message: Message,
  shop: Parameters<typeof buildContext>[0]["shop"],
  flow: { subject: string; body: string; category: string },
  order: Parameters<typeof buildContext>[0]["order"],
  customer: Parameters<typeof buildContext>[0]["customer"],
  reader: { timezone: string; locale: string },
  products: Map<string, ProductInfo>,
  prepared?: { context: Record<string, unknown>; cta?: { label: string; url: string } | null; scale?: ScaleBlock | null } | null,
): RenderInput {
  const context = { ...buildContext({ shop, order, customer, ...reader }), ...prepared?.context };
  context.line_items = context.line_items.map((li, i) => {
    const product = products.get(order.lineItems[i]?.productId ?? "");
    return { ...li, url: product?.url ?? null, image_url: product?.imageUrl ?? null };
  });
  const unsubscribable = flow.category !== "service";
  return {
    ...shopRenderInput(shop, flow, context, reader.locale),
    unsubscribeUrl: unsubscribable ? deps.links.unsubscribe(message.id) : null,
    preferencesUrl: unsubscribable ? deps.links.preferences(message.id) : null,
    cta: prepared?.cta ? { label: prepared.cta.label, url: prepared.cta.url } : null,
    scale: prepared?.scale ?? null,
    linkWrapper: (url) => deps.links.click(message.id, url),
  };
}

export function outgoing(
  deps: DispatchDeps,
  message: Message,
  shop: { name: string; senderName: string | null; replyTo: string | null; contactEmail: string | null },
  to: string,
  email: { subject: string; html: string; text: string },
): OutgoingEmail {
  const headers: Record<string, string> = { "X-Trustloop-Message": message.id };
  if (message.category !== "service") {
    // RFC 8058 one-click unsubscribe (also signed by DKIM when configured).
    headers["List-Unsubscribe"] = `<${deps.links.unsubscribe(message.id)}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return {
    from: { name: fromName(shop, deps.from.name), address: deps.from.address },
    to,
    replyTo: shop.replyTo ?? shop.contactEmail,
    subject: email.subject,
    html: email.html,
    text: email.text,
    messageId: formatMessageId(message.rfcMessageId, deps.messageIdDomain),
    headers,
  };
}
