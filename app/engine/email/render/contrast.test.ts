// Every text of the rendered email against its background: WCAG AA (4.5:1), which also keeps
// SpamAssassin's HTML_FONT_LOW_CONTRAST (text too close to its background, hidden text included)
// from firing. The check walks the final HTML the way a mail client paints it: colour and
// background are inherited, and an element's own style, bgcolor or color attribute overrides them.
import { parseDocument } from "htmlparser2";
import { afterAll, describe, expect, it } from "vitest";
import { hex as contrastRatio } from "wcag-contrast";
import { contrastColor } from "./layout";
import { thankYouInput } from "./test-fixtures";
import { renderEmail, stopRenderThread, type RenderInput } from "./index";

afterAll(() => stopRenderThread());

const AA = 4.5;

interface Node {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  data?: string;
  children?: Node[];
}
interface TextOnBackground {
  text: string;
  color: string;
  background: string;
  ratio: number;
}

const NAMED: Record<string, string> = { white: "#ffffff", black: "#000000" };

/** #rrggbb for a colour value, null for "no colour here" (transparent, inherit, an image…). */
function colour(value: string | undefined): string | null {
  if (!value) return null;
  for (const token of value.trim().toLowerCase().split(/\s+/)) {
    if (/^#[0-9a-f]{6}$/.test(token)) return token;
    if (/^#[0-9a-f]{3}$/.test(token)) return `#${[...token.slice(1)].map((c) => c + c).join("")}`;
    if (NAMED[token]) return NAMED[token];
    if (/^(transparent|inherit|none|initial)$/.test(token)) return null;
  }
  // A colour syntax this check cannot read must not pass unnoticed.
  if (/^(rgb|hsl|[a-z]+$)/.test(value.trim())) throw new Error(`unreadable colour: ${value}`);
  return null;
}

function styleOf(node: Node): Record<string, string> {
  const style: Record<string, string> = {};
  for (const declaration of (node.attribs?.style ?? "").split(";")) {
    const at = declaration.indexOf(":");
    if (at > 0)
      style[declaration.slice(0, at).trim().toLowerCase()] = declaration
        .slice(at + 1)
        .replace(/!important/, "")
        .trim();
  }
  return style;
}

/** Every non-blank text node of `html` with the colour and background it is painted in. */
function textsOf(html: string): TextOnBackground[] {
  const found: TextOnBackground[] = [];
  const walk = (node: Node, color: string, background: string) => {
    if (node.type === "text") {
      const text = (node.data ?? "").replace(/&nbsp;|\s/g, " ").trim();
      if (text) found.push({ text, color, background, ratio: contrastRatio(color, background) });
      return;
    }
    if (node.type === "tag" && ["head", "style", "script", "title"].includes(node.name ?? "")) return;
    let [fg, bg] = [color, background];
    if (node.type === "tag") {
      const style = styleOf(node);
      bg = colour(style["background-color"]) ?? colour(style.background) ?? colour(node.attribs?.bgcolor) ?? bg;
      fg = colour(style.color) ?? colour(node.attribs?.color) ?? fg;
    }
    for (const child of node.children ?? []) walk(child, fg, bg);
  };
  walk(parseDocument(html) as unknown as Node, "#000000", "#ffffff");
  return found;
}

/** A survey-like email with every block of the layout: preview, header, body, button, scale, items, tracking, footer. */
function everyBlock(brandColor: string): RenderInput {
  const base = thankYouInput();
  return thankYouInput({
    brand: { ...base.brand, brandColor },
    unsubscribeUrl: "https://app.example.com/u/t",
    preferencesUrl: "https://app.example.com/u/t",
    cta: { label: "Write a review", url: "https://demo-outfitters.example.com/r" },
    scale: {
      question: "How likely are you to recommend us?",
      low: "Not likely",
      high: "Very likely",
      links: Array.from({ length: 11 }, (_, n) => ({ value: n, url: `https://app.example.com/n/t?score=${n}` })),
    },
  });
}

const BRAND_COLOURS = [
  "#0f766e",
  "#1f2937",
  "#000000",
  "#ffffff",
  "#f3f4f6",
  "#ffe14d",
  "#e11d48",
  "#3b82f6",
  "#777777",
  "#808080",
  "#9ca3af",
  "#22c55e",
  "#f97316",
  "#7c3aed",
  "#00ffff",
  "#ff00ff",
];

describe("text contrast in the email layout", () => {
  it.each(BRAND_COLOURS)("every text meets 4.5:1 against its background with brand colour %s", async (brandColor) => {
    const result = await renderEmail(everyBlock(brandColor));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const texts = textsOf(result.email.html);
    // The walk reaches the hidden preview line, the header, the button, the scale and the footer.
    const words = texts.map((t) => t.text);
    for (const expected of ["Trustloop Demo Outfitters", "Write a review", "10", "10 = Very likely", "Merino Trail Socks", "Track", "Unsubscribe"]) {
      expect(words).toContain(expected);
    }
    expect(words.filter((w) => w === "Hi Maya,")).toHaveLength(2); // the hidden preview line and the body
    expect(texts.filter((t) => t.ratio < AA)).toEqual([]);
  });

  it("the brand colour's text (header, button) is black or white, whichever reads better", () => {
    for (let level = 0; level < 256; level += 5) {
      const grey = `#${level.toString(16).padStart(2, "0").repeat(3)}`;
      expect(contrastRatio(grey, contrastColor(grey)), grey).toBeGreaterThanOrEqual(AA);
    }
    expect(contrastColor("#ffe14d")).toBe("#000000");
    expect(contrastColor("#0f766e")).toBe("#ffffff");
  });

  it("the check itself catches low-contrast and hidden white text", () => {
    const html =
      `<body style="background-color:#f3f4f6"><div style="display:none;color:#ffffff;">preview</div>` +
      `<table bgcolor="#ffffff"><tr><td><p style="color:#9ca3af">faint</p><a style="background:#0f766e;color:#fff">ok</a></td></tr></table></body>`;
    expect(
      textsOf(html)
        .filter((t) => t.ratio < AA)
        .map((t) => t.text),
    ).toEqual(["preview", "faint"]);
    expect(() => textsOf(`<p style="color:rgb(1,2,3)">x</p>`)).toThrow(/unreadable colour/);
  });
});
