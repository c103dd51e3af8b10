import { describe, expect, it } from "vitest";
import { canonicalLocale, formattingLocale, languageName, messageLanguage, messageLocale, plannedLanguage, shopLanguages } from "./language";

const shop = { primaryLocale: "en", publishedLocales: ["en", "fr", "de", "pt-BR", "ja"] };

describe("messageLanguage", () => {
  it.each([
    ["fr", "fr"],
    ["fr-CA", "fr"], // the language, when the shop has it without the region
    ["de_AT", "de"], // underscores as some storefronts send them
    ["pt", "pt-BR"],
    ["ja-JP", "ja"],
    ["es", "en"], // not published: the shop's primary language
    ["sv-SE", "en"],
    [null, "en"],
    ["", "en"],
    ["not a locale!", "en"],
  ])("customer locale %s → %s", (customer, expected) => {
    expect(messageLanguage(customer, shop)).toBe(expected);
  });

  it("falls back to the shop's primary language, which need not be English", () => {
    expect(messageLanguage("it", { primaryLocale: "de", publishedLocales: ["de", "fr"] })).toBe("de");
  });

  it("treats the primary language as published even when the list leaves it out", () => {
    expect(messageLanguage("nl-BE", { primaryLocale: "nl", publishedLocales: [] })).toBe("nl");
  });

  it("uses English when the shop's primary language is not a valid tag", () => {
    expect(messageLanguage("fr", { primaryLocale: "??", publishedLocales: ["fr"] })).toBe("fr");
    expect(messageLanguage(null, { primaryLocale: "??", publishedLocales: [] })).toBe("en");
  });
});

describe("canonicalLocale", () => {
  it("canonicalises case and separators, and refuses garbage", () => {
    expect(canonicalLocale("PT-br")).toBe("pt-BR");
    expect(canonicalLocale("zh_hant_tw")).toBe("zh-Hant-TW");
    expect(canonicalLocale(" en ")).toBe("en");
    expect(canonicalLocale("12")).toBeNull();
    expect(canonicalLocale(undefined)).toBeNull();
  });
});

describe("languageName", () => {
  it("names a language in English for the admin", () => {
    expect(languageName("fr")).toBe("French");
    expect(languageName("pt-BR")).toBe("Brazilian Portuguese");
    expect(languageName("ja")).toBe("Japanese");
  });
});

describe("formattingLocale and messageLocale", () => {
  it("keeps the customer's regional form when it speaks the message's language", () => {
    expect(formattingLocale("fr", "fr-CA")).toBe("fr-CA");
    expect(formattingLocale("en", "sv-SE")).toBe("en"); // English text: English formats
    expect(formattingLocale("pt-BR", "pt")).toBe("pt");
    expect(formattingLocale("de", null)).toBe("de");
  });

  it("uses the language recorded on the message, or decides it for an older message", () => {
    expect(messageLocale({ locale: "fr" }, shop, "fr-BE")).toBe("fr-BE");
    expect(messageLocale({ locale: "en" }, shop, "fr-BE")).toBe("en"); // decided when planned, kept
    expect(messageLocale({ locale: null }, shop, "de-CH")).toBe("de-CH");
    expect(messageLocale({ locale: null }, shop, "es")).toBe("en");
  });
});

describe("shopLanguages and plannedLanguage", () => {
  it("lists the shop's languages canonically, the primary one first, each once", () => {
    expect(shopLanguages({ primaryLocale: "fr", publishedLocales: ["en", "pt-br", "fr", "not a tag"] })).toEqual(["fr", "en", "pt-BR"]);
    expect(shopLanguages({ primaryLocale: "", publishedLocales: [] })).toEqual(["en"]);
  });

  it("keeps the language recorded on the message, not its customer's region", () => {
    expect(plannedLanguage({ locale: "fr" }, shop, "fr-BE")).toBe("fr");
    expect(plannedLanguage({ locale: null }, shop, "pt-PT")).toBe("pt-BR");
  });
});
