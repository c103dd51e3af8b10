// The numbered scale block (NPS 0–10) in the HTML and text parts.
import mjml2html from "mjml";
import { afterAll, describe, expect, it } from "vitest";
import { buildMjml } from "./layout";
import { buildParts } from "./parts";
import { buildText } from "./text";
import { renderEmail, stopRenderThread, type RenderInput } from "./index";
import { thankYouInput } from "./test-fixtures";

afterAll(() => stopRenderThread());

const QUESTION = "How likely are you to recommend Trustloop Demo Outfitters to a friend or colleague?";
const scaleInput = (overrides: Partial<RenderInput> = {}): RenderInput =>
  thankYouInput({
    subjectTemplate: "One quick question",
    bodyTemplate: "Hi {{ customer.first_name }},",
    context: { ...thankYouInput().context, line_items: [], tracking: [] },
    scale: {
      question: QUESTION,
      low: "Not likely",
      high: "Very likely",
      links: Array.from({ length: 11 }, (_, n) => ({ value: n, url: `https://app.example.com/n/tok?score=${n}` })),
    },
    linkWrapper: (url) => `https://app.example.com/c/${encodeURIComponent(url)}`,
    ...overrides,
  });

async function render(input: RenderInput) {
  const result = await renderEmail(input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.email;
}

describe("the scale block", () => {
  it("draws 11 wrapped links 0–10 in one wrapping row with the labels, as valid MJML", async () => {
    const parts = buildParts(scaleInput(), "One quick question", "Hi Maya,");
    const { html, errors } = await mjml2html(buildMjml(parts), { validationLevel: "strict" });
    expect(errors).toEqual([]);
    const buttons = [...html.matchAll(/<a href="([^"]+)"[^>]*display:inline-block[^>]*>(\d+)<\/a>/g)];
    expect(buttons.map((b) => b[2])).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    for (const [, href, n] of buttons) {
      expect(href.replace(/&amp;/g, "&")).toBe(`https://app.example.com/c/${encodeURIComponent(`https://app.example.com/n/tok?score=${n}`)}`);
    }
    expect(html).toContain("0 = Not likely");
    expect(html).toContain("10 = Very likely");
    expect(html).toContain(QUESTION);
  });

  it("writes one 'N: url' line per value in the text part, every URL wrapped", async () => {
    const { text } = await render(scaleInput());
    for (let n = 0; n <= 10; n++) {
      expect(text).toContain(`\n${n}: https://app.example.com/c/${encodeURIComponent(`https://app.example.com/n/tok?score=${n}`)}`);
    }
    expect(text).toContain("(0 = Not likely, 10 = Very likely)");
    expect(text).not.toContain("n/tok?score=0\n"); // never the bare URL
  });

  it("does not ask the question twice when the body already does", async () => {
    const { html, text } = await render(scaleInput({ bodyTemplate: QUESTION.replace("Trustloop Demo Outfitters", "{{ shop.name }}") }));
    const count = (s: string) => s.split(QUESTION).length - 1;
    expect(count(html)).toBe(2); // the body paragraph and the inbox preview, not the scale block
    expect(count(text)).toBe(1);
    const other = await render(scaleInput());
    expect(count(other.html)).toBe(1); // body "Hi Maya,": the scale block asks it
    expect(count(other.text)).toBe(1);
  });

  it("drops unsafe URLs and escapes labels", async () => {
    const input = scaleInput();
    input.scale = {
      ...input.scale!,
      low: `<b>low</b>`,
      links: [
        { value: 0, url: "javascript:alert(1)" },
        { value: 1, url: "https://app.example.com/n/t?score=1" },
      ],
    };
    input.linkWrapper = undefined;
    const { html, text } = await render(input);
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&lt;b&gt;low&lt;/b&gt;");
    expect(text).toContain("1: https://app.example.com/n/t?score=1");
    expect(text).not.toMatch(/^0: /m);
  });

  it("leaves emails without a scale unchanged", () => {
    const parts = buildParts(thankYouInput(), "s", "b");
    expect(parts.scale).toBeNull();
    expect(buildText(parts)).not.toMatch(/^0: /m);
  });
});
