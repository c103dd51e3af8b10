// The public links in emails, through the real web server: unsubscribe (RFC 8058 one-click and
// the preferences page), tracked click redirects, and the link keys that sign them.
import { createHmac, hkdfSync, randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { linkKeys } from "../../app/engine/links/tokens";
import { clickUrl, preferencesUrl, unsubscribeUrl } from "../../app/engine/links/urls";
import { API_SECRET, LINK_KEY, OLDER_LINK_KEY, testLinkKeys, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shopId: string;
const secret = testLinkKeys();

useStack({ install: true }, async (started) => {
  stack = started;
  shopId = (await stack.db.shop.findUniqueOrThrow({ where: { domain: stack.services.demoShop } })).id;
});
beforeEach(async () => {
  await stack.db.suppression.deleteMany();
  await stack.db.linkClick.deleteMany();
});

/** A sent message of the demo shop, inserted directly. */
async function sentMessage(options: { category?: "service" | "survey" | "marketing"; recipient?: string | null } = {}): Promise<string> {
  const now = new Date();
  const key = options.category === "service" ? "thank_you" : "review_request";
  const flow = await stack.db.flow.findUniqueOrThrow({ where: { shopId_key: { shopId, key } } });
  const order = await stack.db.order.create({
    data: {
      shopId,
      shopifyId: `gid://shopify/Order/${Date.now()}${Math.floor(Math.random() * 1000)}`,
      placeholder: false,
      name: "#1001",
      email: "jo@example.com",
      placedAt: now,
    },
  });
  const id = randomUUID();
  const message = await stack.db.message.create({
    data: {
      shopId,
      orderId: order.id,
      flowId: flow.id,
      dedupeKey: `${shopId}:${order.id}:${key}:main:${id}`,
      category: options.category ?? "survey",
      status: "sent",
      recipient: options.recipient === undefined ? "jo@example.com" : options.recipient,
      anchor: "delivered",
      anchorAt: now,
      dueAt: now,
      sendAt: now,
      sentAt: now,
      rfcMessageId: `<${id}@trustloop.test>`,
    },
  });
  return message.id;
}

const path = (url: string) => new URL(url).pathname;
const get = (url: string) => fetch(`${stack.appUrl}${path(url)}`, { redirect: "manual" });
const post = (url: string, body: string) =>
  fetch(`${stack.appUrl}${path(url)}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body, redirect: "manual" });
const oneClick = (url: string) => post(url, "List-Unsubscribe=One-Click");
/** The same URL with the last character of its token's MAC changed. */
const tamper = (url: string) => url.slice(0, -1) + (url.endsWith("A") ? "w" : "A");

function checkbox(html: string, name: string): boolean {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no ${name} checkbox`);
  return /\bchecked\b/.test(tag);
}

describe("unsubscribe", () => {
  it("GET shows the preferences page with the masked address and changes nothing", async () => {
    const messageId = await sentMessage();
    const response = await get(preferencesUrl(stack.appUrl, secret, messageId));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain("j•••@example.com");
    expect(html).not.toContain("jo@example.com");
    expect(html).toContain("Surveys (reviews, NPS)");
    expect(html).toContain("Offers and news (marketing)");
    expect(checkbox(html, "surveys")).toBe(true);
    expect(checkbox(html, "marketing")).toBe(true);
    expect(await stack.db.suppression.count()).toBe(0);
  });

  it("RFC 8058 one-click POST answers 200 and suppresses surveys and marketing, once", async () => {
    const messageId = await sentMessage();
    const url = unsubscribeUrl(stack.appUrl, secret, messageId);
    const response = await oneClick(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("Unsubscribed");
    expect((await oneClick(url)).status).toBe(200);
    // By name: PostgreSQL orders an enum by its declaration order.
    const rows = (await stack.db.suppression.findMany()).sort((a, b) => a.scope.localeCompare(b.scope));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ shopId, email: "jo@example.com", scope: "marketing", reason: "unsubscribe" });
    expect(rows[1]).toMatchObject({ shopId, email: "jo@example.com", scope: "survey", reason: "unsubscribe" });
    const html = await (await get(url)).text();
    expect(checkbox(html, "surveys")).toBe(false);
    expect(checkbox(html, "marketing")).toBe(false);
  });

  it("a one-click from a service email suppresses the same; the page says order updates stay", async () => {
    const messageId = await sentMessage({ category: "service" });
    const url = unsubscribeUrl(stack.appUrl, secret, messageId);
    expect((await oneClick(url)).status).toBe(200);
    const rows = (await stack.db.suppression.findMany()).sort((a, b) => a.scope.localeCompare(b.scope));
    expect(rows.map((s) => [s.scope, s.reason])).toEqual([
      ["marketing", "unsubscribe"],
      ["survey", "unsubscribe"],
    ]);
    expect(await (await get(url)).text()).toMatch(/can’t be unsubscribed from/);
  });

  it("a tampered or foreign token is a 404 and records nothing", async () => {
    const messageId = await sentMessage();
    const url = unsubscribeUrl(stack.appUrl, secret, messageId);
    const [kid, , mac] = path(url).slice("/u/".length).split(".");
    const forged = Buffer.from(JSON.stringify({ t: "u", m: await sentMessage() })).toString("base64url");
    const tampered = [
      `${stack.appUrl}/u/${kid}.${forged}.${mac}`,
      tamper(url),
      unsubscribeUrl(stack.appUrl, linkKeys([{ kid: LINK_KEY.kid, secret: "another-secret-0123456789abcdefghij" }]), messageId),
      clickUrl(stack.appUrl, secret, messageId, "https://shop.trustloop-demo.example/").replace("/c/", "/u/"),
      `${stack.appUrl}/u/nonsense`,
    ];
    for (const bad of tampered) {
      expect((await get(bad)).status, bad).toBe(404);
      expect((await oneClick(bad)).status, bad).toBe(404);
      expect((await post(bad, "intent=preferences")).status, bad).toBe(404);
    }
    expect(await stack.db.suppression.count()).toBe(0);
  });

  it("a message whose recipient was redacted is a 404", async () => {
    const messageId = await sentMessage({ recipient: null });
    const url = unsubscribeUrl(stack.appUrl, secret, messageId);
    expect((await get(url)).status).toBe(404);
    expect((await oneClick(url)).status).toBe(404);
    expect(await stack.db.suppression.count()).toBe(0);
  });

  it("the preferences form applies the checkboxes: unsubscribe and re-subscribe", async () => {
    const messageId = await sentMessage();
    const url = preferencesUrl(stack.appUrl, secret, messageId);
    expect((await oneClick(url)).status).toBe(200);

    const saved = await post(url, "intent=preferences&surveys=on");
    expect(saved.status).toBe(200);
    const html = await saved.text();
    expect(html).toContain("Your preferences are saved");
    expect(checkbox(html, "surveys")).toBe(true);
    expect(checkbox(html, "marketing")).toBe(false);
    expect(await stack.db.suppression.findMany()).toEqual([expect.objectContaining({ scope: "marketing", reason: "unsubscribe" })]);

    expect((await post(url, "intent=preferences&surveys=on&marketing=on")).status).toBe(200);
    expect(await stack.db.suppression.count()).toBe(0);
  });

  it("re-subscribing never lifts a bounce", async () => {
    const messageId = await sentMessage();
    await stack.db.suppression.create({ data: { shopId, email: "jo@example.com", scope: "all", reason: "bounce" } });
    const html = await (await post(preferencesUrl(stack.appUrl, secret, messageId), "intent=preferences&surveys=on&marketing=on")).text();
    expect(html).toContain("can’t send any email to this address");
    expect(await stack.db.suppression.findMany()).toEqual([expect.objectContaining({ scope: "all", reason: "bounce" })]);
  });

  it("escapes everything on the page", async () => {
    const messageId = await sentMessage();
    const shop = await stack.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    await stack.db.shop.update({
      where: { id: shopId },
      data: { name: `<script>alert("x")</script>`, brandColor: `red;background:url(https://evil.example/x)` },
    });
    try {
      const html = await (await get(preferencesUrl(stack.appUrl, secret, messageId))).text();
      expect(html).not.toContain("<script");
      expect(html).toContain("&lt;script&gt;");
      expect(html).not.toContain("evil.example");
      const notFound = await (await get(`${stack.appUrl}/u/%3Cscript%3Ealert(1)%3C%2Fscript%3E`)).text();
      expect(notFound).not.toContain("<script");
    } finally {
      await stack.db.shop.update({ where: { id: shopId }, data: { name: shop.name, brandColor: shop.brandColor } });
    }
  });
});

