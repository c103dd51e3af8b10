// A flow's template per language (decision 043): the flow's own subject and body are the default,
// which every language uses unless the merchant wrote the flow a template in that language.
import type { Flow, FlowTemplate, MessageStatus, PrismaClient } from "@prisma/client";
import { canonicalLocale, languageName, messageLanguage, shopLanguages, type ShopLanguages } from "../i18n/language";
import { hasCatalogue } from "../i18n/translate";
import { FLOW_PRESETS } from "./presets";

export interface Template {
  subject: string;
  body: string;
}

/** The template a message in `language` is written with: the flow's template in that language, else its default. */
export function templateFor(flow: Template, templates: readonly Pick<FlowTemplate, "locale" | "subject" | "body">[], language: string): Template {
  const tag = canonicalLocale(language);
  const own = templates.find((t) => canonicalLocale(t.locale) === tag);
  return own ? { subject: own.subject, body: own.body } : { subject: flow.subject, body: flow.body };
}

/** Whether the flow's default template is still its preset, word for word. */
export function isPreset(flow: Pick<Flow, "key" | "subject" | "body">): boolean {
  const preset = FLOW_PRESETS.find((p) => p.key === flow.key);
  return preset !== undefined && preset.subject === flow.subject && preset.body === flow.body;
}

/** One choice of the editor's language picker ("" is the default template). */
export interface LanguageChoice {
  value: string;
  label: string;
  /** default: the preset or an edited one; a language: its own template, or the default's. */
  uses: "preset" | "edited" | "own" | "default";
  /** False for a language the shop no longer publishes whose template is kept. */
  published: boolean;
}

/** The picker's choices: the default, each published language, then languages no longer published that keep a template. */
export function languageChoices(
  shop: ShopLanguages,
  flow: Pick<Flow, "key" | "subject" | "body">,
  templates: readonly Pick<FlowTemplate, "locale">[],
): LanguageChoice[] {
  const published = shopLanguages(shop);
  const own = new Set(templates.map((t) => canonicalLocale(t.locale) ?? t.locale));
  const unpublished = [...own].filter((tag) => !published.includes(tag)).sort();
  const choice = (tag: string, isPublished: boolean): LanguageChoice => ({
    value: tag,
    label: languageName(tag),
    uses: own.has(tag) ? "own" : "default",
    published: isPublished,
  });
  return [
    { value: "", label: "Default (all languages)", uses: isPreset(flow) ? "preset" : "edited", published: true },
    ...published.map((tag) => choice(tag, true)),
    ...unpublished.map((tag) => choice(tag, false)),
  ];
}

/**
 * The language a flow's message is written in, decided when it is planned: the customer's
 * (messageLanguage) when Trustloop can write it — a shipped catalogue, or the flow's own template
 * in it — else the shop's primary language when it can (an edited default template counts: the
 * merchant wrote it in their language), else English. A Swedish buyer of a shop that publishes
 * Swedish but has neither a Swedish catalogue nor template gets the English text, with English
 * dates and no right-to-left surprise.
 */
export async function writtenLanguage(
  flow: Pick<Flow, "key" | "subject" | "body">,
  shop: ShopLanguages,
  customerLocale: string | null | undefined,
  hasTemplate: (language: string) => Promise<boolean>,
): Promise<string> {
  const primary = shopLanguages(shop)[0];
  for (const language of new Set([messageLanguage(customerLocale, shop), primary])) {
    if (hasCatalogue(language) || (language === primary && !isPreset(flow)) || (await hasTemplate(language))) return language;
  }
  return "en";
}

/**
 * After the flow's templates changed: its messages still to be sent take the language the planner
 * would now choose (a new Swedish template turns its Swedish buyers' English messages Swedish; a
 * removed one turns them back). One update per language the buyers ordered in. Returns how many changed.
 */
export async function replanLanguages(db: PrismaClient, shop: ShopLanguages, flow: Pick<Flow, "id" | "key" | "subject" | "body">): Promise<number> {
  const pending = { flowId: flow.id, status: { in: ["scheduled", "deferred"] as MessageStatus[] } };
  const [templates, orders] = await Promise.all([
    db.flowTemplate.findMany({ where: { flowId: flow.id }, select: { locale: true } }),
    db.order.findMany({ where: { messages: { some: pending } }, distinct: ["locale"], select: { locale: true } }),
  ]);
  let changed = 0;
  for (const { locale: orderLocale } of orders) {
    const written = await writtenLanguage(flow, shop, orderLocale, async (l) => templates.some((t) => t.locale === l));
    const { count } = await db.message.updateMany({
      where: { ...pending, order: { locale: orderLocale }, NOT: { locale: written } },
      data: { locale: written },
    });
    changed += count;
  }
  return changed;
}
