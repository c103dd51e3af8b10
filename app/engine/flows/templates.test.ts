import { describe, expect, it } from "vitest";
import { FLOW_PRESETS } from "./presets";
import { isPreset, languageChoices, templateFor } from "./templates";

const preset = FLOW_PRESETS.find((p) => p.key === "thank_you")!;
const flow = { key: "thank_you", subject: preset.subject, body: preset.body };
const french = { locale: "fr", subject: "Merci {{ order.name }}", body: "Bonjour" };

describe("templateFor", () => {
  it.each([
    ["fr", french],
    ["FR", french], // tags compare in canonical form
    ["en", flow],
    ["fr-CA", flow], // a language's template is for that published tag only
  ])("a message in %s", (language, expected) => {
    expect(templateFor(flow, [french], language)).toEqual({ subject: expected.subject, body: expected.body });
  });
});

describe("languageChoices", () => {
  const shop = { primaryLocale: "en", publishedLocales: ["fr", "de"] };

  it("lists the default, each published language with what it uses, then unpublished languages that keep a template", () => {
    expect(languageChoices(shop, flow, [french, { locale: "it" }])).toEqual([
      { value: "", label: "Default (all languages)", uses: "preset", published: true },
      { value: "en", label: "English", uses: "default", published: true },
      { value: "fr", label: "French", uses: "own", published: true },
      { value: "de", label: "German", uses: "default", published: true },
      { value: "it", label: "Italian", uses: "own", published: false },
    ]);
  });

  it("tells an edited default from the preset", () => {
    expect(isPreset(flow)).toBe(true);
    expect(isPreset({ ...flow, body: `${flow.body}\nSee you soon` })).toBe(false);
    expect(languageChoices(shop, { ...flow, subject: "Thanks!" }, [])[0].uses).toBe("edited");
  });
});
