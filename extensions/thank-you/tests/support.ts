// What the block's tests share: the two targets with the page's order, the app's answers, and an
// i18n that reads the extension's locale files the way Shopify does.
import { getExtension } from "@shopify/ui-extensions-tester";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, vi } from "vitest";

export const TARGETS = ["purchase.thank-you.block.render", "customer-account.order-status.block.render"] as const;
export type Target = (typeof TARGETS)[number];

export const offer = {
  title: "Mug",
  percent: 15,
  code: "THANKS-ABC",
  cartUrl: "https://shop.example/cart/1:1?discount=THANKS-ABC",
  expiresAt: "2030-01-01T00:00:00.000Z",
};
export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
export const text = () => document.body.textContent ?? "";

/** The block's harness on a target, set up before each test with the page's order, torn down after. */
export function blockOn(target: Target) {
  const extension = getExtension(target);
  beforeEach(() => {
    extension.setUp();
    // The page's order as the host gives it: thank-you (orderConfirmation.number), order status (order.confirmationNumber).
    const page = extension.shopify as unknown as Record<"orderConfirmation" | "order", { value: unknown }>;
    if (target === "purchase.thank-you.block.render")
      page.orderConfirmation.value = { order: { id: "gid://shopify/Order/1" }, number: "X7K2PQ9ZB", isFirstOrder: false };
    else page.order.value = { id: "gid://shopify/Order/1", name: "#1000", confirmationNumber: "X7K2PQ9ZB" };
  });
  afterEach(() => {
    extension.tearDown();
    vi.useRealTimers();
  });
  return extension;
}

// A message is a string, or its plural forms keyed by CLDR category.
export type LocaleFile = Record<string, string | Record<string, string>>;

const LOCALES_DIR = path.resolve(import.meta.dirname, "../locales");
/** The shipped languages, from the locale files: "en" (the default file), "fr", "pt-BR", … */
export const LOCALES = fs
  .readdirSync(LOCALES_DIR)
  .map((file) => file.replace(/(\.default)?\.json$/, ""))
  .sort();
export const localeFile = (locale: string): LocaleFile =>
  JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, locale === "en" ? "en.default.json" : `${locale}.json`), "utf8"));

/**
 * Shopify's i18n for one language: `count` picks a plural form by the language's CLDR rules, other
 * options fill `{{name}}`; numbers and dates by Intl. A missing message or value throws.
 */
export function i18nFor(locale: string) {
  const messages = localeFile(locale);
  const plural = new Intl.PluralRules(locale);
  return {
    formatNumber: (n: number) => new Intl.NumberFormat(locale).format(n),
    formatDate: (d: Date) => new Intl.DateTimeFormat(locale).format(d),
    translate(key: string, options: Record<string, unknown> = {}): string {
      const entry = messages[key];
      const message = typeof entry === "string" ? entry : typeof options.count === "number" ? entry?.[plural.select(options.count)] : undefined;
      if (message === undefined) throw new Error(`${locale}: no message for ${key} with ${JSON.stringify(options)}`);
      return message.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
        if (options[name] === undefined) throw new Error(`${locale}: ${key} needs {{${name}}}`);
        return String(options[name]);
      });
    },
  };
}
