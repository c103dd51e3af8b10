// The language of each message: read from the shop's published languages at install, matched
// against the order's customer locale when the message is planned, and shown on the order timeline.
import { describe, expect, it } from "vitest";
import { SCOPES, orderGid, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;

useStack({ install: true }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});

async function planned(body: Record<string, unknown>, inShop?: string) {
  const placed = await stack.place({ email: `buyer-${Math.random().toString(36).slice(2)}@example.com`, ...body }, inShop);
  await stack.applyWebhooks(inShop);
  const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: orderGid(placed.orderId) }, include: { messages: true } });
  return { order, locales: [...new Set(order.messages.map((m) => m.locale))] };
}

describe("message language", () => {
  it("install records the languages the shop publishes, its primary one first", async () => {
    const row = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(row.primaryLocale).toBe("en");
    expect([...row.publishedLocales].sort()).toEqual(["de", "en", "es", "fr", "it", "ja", "nl", "pt-BR"]);
  });

  it.each([
    ["fr", "fr"],
    ["fr-CA", "fr"],
    ["pt", "pt-BR"],
    ["ja", "ja"],
    ["sv", "en"], // a language the shop has not published: its primary language
  ])("an order in %s gets its messages in %s", async (locale, expected) => {
    const { order, locales } = await planned({ locale });
    expect(order.locale).toBe(locale);
    expect(order.messages.length).toBeGreaterThan(0);
    expect(locales).toEqual([expected]);
  });

  it("the order timeline shows the language", async () => {
    const { order } = await planned({ locale: "de-AT" });
    const html = await stack.adminPage(`/app/orders/${order.id}`);
    expect(html).toContain("in German");
  });

  it("a shop that has not granted read_locales still installs, and writes in its default language", async () => {
    const other = "no-locales.myshopify.com";
    await stack.emulator(`/shops/${other}/scopes`, { scopes: SCOPES.replace(",read_locales", "") });
    expect((await stack.install(other)).status).toBe(200);
    const row = await stack.db.shop.findUniqueOrThrow({ where: { domain: other } });
    expect({ primary: row.primaryLocale, published: row.publishedLocales }).toEqual({ primary: "en", published: [] });
    expect(stack.output()).toContain("shop languages unreadable");

    await stack.db.flow.updateMany({ where: { shopId: row.id }, data: { enabled: true } });
    expect((await planned({ locale: "fr" }, other)).locales).toEqual(["en"]);
  });
});