describe("click redirect", () => {
  it("redirects to the shop's primary domain and records the click once per minute", async () => {
    const messageId = await sentMessage();
    const target = "https://shop.trustloop-demo.example/products/mug?utm_source=trustloop";
    const url = clickUrl(stack.appUrl, secret, messageId, target);
    const response = await get(url);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(target);
    expect(await stack.db.linkClick.findMany()).toEqual([expect.objectContaining({ messageId, shopId, url: target })]);
    expect((await get(url)).status).toBe(302); // a scanner's second fetch
    expect(await stack.db.linkClick.count()).toBe(1);
  });

  it("redirects to the myshopify domain too", async () => {
    const messageId = await sentMessage();
    const target = `https://${stack.services.demoShop}/cart`;
    const response = await get(clickUrl(stack.appUrl, secret, messageId, target));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(target);
  });

  it("redirects to a carrier's tracking page signed in the token", async () => {
    const messageId = await sentMessage({ category: "service" });
    const target = "https://www.ups.com/track?tracknum=1Z999AA10123456784&loc=en_US";
    const response = await get(clickUrl(stack.appUrl, secret, messageId, target));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(target);
    expect(await stack.db.linkClick.findMany()).toEqual([expect.objectContaining({ messageId, url: target })]);
  });

  it("refuses unsigned targets and tampered tokens with a 404, recording nothing", async () => {
    const messageId = await sentMessage();
    const signed = clickUrl(stack.appUrl, secret, messageId, "https://www.ups.com/track?tracknum=1");
    const [kid, body, mac] = path(signed).slice("/c/".length).split(".");
    const other = Buffer.from(JSON.stringify({ t: "c", m: messageId, u: "https://evil.example/" })).toString("base64url");
    expect((await get(`${stack.appUrl}/c/${kid}.${other}.${mac}`)).status).toBe(404);
    expect((await get(`${stack.appUrl}/c/${kid}.${body}.${mac}?u=https://evil.example/`)).headers.get("location")).toBe("https://www.ups.com/track?tracknum=1");
    expect((await get(clickUrl(stack.appUrl, secret, messageId, "javascript:alert(1)"))).status).toBe(404);
    await stack.db.linkClick.deleteMany();
    const good = clickUrl(stack.appUrl, secret, messageId, "https://shop.trustloop-demo.example/");
    expect((await get(tamper(good))).status).toBe(404);
    expect((await get(unsubscribeUrl(stack.appUrl, secret, messageId).replace("/u/", "/c/"))).status).toBe(404);
    expect(await stack.db.linkClick.count()).toBe(0);
  });
});

