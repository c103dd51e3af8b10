// A flow's template per language through the real server: the editor saves a French template for
// the thank-you, French orders get it and English ones the default, the preview renders in the
// chosen language, and "use the default template" removes it.
import { describe, expect, it } from "vitest";
import type { Flow } from "@prisma/client";
import type { CapturedMail } from "../../sandbox/mail/catcher";
import { postAdminAction } from "../support/admin-actions";
import { nextWeekdayUtc, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let flow: Flow;

useStack({ install: true, workers: 1 }, async (started) => {
  stack = started;
  flow = await stack.db.flow.findFirstOrThrow({ where: { key: "thank_you", shop: { domain: stack.services.demoShop } } });
  await stack.advanceTo(await nextWeekdayUtc(stack, 3, 15)); // daytime in Paris and in North America
});

const FRENCH = { subject: "Merci {{ customer.first_name }} ({{ order.name }})", body: "Votre commande {{ order.name }} est confirmée : {{ order.total }}." };

type Answer = { errors?: Record<string, string>; preview?: { subject: string; html: string } };
const post = (fields: Record<string, string>) => postAdminAction<Answer>(stack.appUrl, `/app/flows/${flow.id}`, fields, stack.services.demoShop);
const frenchRows = () => stack.db.flowTemplate.findMany({ where: { flowId: flow.id, locale: "fr" } });

/** Places an order in `locale` and returns its thank-you, once sent. */
async function thankYou(email: string, firstName: string, locale: string): Promise<CapturedMail> {
  const placed = await stack.place({ email, firstName, locale, country: locale === "fr" ? "FR" : "US" });
  await stack.advance(20 * 60);
  await expect.poll(() => stack.mailsTo(email).filter((m) => m.subject.includes(placed.orderName)).length, { timeout: 20_000 }).toBe(1);
  return stack.mailsTo(email)[0];
}

describe("a template per language", () => {
  it("refuses an invalid template or a language the shop does not publish, and saves nothing", async () => {
    const broken = await post({ intent: "template-save", language: "fr", subject: FRENCH.subject, body: "Bonjour\n{% if customer.first_name %}" });
    expect(broken.data?.errors?.body).toMatch(/^line \d+: /);
    const swedish = await post({ intent: "template-save", language: "sv", ...FRENCH });
    expect(swedish.data?.errors?.language).toMatch(/published languages/);
    expect(await stack.db.flowTemplate.count({ where: { flowId: flow.id } })).toBe(0);
  });

  it("saves a French template, and the editor shows which languages have their own", async () => {
    const saved = await post({ intent: "template-save", language: "fr", ...FRENCH });
    expect(saved).toMatchObject({ status: 200, data: { errors: {} } });
    expect(await frenchRows()).toMatchObject([FRENCH]);
    const page = await stack.adminPage(`/app/flows/${flow.id}`);
    expect(page).toContain("French — own template");
    expect(page).toContain("German — uses the default");
    expect(page).toContain("Default (all languages) — still the preset");
  });

  it("writes a French order's thank-you with the French template and an English one's with the default", async () => {
    const french = await thankYou("camille.templates@example.com", "Camille", "fr");
    expect(french.subject).toMatch(/^Merci Camille \(#\d+\)$/);
    expect(french.text).toMatch(/Votre commande #\d+ est confirmée : \S.*,\d\d/); // the total formatted for France
    expect(french.html).toMatch(/<html lang="fr"/);
    const english = await thankYou("jane.templates@example.com", "Jane", "en");
    expect(english.subject).toMatch(/^Thank you for your order #\d+$/);
    expect(english.html).toMatch(/<html lang="en"/);
  });

  it("previews in the chosen language", async () => {
    const { data } = await post({ intent: "preview", language: "fr", subject: flow.subject, body: flow.body });
    expect(data?.preview?.subject).toMatch(/^Merci pour votre commande/);
    expect(data?.preview?.html).toMatch(/<html lang="fr"/);
    const german = await post({ intent: "preview", language: "de", subject: flow.subject, body: flow.body });
    expect(german.data?.preview?.html).toMatch(/<html lang="de"/);
  });

  it("goes back to the default template, which speaks French again", async () => {
    expect((await post({ intent: "template-remove", language: "fr" })).data).toMatchObject({ errors: {} });
    expect(await frenchRows()).toEqual([]);
    const french = await thankYou("louis.templates@example.com", "Louis", "fr");
    expect(french.subject).toMatch(/^Merci pour votre commande #\d+$/);
  });
});

describe("a template added for a language Trustloop does not ship", () => {
  const SWEDISH = { subject: "Tack {{ customer.first_name }}!", body: "Din beställning {{ order.name }} är bekräftad." };
  const swedishOrder = (email: string) => stack.place({ email, firstName: "Sven", locale: "sv-SE", country: "SE" });
  const plannedLocale = async (orderName: string, email: string) =>
    (await stack.db.message.findFirstOrThrow({ where: { flowId: flow.id, order: { name: orderName, email } } })).locale;

  it("turns the Swedish buyers' messages still to be sent Swedish, and back when it is removed", async () => {
    const shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: stack.services.demoShop } });
    await stack.db.shop.update({ where: { id: shop.id }, data: { publishedLocales: [...shop.publishedLocales, "sv"] } });

    // Planned before the template exists: no Swedish text, so the shop's primary language.
    const first = await swedishOrder("sven.first@example.com");
    await expect.poll(() => plannedLocale(first.orderName, "sven.first@example.com"), { timeout: 20_000 }).toBe("en");
    expect((await post({ intent: "template-save", language: "sv", ...SWEDISH })).data).toMatchObject({ errors: {} });
    expect(await plannedLocale(first.orderName, "sven.first@example.com")).toBe("sv");
    await stack.advance(20 * 60);
    await expect.poll(() => stack.mailsTo("sven.first@example.com").map((m) => m.subject), { timeout: 20_000 }).toEqual(["Tack Sven!"]);

    // Planned with the template, then the template goes: back to the primary language.
    const second = await swedishOrder("sven.second@example.com");
    await expect.poll(() => plannedLocale(second.orderName, "sven.second@example.com"), { timeout: 20_000 }).toBe("sv");
    expect((await post({ intent: "template-remove", language: "sv" })).data).toMatchObject({ errors: {} });
    expect(await plannedLocale(second.orderName, "sven.second@example.com")).toBe("en");
    await stack.advance(20 * 60);
    await expect
      .poll(() => stack.mailsTo("sven.second@example.com").map((m) => m.subject), { timeout: 20_000 })
      .toEqual([`Thank you for your order ${second.orderName}`]);
  });
});
