import { describe, expect, it } from "vitest";
import { acceptedLanguage, formatMessage, textDirection, textLocaleFor, translator, withGivenFlags } from "./translate";

describe("translator", () => {
  it("formats an English message with its values and plural rules", () => {
    const { t } = translator("en-US");
    expect(t("thank_you.subject", { order: "#1001" })).toBe("Thank you for your order #1001");
    expect(t("points_earned.subject", { points: 1 })).toBe("Your 1 point is ready");
    expect(t("points_earned.subject", { points: 1250 })).toBe("Your 1,250 points are ready");
  });

  it("says something else when a value is missing", () => {
    const { t } = translator("en");
    expect(t("email.greeting", { name: "Camille" })).toBe("Hi Camille,");
    expect(t("email.greeting", { name: null })).toBe("Hello,");
    expect(t("email.greeting", { name: "  " })).toBe("Hello,");
  });

  it("reads English text for a language Trustloop does not ship, but keeps the language for formatting", () => {
    const sv = translator("sv-SE");
    expect(sv).toMatchObject({ locale: "sv-SE", textLocale: "en", dir: "ltr" });
    expect(sv.t("layout.total")).toBe("Total");
  });

  it("refuses an unknown key", () => {
    expect(() => formatMessage("en", "no.such.key")).toThrow('Unknown text "no.such.key"');
    expect(() => formatMessage("en", "constructor")).toThrow('Unknown text "constructor"');
  });
});

describe("textLocaleFor", () => {
  it("is English for anything not shipped or not a locale", () => {
    expect(textLocaleFor("en-GB")).toBe("en");
    expect(textLocaleFor("zz")).toBe("en");
    expect(textLocaleFor(null)).toBe("en");
  });
});

describe("textDirection", () => {
  it.each([
    ["ar", "rtl"],
    ["he-IL", "rtl"],
    ["fa", "rtl"],
    ["fr", "ltr"],
    ["ja", "ltr"],
    ["not-a-locale-at-all", "ltr"],
  ])("%s is %s", (locale, dir) => {
    expect(textDirection(locale)).toBe(dir);
  });
});

describe("withGivenFlags", () => {
  it("flags each value", () => {
    expect(withGivenFlags({ a: "x", b: null, c: 0 })).toEqual({ a: "x", a_given: "yes", b: "", b_given: "no", c: 0, c_given: "yes" });
  });
});

describe("acceptedLanguage", () => {
  it("picks the browser's preferred shipped language, else English", () => {
    expect(acceptedLanguage("sv-SE,en;q=0.5")).toBe("en");
    expect(acceptedLanguage(null)).toBe("en");
    expect(acceptedLanguage("")).toBe("en");
    expect(acceptedLanguage("*")).toBe("en");
  });
});
