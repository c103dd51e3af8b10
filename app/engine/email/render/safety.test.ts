import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { thankYouInput } from "./test-fixtures";
import { renderEmail, stopRenderThread, validateTemplate, type RenderResult } from "./index";
import { RENDER_LIMITS } from "./liquid";
import { runInThread } from "./thread";

afterAll(() => stopRenderThread());

const bodyOf = async (bodyTemplate: string) => {
  const result = await renderEmail(thankYouInput({ bodyTemplate: `[${bodyTemplate}]` }));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.email.text.split("\n")[0];
};
const errorOf = (r: RenderResult) => (r.ok ? null : r.error);

describe("Liquid cannot reach outside the context", () => {
  it.each([
    "{{ order.constructor }}",
    "{{ shop.__proto__ }}",
    "{{ customer['constructor'] }}",
    "{{ order.name.constructor }}",
    "{{ line_items.constructor.name }}",
    "{{ links.hasOwnProperty }}",
    "{{ order.toString }}",
    "{% assign f = order.constructor %}{{ f.constructor }}",
  ])("%s renders empty", async (template) => {
    expect(await bodyOf(template)).toBe("[]");
  });

  it("refuses a filter named after a prototype property", async () => {
    expect(validateTemplate('{{ "x" | constructor }}', "body")).toMatchObject({ kind: "parse", line: 1 });
    expect(errorOf(await renderEmail(thankYouInput({ bodyTemplate: '{{ "x" | constructor }}' })))).toMatchObject({ kind: "parse", field: "body" });
  });

  it("refuses include, render and layout without reading a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trustloop-partial-"));
    const file = join(dir, "secret.liquid");
    writeFileSync(file, "SECRET-PARTIAL");
    for (const tag of [`{% include '${file}' %}`, `{% render '${file}' %}`, "{% layout 'secret' %}", "{% include shop.name %}"]) {
      const source = `Hello\n${tag}`;
      expect(validateTemplate(source, "body")).toEqual({
        kind: "parse",
        field: "body",
        line: 2,
        message: expect.stringMatching(/is not available in email templates$/),
      });
      const result = await renderEmail(thankYouInput({ bodyTemplate: source }));
      expect(errorOf(result)).toMatchObject({ kind: "parse", line: 2, message: expect.stringContaining("not available") });
      expect(JSON.stringify(result)).not.toContain("SECRET-PARTIAL");
    }
  });
});

describe("when a template is broken", () => {
  for (const { what, source, field, line, message } of [
    {
      what: "an unclosed tag",
      source: "Hi {{ customer.first_name }}\n\n{% if order.name %}\nno end",
      field: "body",
      line: 3,
      message: "tag {% if order.name %} not closed",
    },
    { what: "an unknown filter", source: "Hi\n{{ x | nosuchfilter }}", field: "subject", line: 2, message: "undefined filter: nosuchfilter" },
  ] as const) {
    it(`validateTemplate reports ${what} with its line`, () => {
      expect(validateTemplate(source, field)).toEqual({ kind: "parse", field, line, message });
    });
  }

  it("validateTemplate accepts a good template and refuses one over the size limit", () => {
    expect(validateTemplate(thankYouInput().bodyTemplate, "body")).toBeNull();
    expect(validateTemplate("x".repeat(50_001), "body")).toMatchObject({ kind: "too_large" });
  });

  it("renderEmail returns the error instead of an email, naming the field", async () => {
    expect(errorOf(await renderEmail(thankYouInput({ subjectTemplate: "{% if x %}" })))).toMatchObject({ kind: "parse", field: "subject", line: 1 });
    expect(errorOf(await renderEmail(thankYouInput({ bodyTemplate: "a\n{{ x | nosuchfilter }}" })))).toMatchObject({
      kind: "parse",
      field: "body",
      line: 2,
      message: "undefined filter: nosuchfilter",
    });
  });
});

