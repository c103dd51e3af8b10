import { afterAll, describe, expect, it } from "vitest";
import { thankYouInput, REASON } from "./test-fixtures";
import { renderEmail, sampleContext, stopRenderThread, type RenderedEmail, type RenderInput } from "./index";

afterAll(() => stopRenderThread());

async function render(input: RenderInput): Promise<RenderedEmail> {
  const result = await renderEmail(input);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.email;
}

function expectToContainAll(text: string, parts: string[]) {
  for (const part of parts) expect(text).toContain(part);
}

describe("rendering a thank-you email", () => {
  it("fills shop, customer, order, line items and tracking into subject, HTML and text", async () => {
    const email = await render(thankYouInput());
    expect(email.subject).toBe("Thanks for your order #1042, Maya!");
    for (const part of [email.html, email.text]) {
      expectToContainAll(part, [
        "Hi Maya,",
        "Thanks for shopping at Trustloop Demo Outfitters.",
        "Your order #1042 from November 22, 2026 ($64.00) is being packed.",
        "Merino Trail Socks",
        "Charcoal / M",
        "1Z999AA10123456784",
      ]);
    }
    expectToContainAll(email.text, [
      "- 2 × Merino Trail Socks (Charcoal / M) — $20.00",
      "- 1 × Canvas Field Cap — $24.00",
      "Total: $64.00",
      "Tracking: UPS 1Z999AA10123456784 — https://www.ups.com/track?tracknum=1Z999AA10123456784",
    ]);
  });

  it("lets merchants loop over line items and use flow links", async () => {
    const { text } = await render(
      thankYouInput({
        bodyTemplate: "{{ line_items.size }} items:{% for li in line_items %} {{ li.quantity }}x {{ li.title }};{% endfor %}\nReview: {{ links.review_url }}",
      }),
    );
    expect(text).toContain(
      "2 items: 2x Merino Trail Socks; 1x Canvas Field Cap;\nReview: https://demo-outfitters.example.com/apps/trustloop/review/sample-token",
    );
  });

  it("turns blank-line paragraphs into <p> and single newlines into <br>", async () => {
    const { html } = await render(thankYouInput());
    expectToContainAll(html, [">Hi Maya,</p>", "Trustloop Demo Outfitters.<br>Your order #1042", ">We will write again when it ships.</p>"]);
  });

  it("shows the brand, footer, reason and links where the layout puts them", async () => {
    const email = await render(
      thankYouInput({
        unsubscribeUrl: "https://app.example.com/u/tok123?s=1&f=2",
        preferencesUrl: "https://app.example.com/p/tok123",
        cta: { label: "Track your parcel", url: "https://www.ups.com/track?tracknum=1Z999AA10123456784" },
      }),
    );
    const { html, text } = email;
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html.match(/#0f766e/g)!.length).toBeGreaterThanOrEqual(2);
    expectToContainAll(html, [
      "<title>Thanks for your order #1042, Maya!</title>",
      "Trustloop Demo Outfitters",
      "12 Harbour Street, Portland, ME 04101",
      REASON,
      'href="https://app.example.com/u/tok123?s=1&amp;f=2"',
      ">Unsubscribe</a>",
      ">Manage preferences</a>",
      "Track your parcel",
      'width="64"',
      'href="https://demo-outfitters.example.com/products/merino-trail-socks"',
      ">Track</a>",
    ]);
    expect(email.htmlBytes).toBe(Buffer.byteLength(html, "utf8"));
    expect(text).toMatch(/--\nTrustloop Demo Outfitters\n12 Harbour Street, Portland, ME 04101\nYou receive this email because/);
    expectToContainAll(text, [
      "Track your parcel: https://www.ups.com/track?tracknum=1Z999AA10123456784",
      "Unsubscribe: https://app.example.com/u/tok123?s=1&f=2",
      "Manage preferences: https://app.example.com/p/tok123",
    ]);
  });

  it("has no unsubscribe or preferences link when none is given", async () => {
    const { html, text } = await render(thankYouInput());
    expect(html).not.toContain("Unsubscribe");
    expect(html).not.toContain("Manage preferences");
    expect(text).not.toContain("Unsubscribe");
  });

  it("uses the logo instead of the shop name when there is one", async () => {
    const { html } = await render(
      thankYouInput({
        brand: { ...thankYouInput().brand, logoUrl: "https://cdn.shopify.com/s/files/1/demo/logo.png" },
      }),
    );
    expect(html).toContain('src="https://cdn.shopify.com/s/files/1/demo/logo.png"');
    expect(html).toContain('alt="Trustloop Demo Outfitters"');
  });

  it("sends layout links through the link wrapper, but not unsubscribe or preferences", async () => {
    const wrap = (url: string) => `https://t.example.com/c?u=${encodeURIComponent(url)}`;
    const { html, text } = await render(
      thankYouInput({
        linkWrapper: wrap,
        cta: { label: "Write a review", url: "https://demo-outfitters.example.com/review" },
        unsubscribeUrl: "https://app.example.com/u/tok",
        preferencesUrl: "https://app.example.com/p/tok",
      }),
    );
    expectToContainAll(html, [
      `href="${wrap("https://demo-outfitters.example.com/review")}"`,
      `href="${wrap("https://demo-outfitters.example.com/products/merino-trail-socks")}"`,
      `href="${wrap("https://www.ups.com/track?tracknum=1Z999AA10123456784")}"`,
      'href="https://app.example.com/u/tok"',
      'href="https://app.example.com/p/tok"',
    ]);
    expect(text).toContain(`Write a review: ${wrap("https://demo-outfitters.example.com/review")}`);
  });
});

describe("when data is missing", () => {
  it("renders missing and null variables as nothing, never 'undefined' or 'null'", async () => {
    const context = sampleContext();
    context.customer = { first_name: null, last_name: null };
    context.line_items = [{ title: "Plain Tee", quantity: 1, price: "$10.00", variant: null, image_url: null, url: null }];
    context.tracking = [{ company: null, number: "ABC123", url: null }];
    const email = await render(
      thankYouInput({
        context,
        subjectTemplate: "Hello {{ customer.first_name }}{{ nope }}{{ order.nope.deeper }}",
        bodyTemplate:
          "A[{{ nope }}][{{ order.nope.deeper }}][{{ customer.last_name }}][{{ nope | upcase }}][{{ nope | append: '' }}][{{ order.missing | json }}]B",
      }),
    );
    expect(email.subject).toBe("Hello");
    for (const part of [email.subject, email.html, email.text]) {
      expect(part).not.toMatch(/undefined|null/i);
    }
    expect(email.text).toContain("A[][][][][]");
  });

  it("still renders when the context has no line items or tracking at all", async () => {
    const context = { ...sampleContext(), line_items: [], tracking: [] };
    const { html, text } = await render(thankYouInput({ context }));
    expect(html).not.toContain("Shipment");
    expect(text).not.toContain("Tracking:");
    expect(text).not.toContain("- ");
  });
});

describe("when merchant or customer content is hostile", () => {
  it("escapes a customer name in HTML and keeps it raw in the text part", async () => {
    const context = sampleContext();
    context.customer.first_name = "<script>alert(1)</script>";
    context.line_items[0].title = `Socks "<img src=x onerror=alert(1)>"`;
    const email = await render(thankYouInput({ context }));
    expect(email.html).not.toContain("<script>alert(1)</script>");
    expect(email.html).not.toContain("<img src=x");
    expect(email.html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(email.text).toContain("Hi <script>alert(1)</script>,");
    expect(email.subject).toBe("Thanks for your order #1042, <script>alert(1)</script>!");
  });

  it("treats HTML typed into the body template as text", async () => {
    const { html } = await render(thankYouInput({ bodyTemplate: '<a href="javascript:alert(1)">click</a>' }));
    expect(html).toContain("&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;");
  });

  it("drops javascript: and other non-http links", async () => {
    const context = sampleContext();
    context.line_items[0].url = "javascript:alert(1)";
    context.line_items[0].image_url = "data:image/png;base64,AAAA";
    context.tracking[0].url = " JAVASCRIPT:alert(2)";
    const email = await render(
      thankYouInput({
        context,
        cta: { label: "Click", url: "javascript:alert(3)" },
        unsubscribeUrl: "vbscript:x",
        brand: { ...thankYouInput().brand, logoUrl: "javascript:alert(4)" },
      }),
    );
    expect(email.html.toLowerCase()).not.toMatch(/javascript:|data:image|vbscript:/);
    expect(email.text.toLowerCase()).not.toMatch(/javascript:|vbscript:/);
    expect(email.html).toContain("Merino Trail Socks"); // the item stays, without its link
  });

  it("strips control characters and newlines from the subject and caps it at 200 characters", async () => {
    const email = await render(thankYouInput({ subjectTemplate: "  Hello\r\nBcc: x@example.com\u0007 {{ customer.first_name }}  " }));
    expect(email.subject).toBe("Hello Bcc: x@example.com Maya");
    const long = await render(thankYouInput({ subjectTemplate: "é".repeat(300) }));
    expect(Array.from(long.subject)).toHaveLength(200);
  });
});

describe("size", () => {
  it("keeps a 10-line-item order well under Gmail's clipping size", async () => {
    const context = sampleContext();
    context.line_items = Array.from({ length: 10 }, (_, i) => ({
      title: `Product with a reasonably long title number ${i + 1}`,
      variant: "Large / Forest green",
      quantity: i + 1,
      price: "$129.00",
      image_url: `https://cdn.shopify.com/s/files/1/demo/product-${i}.jpg?v=1700000000`,
      url: `https://demo-outfitters.example.com/products/product-${i}`,
    }));
    const email = await render(thankYouInput({ context, cta: { label: "View order", url: "https://demo-outfitters.example.com/o" } }));
    expect(email.htmlBytes).toBeLessThan(50_000);
    expect(email.text.match(/^- /gm)).toHaveLength(10);
  });

  it("refuses an email whose HTML would be clipped", async () => {
    const result = await renderEmail(thankYouInput({ bodyTemplate: "{% for i in (1..3000) %}line {{ i }}\n\n{% endfor %}" }));
    expect(result).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });
});
