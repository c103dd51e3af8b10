// Every link of every preset email leads where it says. One order goes through every preset flow
// (thank-you, shipping-delay notice with its apology code, check-in, review request and its
// reminder, NPS survey, points earned); then every link of the HTML and text parts, and the
// List-Unsubscribe header, is followed through the real web server. Our own pages (/u, /r, /n)
// must answer 200; tracked links (/c) must redirect to the page they were made for (the shop, the
// carrier) — those hosts are not reachable here, so the redirect's Location is what is checked.
import { describe, expect, it } from "vitest";
import type { CapturedMail } from "../../sandbox/mail/catcher";
import { type Stack, type PlacedOrder } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;
let primaryDomain: string;
const EMAIL = "every-link@example.com";
const DAY = 86_400;

const PRESET_EMAILS = [
  { flow: "thank_you", subject: /^Thank you for your order/ },
  { flow: "shipping_delay", subject: /^An update on your order/ },
  { flow: "check_in", subject: /^How is everything with your order/ },
  { flow: "review_request", subject: /^How do you like your purchase/, count: 2 }, // the request and its reminder
  { flow: "nps", subject: /^One quick question from/ },
  { flow: "points_earned", subject: /points are ready$/ },
];

const mails = () => stack.mailsTo(EMAIL);

async function sentCount(orderId: string, flow: string): Promise<number> {
  return stack.db.message.count({ where: { order: { shopifyId: `gid://shopify/Order/${orderId}` }, flow: { key: flow }, status: "sent" } });
}

const decode = (s: string) =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** Every link of a captured email: hrefs of the HTML part (with their text), URLs of the text part, the List-Unsubscribe URL. */
function linksOf(mail: CapturedMail): { url: string; where: string }[] {
  const links: { url: string; where: string }[] = [];
  for (const [, href, label] of mail.html.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)) {
    links.push({
      url: decode(href),
      where: `html "${label
        .replace(/<[^>]+>/g, "")
        .replace(/\s+/g, " ")
        .trim()}"`,
    });
  }
  for (const [url] of mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)) links.push({ url, where: "text" });
  for (const [, url] of (mail.headers["list-unsubscribe"] ?? "").matchAll(/<(https?:[^>]+)>/g)) links.push({ url, where: "List-Unsubscribe" });
  return links;
}

/** The target signed into a /c/ token (the payload is the token's middle part). */
function clickTarget(url: string): string {
  const token = new URL(url).pathname.slice("/c/".length);
  return (JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as { u: string }).u;
}

useStack({ install: true }, async (started) => {
  stack = started;
  shop = stack.services.demoShop;
  const row = await stack.db.shop.update({ where: { domain: shop }, data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 20 } });
  primaryDomain = row.primaryDomain!;
  await stack.startWorker();
});

describe("the links of every preset email", () => {
  let placed: PlacedOrder;

  it("one order receives every preset email", async () => {
    const products = stack.services.emulator.shop(shop).products;
    placed = await stack.place({
      email: EMAIL,
      firstName: "Noor",
      country: "FR",
      marketingConsent: true,
      lineItems: [{ productId: products[0].id }, { productId: products[1].id }],
    });
    await stack.advance(20 * 60);
    await expect.poll(() => sentCount(placed.orderId, "thank_you"), { timeout: 30_000 }).toBe(1);

    const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, {
      company: "UPS",
      trackingNumber: "1ZEVERYLINK01",
    });
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delayed" });
    await expect.poll(() => sentCount(placed.orderId, "shipping_delay"), { timeout: 30_000 }).toBe(1);

    await stack.advance(DAY);
    await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
    await stack.advance(8 * DAY); // check-in (2 days) and review request (7 days)
    await expect.poll(() => sentCount(placed.orderId, "check_in"), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => sentCount(placed.orderId, "review_request"), { timeout: 30_000 }).toBe(1);
    await stack.advance(6 * DAY); // the review reminder (5 days after the request)
    await expect.poll(() => sentCount(placed.orderId, "review_request"), { timeout: 30_000 }).toBe(2);
    await stack.advance(2 * DAY); // NPS (14 days after delivery), points approved after the return window
    await expect.poll(() => sentCount(placed.orderId, "nps"), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(async () => stack.db.message.count({ where: { recipient: EMAIL, flow: { key: "points_earned" }, status: "sent" } }), { timeout: 30_000 })
      .toBe(1);

    await expect.poll(() => mails().length, { timeout: 10_000 }).toBe(PRESET_EMAILS.reduce((n, p) => n + (p.count ?? 1), 0));
    for (const preset of PRESET_EMAILS) {
      expect(
        mails().filter((m) => preset.subject.test(m.subject)),
        preset.flow,
      ).toHaveLength(preset.count ?? 1);
    }
  });

  it("every link leads to our page (200) or redirects to the page it was made for", async () => {
    const carrierHost = "www.ups.com";
    const allowedTargets = new Set([primaryDomain, shop, carrierHost]);
    let followed = 0;
    for (const mail of mails()) {
      const links = linksOf(mail);
      expect(links.length, mail.subject).toBeGreaterThan(0);
      for (const { url, where } of links) {
        const label = `${mail.subject} › ${where} › ${url}`;
        const parsed = new URL(url);
        expect(parsed.origin, label).toBe(stack.appUrl); // every link is ours: tracked, or a hosted page
        const response = await fetch(url, { redirect: "manual" });
        if (parsed.pathname.startsWith("/c/")) {
          expect(response.status, label).toBe(302);
          const location = response.headers.get("location")!;
          expect(location, label).toBe(clickTarget(url));
          expect(allowedTargets, label).toContain(new URL(location).hostname);
        } else {
          expect(parsed.pathname, label).toMatch(/^\/(u|r|n)\//);
          expect(response.status, label).toBe(200);
          await response.text();
        }
        followed += 1;
      }
    }
    expect(followed).toBeGreaterThan(40);
  });

  it("the carrier's Track link of every email with a shipment goes to the carrier", async () => {
    const shipped = mails().filter((m) => !/^Thank you for your order/.test(m.subject));
    expect(shipped.length).toBeGreaterThanOrEqual(6);
    for (const mail of shipped) {
      const track = linksOf(mail).filter((l) => l.where === 'html "Track"');
      expect(track, mail.subject).toHaveLength(1);
      const response = await fetch(track[0].url, { redirect: "manual" });
      expect(response.status, mail.subject).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(location.hostname, mail.subject).toBe("www.ups.com");
      expect(location.href, mail.subject).toContain("1ZEVERYLINK01");
      expect(mail.text, mail.subject).toMatch(/^Tracking: UPS 1ZEVERYLINK01 — http:\/\/127\.0\.0\.1:\d+\/c\/\S+$/m);
    }
  });

  it("the delay notice's apology code link goes to the shop with the code", async () => {
    const [notice] = mails().filter((m) => /^An update on your order/.test(m.subject));
    const code = await stack.db.discountCode.findFirstOrThrow({ where: { purpose: "apology" } });
    const link = linksOf(notice).find((l) => l.where === 'html "Use your code"');
    expect(link).toBeDefined();
    const location = (await fetch(link!.url, { redirect: "manual" })).headers.get("location");
    expect(location).toBe(`https://${primaryDomain}/discount/${code.code}`);
  });
});