describe("when a template never ends", () => {
  it("a huge loop stops within the timeout, and the next render works", async () => {
    const started = Date.now();
    const result = await renderEmail(thankYouInput({ bodyTemplate: "{% for i in (1..100000000) %}{{ i }}{% endfor %}" }), { timeoutMs: 2000 });
    expect(errorOf(result)).toMatchObject({ kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await renderEmail(thankYouInput())).ok).toBe(true);
  });

  it("a slow loop is stopped by Liquid's own render limit before the hard timeout", async () => {
    const started = Date.now();
    const result = await renderEmail(thankYouInput({ bodyTemplate: "{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}" }));
    expect(errorOf(result)).toMatchObject({ kind: "timeout", field: "body", message: expect.stringContaining("render limit") });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("nested loops are killed by the hard thread timeout, and a fresh thread takes over", async () => {
    const started = Date.now();
    const result = await renderEmail(thankYouInput({ bodyTemplate: "{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}" }), {
      timeoutMs: 300,
    });
    expect(result).toEqual({ ok: false, error: { kind: "timeout", message: "Template did not finish within 300 ms" } });
    expect(Date.now() - started).toBeLessThan(1300);
    const next = await renderEmail(thankYouInput());
    expect(next.ok && next.email.subject).toBe("Thanks for your order #1042, Maya!");
  });

  it("renders queued behind a runaway template still succeed", async () => {
    const runaway = renderEmail(thankYouInput({ bodyTemplate: "{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}" }), {
      timeoutMs: 300,
    });
    const normal = Array.from({ length: 5 }, () => renderEmail(thankYouInput()));
    expect(errorOf(await runaway)).toMatchObject({ kind: "timeout" });
    for (const r of await Promise.all(normal)) expect(r.ok).toBe(true);
  });
});

describe("when a template renders too much", () => {
  const loop = (n: number, text: string) => `{% for i in (1..${n}) %}${text}{% endfor %}`;

  it("the render thread drops an oversized subject instead of sending it to the main thread", async () => {
    const reply = await runInThread({ subject: loop(100_000, "x"), body: "ok", context: thankYouInput().context }, 2000);
    expect(reply).toMatchObject({ ok: false, field: "subject", tooLarge: { size: 100_000 } });
    expect(reply).not.toHaveProperty("subject");
    const body = await runInThread({ subject: "ok", body: loop(20_000, "0123456789"), context: thankYouInput().context }, 2000);
    expect(body).toMatchObject({ ok: false, field: "body", tooLarge: { size: 200_000 } });
    expect(body).not.toHaveProperty("body");
  });

  it("names the subject limit", async () => {
    expect(errorOf(await renderEmail(thankYouInput({ subjectTemplate: loop(100_000, "x") })))).toEqual({
      kind: "too_large",
      field: "subject",
      message: `The subject is 100,000 characters once rendered; the limit is ${RENDER_LIMITS.subjectChars}`,
    });
    const atLimit = await renderEmail(thankYouInput({ subjectTemplate: loop(RENDER_LIMITS.subjectChars, "x") }));
    expect(atLimit.ok).toBe(true);
  });

  it("names the body limit", async () => {
    expect(errorOf(await renderEmail(thankYouInput({ bodyTemplate: loop(200_000, "0123456789") })))).toEqual({
      kind: "too_large",
      field: "body",
      message: "The body is 2,000 KB once rendered; the limit is 100 KB (Gmail clips larger emails)",
    });
  });

  it("refuses an email that cannot fit with its layout before converting it", async () => {
    const context = thankYouInput().context;
    context.line_items = Array.from({ length: 1000 }, (_, i) => ({ title: `Product ${i}`, quantity: 1, price: "$1.00" }));
    expect(errorOf(await renderEmail(thankYouInput({ context })))).toMatchObject({
      kind: "too_large",
      field: "body",
      message: expect.stringMatching(/^The email with its layout, order items and tracking is at least [\d,]+ bytes; the limit is 100,000/),
    });
  });
});
