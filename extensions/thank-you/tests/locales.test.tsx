/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
// Every shipped language: its locale file has the default file's messages and the plural forms its
// CLDR rules need, and the block really renders in it.
import { describe, expect, it, vi } from "vitest";
import { LOCALES, TARGETS, blockOn, i18nFor, json, localeFile, offer, text, type LocaleFile } from "./support";

const english = localeFile("en");
const namesIn = (form: string) => [...new Set([...form.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();
/** Each message's {{names}}; a plural message's per category. */
const namesOf = (file: LocaleFile) =>
  Object.fromEntries(
    Object.entries(file).map(([key, value]) => [
      key,
      typeof value === "string" ? namesIn(value) : Object.fromEntries(Object.entries(value).map(([category, form]) => [category, namesIn(form)])),
    ]),
  );
/** What a language's file must hold: the default file's messages, a plural one in each category of the language. */
const expectedFor = (categories: string[]) =>
  Object.fromEntries(
    Object.entries(namesOf(english)).map(([key, names]) => [key, Array.isArray(names) ? names : Object.fromEntries(categories.map((c) => [c, names.other]))]),
  );

it("ships the eight languages", () => {
  expect(LOCALES).toEqual(["de", "en", "es", "fr", "it", "ja", "nl", "pt-BR"]);
});

it.each(LOCALES)("the %s locale file has the default file's messages, the {{names}} they fill and its language's plural forms", (locale) => {
  expect(namesOf(localeFile(locale))).toEqual(expectedFor(new Intl.PluralRules(locale).resolvedOptions().pluralCategories));
});

// The app's answers, each with the message it shows: one point (the "one" form where the language has
// it) and 1,250 points written the locale’s way.
const answers = [
  { name: "one approved point", body: { status: "ready", points: { earned: 1, status: "approved" }, offer: null }, key: "pointsApproved", count: 1 },
  { name: "estimated points", body: { status: "pending", estimatedPoints: 1250 }, key: "pointsPending", count: 1250 },
  { name: "points and the offer", body: { status: "ready", points: { earned: 1250, status: "pending" }, offer }, key: "pointsEarned", count: 1250 },
];

for (const target of TARGETS) {
  describe(`${target} in every language`, () => {
    const extension = blockOn(target);

    describe.each(LOCALES)("%s", (locale) => {
      it.each(answers)("shows $name", async ({ body, key, count }) => {
        const i18n = i18nFor(locale);
        Object.assign(extension.shopify.i18n, i18n);
        extension.fetch = vi.fn(async () => json(body)) as any;
        await extension.render();
        const points = i18n.translate(key, { count, points: new Intl.NumberFormat(locale).format(count) });
        await vi.waitFor(() => expect(text()).toContain(points));
        expect(text()).toContain(i18n.translate("title"));
        if (body.offer) {
          expect(text()).toContain(i18n.translate("offerHeading", { percent: offer.percent, title: offer.title }));
          expect(text()).toContain(i18n.translate("offerCta"));
        }
        expect(text()).not.toMatch(/\{\{|points(Earned|Pending|Approved)/);
      });
    });
  });
}
