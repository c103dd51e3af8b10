// Every email and hosted page in the customer's language, end to end: orders placed through the
// sandbox in a language and a presentment currency, the worker sending over a real SMTP server,
// the links followed to the pages.
import { beforeAll, describe, expect, it } from "vitest";
import type { CapturedMail } from "../../sandbox/mail/catcher";
import { nextWeekdayUtc, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;

useStack({ install: true, workers: 1 }, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});
beforeAll(async () => {
  // Four emails to one person within two weeks: let the cap through.
  await stack.db.shop.update({ where: { domain: shop }, data: { frequencyCapCount: 10 } });
});

/** Intl's French spacing (narrow no-break spaces) as plain spaces, for readable expectations. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
const DAY = 86_400_000;

async function mailTo(email: string, subjectPrefix: string): Promise<CapturedMail> {
  await expect.poll(() => stack.mailsTo(email, subjectPrefix).length, { timeout: 20_000 }).toBe(1);
  return stack.mailsTo(email, subjectPrefix)[0];
}

/** Places an order (one item at `price` when given) and moves past the thank-you's 15 minutes. */
async function thankedFor(buyer: Record<string, string>, price?: string) {
  const placed = await stack.place({ ...buyer, ...(price ? { lineItems: [{ price }] } : {}) });
  await stack.advance(20 * 60);
  return placed;
}

function linkIn(mail: CapturedMail, path: RegExp): string {
  const found = mail.text.match(path)?.[0];
  if (!found) throw new Error(`no ${path} link in "${mail.subject}"`);
  return found;
}

describe("a French order", () => {
  const email = "camille.fr@example.com";
  let orderId: string;
  let fulfillmentId: string;

  it("gets its thank-you in French, with euro amounts formatted for France", async () => {
    await stack.advanceTo(await nextWeekdayUtc(stack, 2, 9)); // a Tuesday morning in Paris
    const placed = await thankedFor({ email, firstName: "Camille", country: "FR", locale: "fr", currency: "EUR" }, "1234.50");
    orderId = placed.orderId;
    const mail = await mailTo(email, "Merci pour votre commande");
    expect(mail.subject).toBe(`Merci pour votre commande ${placed.orderName}`);
    expect(mail.text).toContain("Bonjour Camille,");
    // A multi-currency order: the shop counts it in dollars (1 EUR = 1.08 USD in the sandbox), the
    // email shows the price the buyer saw.
    const row = await stack.db.order.findFirstOrThrow({ where: { email, name: placed.orderName }, include: { lineItems: true } });
    expect(row).toMatchObject({ currency: "USD", totalCents: 133326, presentmentCurrency: "EUR", presentmentTotalCents: 123450 });
    expect(row.lineItems).toMatchObject([{ priceCents: 133326, presentmentPriceCents: 123450 }]);
    expect(plain(mail.text)).toContain("1 234,50 €");
    expect(plain(mail.text)).not.toContain("1 333,26");
    expect(mail.html).toMatch(/<html lang="fr" dir="ltr"/);
    expect(mail.text).not.toMatch(/Thank you|Order #/);
  });

  it("gets the delay notice with its code in French", async () => {
    ({ fulfillmentId } = await stack.fulfil(orderId));
    await stack.shipmentEvent(fulfillmentId, "delayed");
    const mail = await mailTo(email, "Des nouvelles de votre commande");
    expect(mail.text).toContain("le transporteur signale un retard");
    const notice = await stack.db.message.findFirstOrThrow({ where: { recipient: email, flow: { key: "shipping_delay" } } });
    const code = await stack.db.discountCode.findUniqueOrThrow({ where: { messageId: notice.id } });
    expect(mail.text).toContain(code.code);
    expect(plain(mail.text)).toContain("10 %");
    expect(mail.html).toContain("Utiliser mon code");
  });

  it("gets the review request in French, and its page speaks French", async () => {
    await stack.shipmentEvent(fulfillmentId, "delivered");
    await stack.advance((8 * DAY) / 1000); // due a week after delivery; a day later, in the Paris daytime
    const mail = await mailTo(email, "Que pensez-vous de votre achat");
    expect(mail.html).toContain("Donner mon avis");
    const page = await (await fetch(linkIn(mail, /https?:\/\/\S+\/r\/[^\s#]+/))).text();
    expect(page).toMatch(/<html lang="fr" dir="ltr"/);
    expect(page).toContain("Rédiger un avis");
    const preferences = await (await fetch(linkIn(mail, /https?:\/\/\S+\/u\/\S+/))).text();
    expect(preferences).toContain("Préférences e-mail");
  });

  it("gets the NPS survey in French, and its page speaks French", async () => {
    await stack.advance((7 * DAY) / 1000); // two weeks after delivery
    const mail = await mailTo(email, "Une petite question de la part de");
    expect(mail.text).toContain("Peu probable");
    const page = await (await fetch(linkIn(mail, /https?:\/\/\S+\/n\/\S+/))).text();
    expect(page).toMatch(/<html lang="fr" dir="ltr"/);
    expect(page).toContain("Quelle est la probabilité que vous recommandiez");
  });
});

describe("other languages", () => {
  it("a Japanese order gets its thank-you in Japanese, with yen", async () => {
    const placed = await thankedFor({ email: "haruto.ja@example.com", firstName: "Haruto", country: "JP", locale: "ja", currency: "JPY" }, "1500");
    const mail = await mailTo("haruto.ja@example.com", "ご注文ありがとうございます");
    expect(mail.subject).toContain(placed.orderName);
    expect(mail.text).toContain("Haruto 様");
    expect(mail.text).toContain("￥1,500");
    expect(mail.html).toMatch(/<html lang="ja"/);
  });

  it("an order in a language the shop has not published gets the shop's primary language", async () => {
    await stack.advanceTo(await nextWeekdayUtc(stack, 3, 15)); // daytime in North America, where the default address is
    const placed = await thankedFor({ email: "sven.sv@example.com", firstName: "Sven", locale: "sv-SE" });
    const mail = await mailTo("sven.sv@example.com", "Thank you for your order");
    expect(mail.subject).toBe(`Thank you for your order ${placed.orderName}`);
    expect(mail.html).toMatch(/<html lang="en" dir="ltr"/);
  });

  it("a broken link's page follows the browser's language", async () => {
    const response = await fetch(`${stack.appUrl}/r/not-a-token`, { headers: { "Accept-Language": "de-DE,de;q=0.9,en;q=0.5" } });
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/<html lang="de" dir="ltr"/);
  });
});

describe("a refund of a euro order", () => {
  it("is refunded in euros by Shopify and counted in the shop's dollars", async () => {
    const placed = await stack.place({ email: "lena.de@example.com", country: "DE", locale: "de", currency: "EUR", lineItems: [{ price: "200.00" }] });
    await stack.control(`/sandbox/api/orders/${placed.orderId}/refund`, { amount: "100.00" }); // in the buyer's euros
    const refunded = () => stack.db.refund.findMany({ where: { order: { name: placed.orderName, email: "lena.de@example.com" } } });
    await expect.poll(async () => (await refunded()).map((r) => r.amountCents), { timeout: 20_000 }).toEqual([10800]);
    const order = await stack.db.order.findFirstOrThrow({ where: { name: placed.orderName, email: "lena.de@example.com" } });
    expect(order).toMatchObject({ totalCents: 21600, presentmentTotalCents: 20000, financialStatus: "partially_refunded" });
  });
});
