export interface Brand {
  shopName: string;
  brandColor: string; // #rrggbb
  logoUrl?: string | null;
  address?: string | null;
  primaryDomain?: string | null;
}

export interface LineItem {
  title: string;
  variant?: string | null;
  quantity: number;
  price: string;
  image_url?: string | null;
  url?: string | null;
}

export interface Tracking {
  company?: string | null;
  number?: string | null;
  url?: string | null;
}

export interface TemplateContext {
  shop: { name: string; url: string };
  customer: { first_name: string | null; last_name?: string | null };
  order: { name: string; date: string; total: string; status_url?: string | null };
  line_items: LineItem[];
  tracking: Tracking[];
  links: Record<string, string>;
  [extra: string]: unknown;
}

export interface RenderInput {
  /** The message's language (a BCP 47 tag): the layout's words, `lang`/`dir`, and the catalogue of the `t` filter. Default English. */
  locale?: string | null;
  subjectTemplate: string;
  bodyTemplate: string;
  context: TemplateContext;
  brand: Brand;
  reason: string;
  unsubscribeUrl?: string | null;
  preferencesUrl?: string | null;
  cta?: { label: string; url: string } | null;
  /** A row of numbered buttons (the NPS 0–10 scale); each URL goes through linkWrapper too. */
  scale?: { question: string; low: string; high: string; links: { value: number; url: string }[] } | null;
  /** Click tracking for URLs the layout places (CTA, products, tracking); not for unsubscribe/preferences. */
  linkWrapper?: (url: string) => string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  htmlBytes: number;
}

export interface TemplateError {
  kind: "parse" | "render" | "timeout" | "too_large";
  message: string;
  line?: number;
  field?: "subject" | "body";
}

export type RenderResult = { ok: true; email: RenderedEmail } | { ok: false; error: TemplateError };
