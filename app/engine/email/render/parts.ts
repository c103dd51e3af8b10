import { translator } from "../../i18n/translate";
import { oneLine, paragraphs, safeUrl, str } from "./escape";
import type { RenderInput } from "./types";

/** Everything the layout shows, already cleaned: plain strings (not escaped) and safe URLs. */
export interface EmailParts {
  /** Canonical BCP 47 tag and writing direction, for <html lang dir>. */
  lang: string;
  dir: "ltr" | "rtl";
  /** The layout's own words, in the message's language. */
  labels: { order: string; total: string; shipment: string; track: string; tracking: string; unsubscribe: string; preferences: string };
  subject: string;
  preview: string;
  body: string; // normalised text, paragraphs separated by blank lines
  shopName: string;
  shopUrl: string | null;
  brandColor: string;
  logoUrl: string | null;
  cta: { label: string; url: string } | null;
  /** A row of numbered buttons (NPS 0–10); `question` is empty when the body already asks it. */
  scale: { question: string; low: string; high: string; links: { value: number; url: string }[] } | null;
  orderName: string;
  total: string;
  items: { title: string; variant: string; quantity: string; price: string; imageUrl: string | null; url: string | null }[];
  tracking: { company: string; number: string; url: string | null }[];
  address: string;
  reason: string;
  unsubscribeUrl: string | null;
  preferencesUrl: string | null;
}

const DEFAULT_BRAND = "#1f2937";
const asArray = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null) : [];

export function buildParts(input: RenderInput, subject: string, body: string): EmailParts {
  const wrapper = input.linkWrapper ?? ((u: string) => u);
  // Layout links go through the click-tracking wrapper; its output is checked again.
  const link = (value: unknown) => {
    const url = safeUrl(value);
    return url ? safeUrl(wrapper(url)) : null;
  };
  const ctx = input.context ?? ({} as RenderInput["context"]);
  const brand = input.brand;
  const primary = brand.primaryDomain ? `https://${oneLine(brand.primaryDomain)}` : null;
  const ctaUrl = input.cta ? link(input.cta.url) : null;
  const shopName = oneLine(brand.shopName) || oneLine(ctx.shop?.name);
  const scaleLinks = (input.scale?.links ?? [])
    .map((l) => ({ value: Number.isInteger(l.value) ? l.value : NaN, url: link(l.url) }))
    .filter((l): l is { value: number; url: string } => Number.isFinite(l.value) && l.url !== null);
  const question = oneLine(input.scale?.question);
  const orderName = oneLine(ctx.order?.name);
  const { locale, dir, t } = translator(input.locale);

  return {
    lang: locale,
    dir,
    labels: {
      order: t("layout.order", { order: orderName }),
      total: t("layout.total"),
      shipment: t("layout.shipment"),
      track: t("layout.track"),
      tracking: t("layout.tracking"),
      unsubscribe: t("layout.unsubscribe"),
      preferences: t("layout.preferences"),
    },
    subject,
    preview: Array.from(paragraphs(body)[0]?.replace(/\s+/g, " ") ?? "")
      .slice(0, 140)
      .join(""),
    body,
    shopName,
    shopUrl: link(ctx.shop?.url) ?? link(primary),
    brandColor: /^#[0-9a-f]{6}$/i.test(brand.brandColor) ? brand.brandColor : DEFAULT_BRAND,
    logoUrl: safeUrl(brand.logoUrl),
    cta: ctaUrl && oneLine(input.cta?.label) ? { label: oneLine(input.cta?.label), url: ctaUrl } : null,
    scale: scaleLinks.length
      ? {
          question: question && !oneLine(body).includes(question) ? question : "",
          low: oneLine(input.scale?.low),
          high: oneLine(input.scale?.high),
          links: scaleLinks,
        }
      : null,
    orderName,
    total: oneLine(ctx.order?.total),
    items: asArray(ctx.line_items)
      .map((li) => ({
        title: oneLine(li.title),
        variant: oneLine(li.variant),
        quantity: oneLine(li.quantity),
        price: oneLine(li.price),
        imageUrl: safeUrl(li.image_url),
        url: link(li.url),
      }))
      .filter((li) => li.title),
    tracking: asArray(ctx.tracking)
      .map((t) => ({ company: oneLine(t.company), number: oneLine(t.number), url: link(t.url) }))
      .filter((t) => t.company || t.number || t.url),
    address: str(brand.address).replace(/\r\n?/g, "\n").split("\n").map(oneLine).filter(Boolean).join(", "),
    reason: oneLine(input.reason),
    unsubscribeUrl: safeUrl(input.unsubscribeUrl),
    preferencesUrl: safeUrl(input.preferencesUrl),
  };
}
