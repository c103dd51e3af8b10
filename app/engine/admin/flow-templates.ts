// The flow editor's templates per language (decision 043): the picker's choices, saving a
// language's own template (validated like the default) and going back to the default.
import type { Flow, PrismaClient, Shop } from "@prisma/client";
import { languageChoices, replanLanguages } from "../flows/templates";
import { canonicalLocale, shopLanguages } from "../i18n/language";
import { firstErrors, type FieldErrors } from "./flow-form";
import { checkTemplates, type RenderCheck } from "./flows";
import { previewSchema } from "./preview";

type ShopWithLanguages = Pick<Shop, "primaryLocale" | "publishedLocales">;

/** What the editor shows of the flow's languages: the picker's choices and each own template, by language. */
export async function templateEditorData(db: PrismaClient, shop: ShopWithLanguages, flow: Flow) {
  const templates = await db.flowTemplate.findMany({ where: { flowId: flow.id }, orderBy: { locale: "asc" } });
  return {
    languages: languageChoices(shop, flow, templates),
    templates: Object.fromEntries(templates.map((t) => [t.locale, { subject: t.subject, body: t.body }])),
  };
}

export type SaveTemplateResult = { ok: true } | { ok: false; errors: FieldErrors };

/** Saves the flow's own template in one of the shop's published languages; nothing is saved when it is invalid. */
export async function saveFlowTemplate(
  db: PrismaClient,
  shop: ShopWithLanguages,
  flow: Pick<Flow, "id" | "key" | "subject" | "body">,
  input: Record<string, unknown>,
  renderCheck?: RenderCheck,
): Promise<SaveTemplateResult> {
  const parsed = previewSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error) };
  const { subject, body } = parsed.data;
  const locale = canonicalLocale(parsed.data.language);
  if (!locale || !shopLanguages(shop).includes(locale)) return { ok: false, errors: { language: "Choose one of the shop's published languages" } };
  const errors = await checkTemplates(subject, body, renderCheck);
  if (Object.keys(errors).length) return { ok: false, errors };
  await db.flowTemplate.upsert({
    where: { flowId_locale: { flowId: flow.id, locale } },
    create: { flowId: flow.id, locale, subject, body },
    update: { subject, body },
  });
  await replanLanguages(db, shop, flow);
  return { ok: true };
}

/** The language goes back to the flow's default template: its own one is deleted. */
export async function removeFlowTemplate(
  db: PrismaClient,
  shop: ShopWithLanguages,
  flow: Pick<Flow, "id" | "key" | "subject" | "body">,
  language: unknown,
): Promise<void> {
  const locale = typeof language === "string" ? canonicalLocale(language) : null;
  if (!locale) return;
  await db.flowTemplate.deleteMany({ where: { flowId: flow.id, locale } });
  await replanLanguages(db, shop, flow);
}
