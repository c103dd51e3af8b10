import { describe, expect, it } from "vitest";
import { FLOW_PRESETS } from "./presets";
import { isPreset, languageChoices, templateFor, writtenLanguage } from "./templates";

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

describe("writtenLanguage", () => {
  const preset = FLOW_PRESETS.find((p) => p.key === "thank_you")!;
  const shop = { primaryLocale: "en", publishedLocales: ["en", "fr", "sv", "ar"] };
  const noTemplates = async () => false;

  it("is the customer's published language when a catalogue is shipped for it", async () => {
    expect(await writtenLanguage(preset, shop, "fr-CA", noTemplates)).toBe("fr");
  });

  it("is the customer's published language when the flow has its own template in it", async () => {
    expect(await writtenLanguage(preset, shop, "ar", async (l) => l === "ar")).toBe("ar");
    expect(await writtenLanguage(preset, shop, "sv", async (l) => l === "sv")).toBe("sv");
  });

  it("falls back to the primary language when the customer's cannot be written", async () => {
    expect(await writtenLanguage(preset, shop, "sv", noTemplates)).toBe("en");
    expect(await writtenLanguage(preset, { primaryLocale: "de", publishedLocales: ["de", "sv"] }, "sv", noTemplates)).toBe("de");
  });

  it("takes an edited default template as written in the primary language, else English", async () => {
    const svShop = { primaryLocale: "sv", publishedLocales: ["sv"] };
    expect(await writtenLanguage(preset, svShop, "sv", noTemplates)).toBe("en"); // the preset: English text
    expect(await writtenLanguage({ ...preset, body: "Tack för din beställning!" }, svShop, "sv", noTemplates)).toBe("sv");
  });
});
