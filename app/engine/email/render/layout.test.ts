import mjml2html from "mjml";
import { describe, expect, it } from "vitest";
import { cleanSubject, escapeHtml, safeUrl } from "./escape";
import { buildMjml, contrastColor } from "./layout";
import { buildParts } from "./parts";
import { thankYouInput } from "./test-fixtures";

describe("the MJML layout", () => {
  it("is valid MJML with every optional block present", async () => {
    const input = thankYouInput({
      brand: { ...thankYouInput().brand, logoUrl: "https://cdn.shopify.com/logo.png" },
      cta: { label: "Track your parcel", url: "https://ups.com/t?a=1&b=2" },
      unsubscribeUrl: "https://app.example.com/u/t",
      preferencesUrl: "https://app.example.com/p/t",
    });
    const mjml = buildMjml(buildParts(input, "Subject <b>", "Hi <i>you</i>,\n\nsecond & last"));
    const result = await mjml2html(mjml, { validationLevel: "strict" });
    expect(result.errors).toEqual([]);
    expect(result.html).toContain("Subject &lt;b&gt;");
    expect(result.html).toContain("second &amp; last");
  });

  it("is valid MJML with every optional block absent", async () => {
    const context = { ...thankYouInput().context, line_items: [], tracking: [] };
    const mjml = buildMjml(buildParts(thankYouInput({ context }), "", ""));
    expect((await mjml2html(mjml, { validationLevel: "strict" })).errors).toEqual([]);
  });

  it("falls back to a neutral colour when the brand colour is not #rrggbb", () => {
    const input = thankYouInput({ brand: { ...thankYouInput().brand, brandColor: 'red" onload="x' } });
    expect(buildParts(input, "", "").brandColor).toBe("#1f2937");
  });

  it("picks readable text on light and dark brand colours", () => {
    expect(contrastColor("#ffe14d")).toBe("#000000");
    expect(contrastColor("#0f766e")).toBe("#ffffff");
  });
});

describe("escaping helpers", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    expect(escapeHtml(undefined)).toBe("");
  });

  it.each([
    ["https://shop.example.com/p?a=1&b=2", "https://shop.example.com/p?a=1&b=2"],
    ["http://shop.example.com", "http://shop.example.com/"],
    ["javascript:alert(1)", null],
    ["  JavaScript:alert(1)", null],
    ["data:text/html,hi", null],
    ["//evil.example.com", null],
    ["/relative", null],
    ['https://x.example.com/"><script>', "https://x.example.com/%22%3E%3Cscript%3E"],
    [null, null],
  ])("safeUrl(%j) → %j", (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it("keeps a subject on one line", () => {
    expect(cleanSubject("a\nb\tc\u0000d  ")).toBe("a b cd");
  });
});
