import { describe, expect, it } from "vitest";
import { readShopLanguages, SHOP_LOCALES_QUERY } from "./settings";

const answering = (shopLocales: unknown) => async (query: string) => {
  expect(query).toBe(SHOP_LOCALES_QUERY);
  return { shopLocales };
};

describe("readShopLanguages", () => {
  it("takes the primary language and the published ones, in canonical form", async () => {
    const languages = await readShopLanguages(
      answering([
        { locale: "fr", primary: false },
        { locale: "de", primary: true },
        { locale: "pt-br", primary: false },
        { locale: "not a locale", primary: false },
      ]),
    );
    expect(languages).toEqual({ primaryLocale: "de", publishedLocales: ["fr", "de", "pt-BR"] });
  });

  it("is English when the shop reports no language", async () => {
    expect(await readShopLanguages(answering([]))).toEqual({ primaryLocale: "en", publishedLocales: [] });
  });

  it("refuses an answer of the wrong shape (the caller keeps the languages on record)", async () => {
    await expect(readShopLanguages(async () => ({ shopLocales: null }))).rejects.toThrow();
  });
});