/** A token in the format issued before key ids (HMAC keyed from the app secret), built independently of our code. */
function legacyToken(payload: object): string {
  const key = Buffer.from(hkdfSync("sha256", API_SECRET, Buffer.alloc(0), "trustloop-links-v1", 32));
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${createHmac("sha256", key).update(body).digest().subarray(0, 16).toString("base64url")}`;
}

describe("link keys", () => {
  it("new links carry the first key's id, and links signed with a listed older key still work", async () => {
    const messageId = await sentMessage();
    expect(path(unsubscribeUrl(stack.appUrl, secret, messageId))).toMatch(new RegExp(`^/u/${LINK_KEY.kid}\\.`));
    const older = linkKeys([OLDER_LINK_KEY]);
    expect((await get(preferencesUrl(stack.appUrl, older, messageId))).status).toBe(200);
    const target = "https://shop.trustloop-demo.example/products/mug";
    expect((await get(clickUrl(stack.appUrl, older, messageId, target))).headers.get("location")).toBe(target);
  });

  it("links sent before key ids (keyed from the app secret) keep working", async () => {
    const messageId = await sentMessage();
    expect((await get(`${stack.appUrl}/u/${legacyToken({ t: "u", m: messageId })}`)).status).toBe(200);
    expect((await oneClick(`${stack.appUrl}/u/${legacyToken({ t: "u", m: messageId })}`)).status).toBe(200);
    // The one-click stops survey and marketing mail: one row per category.
    expect((await stack.db.suppression.findMany({ select: { scope: true } })).map((r) => r.scope).sort()).toEqual(["marketing", "survey"]);
    const target = "https://www.ups.com/track?tracknum=1Z";
    expect((await get(`${stack.appUrl}/c/${legacyToken({ t: "c", m: messageId, u: target })}`)).headers.get("location")).toBe(target);
  });

  it("a link signed with a key that is not listed is a 404", async () => {
    const messageId = await sentMessage();
    const retired = linkKeys([{ kid: "test0", secret: "retired-secret-0123456789abcdefghij" }]);
    expect((await get(unsubscribeUrl(stack.appUrl, retired, messageId))).status).toBe(404);
    expect((await get(clickUrl(stack.appUrl, retired, messageId, "https://shop.trustloop-demo.example/"))).status).toBe(404);
  });
});
