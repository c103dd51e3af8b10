// The compiled layouts give exactly what converting each email's MJML gives, for every shape.
import mjml2html from "mjml";
import { describe, expect, it } from "vitest";
import { conversionCount, layoutHtml } from "./compiled";
import { buildMjml } from "./layout";
import { buildParts } from "./parts";
import { sampleContext } from "./sample";
import { thankYouInput } from "./test-fixtures";
import type { RenderInput } from "./types";

const direct = async (parts: ReturnType<typeof buildParts>) => (await mjml2html(buildMjml(parts), { validationLevel: "soft", keepComments: false })).html;
const base = sampleContext();
const nasty = `A & B <b>"quoted"</b> 'single' $& $1 tlslot0x tlslot99x`;

const shapes: [string, RenderInput, string, string][] = [
  ["the thank-you preset", thankYouInput(), "Thanks for your order #1001, Maya!", "Hi Maya,\n\nThanks for shopping.\n\nWe will write again."],
  [
    "a logo, a button, unsubscribe links and a click wrapper",
    thankYouInput({
      brand: { ...thankYouInput().brand, logoUrl: "https://cdn.example.com/logo.png", brandColor: "#fde047" },
      cta: { label: "Write a review", url: "https://app.example.com/r/tok" },
      unsubscribeUrl: "https://app.example.com/u/tok",
      preferencesUrl: "https://app.example.com/p/tok",
      linkWrapper: (url) => `https://app.example.com/c/${encodeURIComponent(url)}`,
    }),
    "How was it?",
    "Hi,\n\nTell us.",
  ],
  [
    "the NPS scale with its labels, no items",
    thankYouInput({
      context: { ...base, line_items: [], tracking: [] },
      scale: {
        question: "How likely?",
        low: "Not likely",
        high: "Very likely",
        links: Array.from({ length: 11 }, (_, n) => ({ value: n, url: `https://app.example.com/n/t?score=${n}` })),
      },
    }),
    "One quick question",
    "Hi Maya,",
  ],
  [
    "items with images and urls, tracking with and without a link",
    thankYouInput({
      context: {
        ...base,
        line_items: [
          {
            title: "Sweater",
            variant: "M",
            quantity: 1,
            price: "$62.00",
            image_url: "https://cdn.example.com/a.png",
            url: "https://shop.example.com/products/1",
          },
          { title: "Socks", variant: null, quantity: 2, price: "$12.50", image_url: null, url: null },
        ],
        tracking: [
          { company: "UPS", number: "1Z999", url: "https://ups.example.com/t/1Z999" },
          { company: null, number: "LX123", url: null },
        ],
      },
    }),
    "Shipped",
    "On its way.",
  ],
  [
    "values that look like HTML, replacement patterns and marks",
    thankYouInput({
      brand: { ...thankYouInput().brand, shopName: nasty, address: nasty },
      context: {
        ...base,
        order: { ...base.order, name: nasty, total: nasty },
        line_items: [{ title: nasty, variant: nasty, quantity: nasty as unknown as number, price: nasty, image_url: null, url: null }],
      },
      reason: nasty,
      cta: { label: nasty, url: "https://app.example.com/r/tok?a=1&b=$&" },
    }),
    nasty,
    `${nasty}\n\n${nasty}`,
  ],
  ["no address, no reason", thankYouInput({ brand: { ...thankYouInput().brand, address: "" }, reason: "" }), "Hi", "Hello"],
];

describe("compiled layouts", () => {
  it.each(shapes)("%s: the same HTML as converting the email's own MJML", async (_, input, subject, body) => {
    const parts = buildParts(input, subject, body);
    expect(await layoutHtml(parts)).toBe(await direct(parts));
  });

  it("converts once per shape: a second email of the same shape only fills in its values", async () => {
    const first = buildParts(thankYouInput(), "Thanks, Maya!", "Hi Maya,\n\nThanks.");
    const second = buildParts(
      thankYouInput({ context: { ...base, customer: { first_name: "Noor", last_name: null } } }),
      "Thanks, Noor!",
      "Hi Noor,\n\nThanks.",
    );
    await layoutHtml(first);
    const before = conversionCount();
    const html = await layoutHtml(second);
    expect(conversionCount()).toBe(before);
    expect(html).toBe(await direct(second));
    expect(html).toContain("Hi Noor,");
    // A different shape (one more paragraph is not one: the body is one slot; a button is) converts again.
    await layoutHtml(buildParts(thankYouInput({ cta: { label: "Go", url: "https://app.example.com/x" } }), "Thanks, Noor!", "Hi Noor,"));
    expect(conversionCount()).toBe(before + 1);
  });
});
