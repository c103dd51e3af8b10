// The message's language in the rendered email: the `t` filter (in the render thread), the
// layout's own words, and <html lang dir>.
import { afterAll, describe, expect, it } from "vitest";
import { SHIPPED_LOCALES, translator } from "../../i18n/translate";
import { renderEmail, stopRenderThread, validateTemplate } from "./index";
import { thankYouInput } from "./test-fixtures";

afterAll(() => stopRenderThread());

async function rendered(overrides: Parameters<typeof thankYouInput>[0]) {
  const result = await renderEmail(thankYouInput(overrides));
  if (!result.ok) throw new Error(result.error.message);
  return result.email;
}

describe("the t filter", () => {
  it("formats a catalogue message with keyword values, plurals and a missing value", async () => {
    const email = await rendered({
      subjectTemplate: "{{ 'points_earned.subject' | t: points: 1 }}",
      bodyTemplate:
        "{{ 'email.greeting' | t: name: customer.first_name }}\n\n{{ 'email.greeting' | t: name: nobody.here }}\n\n{{ 'thank_you.subject' | t: order: order.name }}",
    });
    expect(email.subject).toBe("Your 1 point is ready");
    expect(email.text).toContain("Hi Maya,");
    expect(email.text).toContain("Hello,");
    expect(email.text).toContain("Thank you for your order #1042");
  });

  it.each(["no.such", "constructor"])("is a template error for an unknown key (%s), with its field", async (key) => {
    const result = await renderEmail(thankYouInput({ bodyTemplate: `{{ '${key}' | t }}` }));
    expect(result).toMatchObject({ ok: false, error: { kind: "render", field: "body", message: expect.stringContaining(`Unknown text "${key}"`) } });
  });

  // The thread's filter is its own copy of translate.ts's formatMessage (thread-source.ts): both must say the same.
  it.each(SHIPPED_LOCALES)("writes in %s what the translator writes", async (locale) => {
    const email = await rendered({
      locale,
      subjectTemplate: "{{ 'points_earned.subject' | t: points: 2 }}",
      bodyTemplate:
        "{{ 'email.greeting' | t: name: customer.first_name }}\n\n{{ 'email.greeting' | t: name: nobody.here }}\n\n{{ 'thank_you.subject' | t: order: order.name }}",
    });
    const tr = translator(locale);
    expect(email.subject).toBe(tr.t("points_earned.subject", { points: 2 }));
    for (const line of [tr.t("email.greeting", { name: "Maya" }), tr.t("email.greeting", { name: null }), tr.t("thank_you.subject", { order: "#1042" })]) {
      expect(email.text).toContain(line);
    }
  });

  it("is known to the validator that runs on save", () => {
    expect(validateTemplate("{{ 'thank_you.next' | t }}", "body")).toBeNull();
  });
});

describe("the layout's language", () => {
  it("is English by default, with lang and dir on the html element", async () => {
    const email = await rendered({});
    expect(email.html).toMatch(/<html lang="en" dir="ltr"/);
    expect(email.html).toContain(">Total<");
    expect(email.text).toContain("Order #1042");
  });

  it("turns right-to-left for Arabic or Hebrew (English words where no catalogue is shipped)", async () => {
    const email = await rendered({ locale: "he" });
    expect(email.html).toMatch(/<html lang="he" dir="rtl"/);
    expect(email.html).toContain("text-align:left;white-space:nowrap;"); // the price column ends on the left
    expect(email.html).not.toContain("text-align:right;white-space:nowrap;");
  });
});
