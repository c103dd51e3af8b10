// Every write behind an engagement figure of the dashboard marks its rollup day dirty (RollupMark),
// driven through the real paths: hosted NPS and review pages, admin actions, signed webhooks, the
// checkout extension's endpoint. The worker rebuilds (and clears) dirty days on every tick, so it
// runs only to send emails and is stopped before each asserted step; the two steps the worker
// itself performs (points approval, apology code) call the same engine function it calls. Each
// step first deletes the shop's marks, and is arranged so that no other write of the step touches
// the expected day. Also: the setup-checklist signals (checkout extension seen, flows reviewed).
import type { Flow, Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formValuesFromFlow } from "../../app/engine/admin/flow-form";
import { dayOf } from "../../app/engine/dashboard/days";
import { delaySettingsFor, ensureApologyCode } from "../../app/engine/discounts/apology";
import { approveDuePoints } from "../../app/engine/loyalty/ledger";
import type { ShopGraphql } from "../../app/engine/shopify/products";
import type { CapturedMail } from "../../sandbox/mail/catcher";
import { postAdminAction } from "../support/admin-actions";
import { checkoutToken, postCheckout } from "../support/checkout-token";
import { API_VERSION, type Stack, type PlacedOrder, postForm } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let domain: string;
let shop: Shop;

const fulfil = (orderId: string) => stack.fulfil(orderId, { trackingNumber: `DT-${orderId}` });
const orderOf = (orderId: string) => stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: `gid://shopify/Order/${orderId}` } });
const messageOf = (orderId: string, flowKey: string, step = "main") =>
  stack.db.message.findFirst({ where: { order: { shopifyId: `gid://shopify/Order/${orderId}` }, flow: { key: flowKey }, step } });
const mailTo = (email: string, subject: string): CapturedMail => {
  const mail = stack.mailsTo(email, subject)[0];
  expect(mail).toBeDefined();
  return mail!;
};

/** The shop-local day of an instant: rollup days are the shop's own. */
const shopDay = (at: Date) => dayOf(at, shop.timezone);
/** Deletes the shop's marks, so that a mark found afterwards was made by the step. */
const clearMarks = () => stack.db.rollupMark.deleteMany({ where: { shopId: shop.id } });
const markedDays = async () =>
  (await stack.db.rollupMark.findMany({ where: { shopId: shop.id }, distinct: ["day"], orderBy: { day: "asc" } })).map((m) => m.day);
const sandboxClock = async () => {
  const now = await stack.now();
  return { now: () => new Date(now) };
};

/** The emulator's Admin GraphQL API with the shop's offline token (what the worker uses). */
const graphql: ShopGraphql = async (shopDomain, query, variables) => {
  const session = await stack.db.session.findFirstOrThrow({ where: { shop: shopDomain, isOnline: false } });
  const response = await fetch(`${stack.services.adminApiUrl}/admin/api/${API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken, "X-Shopify-Shop-Domain": shopDomain },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: unknown; errors?: unknown };
  if (!response.ok || json.errors) throw new Error(`Admin API: ${response.status} ${JSON.stringify(json.errors ?? json)}`);
  return json.data;
};

useStack({ install: true }, async (started) => {
  stack = started;
  domain = stack.services.demoShop;
  // Emails are only the means here: no quiet hours or cap in the way.
  shop = await stack.db.shop.update({ where: { domain }, data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 50 } });
  const offered = stack.services.emulator.shop(domain).products[1];
  await stack.db.offerRule.create({
    data: {
      shopId: shop.id,
      name: "Any order",
      anyOrder: true,
      offerVariantId: `gid://shopify/ProductVariant/${offered.variants[0].id}`,
      offerTitle: "Anything",
      discountPercent: 10,
    },
  });
  // Points entries are stamped by the database (real time), everything else by the sandbox clock:
  // three days apart, a points entry's day is touched by nothing else.
  await stack.advance(3 * 86_400);
});

describe("setup checklist: flows reviewed", () => {
  it("is set by the first valid save in the flow editor, not by a refused one", async () => {
    const flow: Flow = await stack.db.flow.findFirstOrThrow({ where: { shopId: shop.id, key: "thank_you" } });
    const form = { intent: "save", ...formValuesFromFlow(flow, shop.currency) };
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).flowsReviewedAt).toBeNull();
    const refused = await postAdminAction(stack.appUrl, `/app/flows/${flow.id}`, { ...form, holdoutPercent: "80" }, domain);
    expect(refused.data?.errors).toMatchObject({ holdoutPercent: expect.any(String) });
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).flowsReviewedAt).toBeNull();

    const saved = await postAdminAction(stack.appUrl, `/app/flows/${flow.id}`, form, domain);
    expect(saved.data).toMatchObject({ errors: {} });
    const first = (await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).flowsReviewedAt;
    expect(Math.abs(first!.getTime() - (await stack.now()).getTime())).toBeLessThan(60_000); // sandbox time
    await postAdminAction(stack.appUrl, `/app/flows/${flow.id}`, form, domain);
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).flowsReviewedAt).toEqual(first);
  });
});

describe("checkout extension, offers and points", () => {
  let placed: PlacedOrder;
  // Minted per call: the server checks its expiry against sandbox time.
  const token = () => checkoutToken(domain, { sub: `gid://shopify/Customer/${placed.customerId}` });
  let grantDay = "";
  let enabledFlows: string[] = [];

  // No emails here: a message's marks (its planning day) would blur the days asserted below.
  beforeAll(async () => {
    enabledFlows = (await stack.db.flow.findMany({ where: { shopId: shop.id, enabled: true }, select: { id: true } })).map((f) => f.id);
    await stack.db.flow.updateMany({ where: { id: { in: enabledFlows } }, data: { enabled: false } });
  });
  afterAll(async () => {
    await stack.db.flow.updateMany({ where: { id: { in: enabledFlows } }, data: { enabled: true } });
  });

  it("a paid order's points earn marks the entry's day", async () => {
    await clearMarks();
    placed = await stack.place({
      email: "touch-offer@example.com",
      country: "US",
      province: "NY",
      lineItems: [{ title: "Jacket", price: "120.00", quantity: 1 }],
    });
    const earn = await stack.db.pointsEntry.findFirstOrThrow({ where: { shopId: shop.id, kind: "earn", member: { email: "touch-offer@example.com" } } });
    expect(earn.status).toBe("pending");
    expect(shopDay(earn.createdAt)).not.toBe(shopDay((await orderOf(placed.orderId)).placedAt!)); // the order marks its own day
    expect(await markedDays()).toContain(shopDay(earn.createdAt));
  });

  it("the extension's first view sets extensionSeenAt; the offer's grant and code mark their day", async () => {
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).extensionSeenAt).toBeNull();
    await stack.advance(86_400); // the customer's first-order day is marked by their later orders
    await clearMarks();
    const viewOffer = () => postCheckout(stack.appUrl, token(), { orderId: `gid://shopify/Order/${placed.orderId}`, event: "view" });
    const res = await viewOffer();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { offer: { code: string } | null };
    expect(body.offer?.code).toBeTruthy();
    const seen = (await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).extensionSeenAt;
    expect(seen).not.toBeNull();

    const grant = await stack.db.offerGrant.findFirstOrThrow({ where: { shopId: shop.id, code: body.offer!.code } });
    const code = await stack.db.discountCode.findUniqueOrThrow({ where: { shopId_code: { shopId: shop.id, code: body.offer!.code } } });
    expect([grant.impressions, code.status]).toEqual([1, "created"]);
    grantDay = shopDay(grant.createdAt);
    expect(await markedDays()).toEqual([...new Set([grantDay, shopDay(code.createdAt)])].sort());

    // A later impression only increments the counter: it alone marks the grant's day.
    await clearMarks();
    expect((await viewOffer()).status).toBe(200);
    expect((await stack.db.offerGrant.findUniqueOrThrow({ where: { id: grant.id } })).impressions).toBe(2);
    expect(await markedDays()).toEqual([grantDay]);
    expect((await stack.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).extensionSeenAt).toEqual(seen); // set once
  });

  it("a click on the offer marks the grant's day", async () => {
    await clearMarks();
    const click = await postCheckout(stack.appUrl, token(), { orderId: `gid://shopify/Order/${placed.orderId}`, event: "click" });
    expect(await click.json()).toEqual({ recorded: true });
    expect(await markedDays()).toEqual([grantDay]);
  });

  it("a later order using the offer code (conversion + redemption) marks the grant's and code's day, not only the order's", async () => {
    await stack.advance(86_400);
    const grant = await stack.db.offerGrant.findFirstOrThrow({ where: { shopId: shop.id, orderGid: `gid://shopify/Order/${placed.orderId}` } });
    await clearMarks();
    const later = await stack.place({
      email: "touch-offer@example.com",
      country: "US",
      province: "NY",
      discountCode: grant.code,
      lineItems: [{ title: "Scarf", price: "30.00", quantity: 1 }],
    });
    expect((await stack.db.offerGrant.findUniqueOrThrow({ where: { id: grant.id } })).convertedOrderGid).toBe(`gid://shopify/Order/${later.orderId}`);
    expect((await stack.db.discountCode.findFirstOrThrow({ where: { shopId: shop.id, code: grant.code! } })).redeemedAt).not.toBeNull();
    expect(shopDay((await orderOf(later.orderId)).placedAt!)).not.toBe(grantDay);
    expect(shopDay((await orderOf(placed.orderId)).placedAt!)).not.toBe(grantDay); // the customer's first-order day is marked too
    expect(await markedDays()).toContain(grantDay);
  });

  it("deleting an offer rule in the admin (its grants go with it) marks the grants' day", async () => {
    const grant = await stack.db.offerGrant.findFirstOrThrow({ where: { shopId: shop.id, orderGid: `gid://shopify/Order/${placed.orderId}` } });
    await clearMarks();
    const deleted = await postAdminAction(stack.appUrl, "/app/offers", { intent: "delete", id: grant.ruleId }, domain);
    expect(deleted.status).toBeLessThan(400);
    expect(await stack.db.offerGrant.count({ where: { id: grant.id } })).toBe(0);
    expect(await markedDays()).toEqual([grantDay]);
  });

  it("approving the pending points (the worker's periodic task) marks the entries' day", async () => {
    await stack.advance(15 * 86_400);
    await clearMarks();
    expect(await approveDuePoints(stack.db, await sandboxClock())).toBeGreaterThanOrEqual(1);
    const earn = await stack.db.pointsEntry.findFirstOrThrow({
      where: { shopId: shop.id, kind: "earn", member: { email: "touch-offer@example.com" } },
      orderBy: { createdAt: "asc" },
    });
    expect(earn.status).toBe("approved");
    expect(shopDay(earn.createdAt)).not.toBe(shopDay(await stack.now())); // the Points earned email marks today
    expect(await markedDays()).toContain(shopDay(earn.createdAt));
  });
});

describe("reviews and NPS", () => {
  let placed: PlacedOrder;

  it("a review submitted on the hosted page marks the day it was submitted; so does moderation", async () => {
    await stack.startWorker();
    const products = stack.services.emulator.shop(domain).products;
    placed = await stack.place({ email: "touch-review@example.com", firstName: "Rita", country: "FR", lineItems: [{ productId: products[0].id }] });
    const { fulfillmentId } = await fulfil(placed.orderId);
    await stack.shipmentEvent(fulfillmentId, "delivered");
    const main = (await messageOf(placed.orderId, "review_request"))!;
    await stack.advanceTo(new Date(main.dueAt.getTime() + 60_000));
    await expect.poll(async () => (await messageOf(placed.orderId, "review_request"))?.status, { timeout: 20_000 }).toBe("sent");
    await stack.stopWorker();
    const link = /href="([^"]+)"[^>]*>\s*Write a review/
      .exec(mailTo("touch-review@example.com", "How do you like your purchase").html)![1]
      .replace(/&amp;/g, "&");

    await stack.advance(2 * 86_400); // the reminder cancelled by the review sits on the send day
    await clearMarks();
    const response = await postForm(link, { "rating-1": "4", "title-1": "Warm", "body-1": "" });
    expect(response.status).toBe(200);
    const review = await stack.db.review.findFirstOrThrow({ where: { shopId: shop.id, messageId: main.id } });
    const reminder = (await messageOf(placed.orderId, "review_request", "reminder"))!;
    expect(reminder.status).toBe("cancelled");
    expect(shopDay(reminder.createdAt)).not.toBe(shopDay(review.submittedAt)); // its cancellation marks its own day
    expect(await markedDays()).toEqual([shopDay(reminder.createdAt), shopDay(review.submittedAt)].sort());

    await stack.advance(86_400);
    await clearMarks();
    const hidden = await postAdminAction(stack.appUrl, "/app/reviews", { intent: "hide", id: review.id, reason: "Touch test" }, domain);
    expect(hidden.status).toBe(200);
    expect((await stack.db.review.findUniqueOrThrow({ where: { id: review.id } })).status).toBe("hidden");
    expect(await markedDays()).toEqual([shopDay(review.submittedAt)]);
  });

  it("an NPS answer marks the day it was given", async () => {
    await stack.startWorker();
    const survey = (await messageOf(placed.orderId, "nps"))!;
    await stack.advanceTo(new Date(Math.max(survey.dueAt.getTime(), (await stack.now()).getTime()) + 5 * 60_000));
    await expect.poll(async () => (await messageOf(placed.orderId, "nps"))?.status, { timeout: 20_000 }).toBe("sent");
    await stack.stopWorker();
    const mail = mailTo("touch-review@example.com", "One quick question from");
    const url = [...mail.text.matchAll(/^9: (https?:\/\/\S+)$/gm)][0]?.[1];
    expect(url).toBeDefined();
    const target = new URL(url!).pathname.startsWith("/c/")
      ? (JSON.parse(Buffer.from(new URL(url!).pathname.slice(3).split(".")[1], "base64url").toString("utf8")) as { u: string }).u
      : url!;

    await stack.advance(86_400);
    await clearMarks();
    expect((await postForm(target, { score: "9", comment: "" })).status).toBe(200);
    const answer = await stack.db.npsResponse.findUniqueOrThrow({ where: { messageId: survey.id } });
    expect(await markedDays()).toEqual([shopDay(answer.respondedAt)]);
  });
});

describe("shipping delays and apology codes", () => {
  const delayFlow = () => stack.db.flow.findFirstOrThrow({ where: { shopId: shop.id, key: "shipping_delay" } });

  it("a carrier exception opens an incident that marks the day it was detected", async () => {
    await stack.db.flow.update({ where: { id: (await delayFlow()).id }, data: { enabled: false } }); // no notice: the incident alone
    try {
      const placed = await stack.place({ email: "touch-delay@example.com", country: "US", province: "NY" });
      const { fulfillmentId } = await fulfil(placed.orderId);
      await stack.advance(86_400); // the order's own marks sit on the day it was placed
      await clearMarks();
      await stack.shipmentEvent(fulfillmentId, "delayed");
      const order = await orderOf(placed.orderId);
      const incident = await stack.db.delayIncident.findUniqueOrThrow({ where: { orderId_cause: { orderId: order.id, cause: "carrier_exception" } } });
      expect(shopDay(incident.detectedAt)).not.toBe(shopDay(order.placedAt!));
      expect(await messageOf(placed.orderId, "shipping_delay", "carrier_exception")).toBeNull();
      expect(await markedDays()).toContain(shopDay(incident.detectedAt)); // next to the order's own day
    } finally {
      await stack.db.flow.update({ where: { id: (await delayFlow()).id }, data: { enabled: true } });
    }
  });

  it("the notice's apology code (created by the worker's notice step) marks its day; its redemption marks it again", async () => {
    const placed = await stack.place({ email: "touch-apology@example.com", country: "US", province: "NY" });
    const { fulfillmentId } = await fulfil(placed.orderId);
    await stack.shipmentEvent(fulfillmentId, "delayed");
    const message = (await messageOf(placed.orderId, "shipping_delay", "carrier_exception"))!;
    expect(message.status).toBe("scheduled");

    await stack.advance(86_400);
    await clearMarks();
    const order = await orderOf(placed.orderId);
    const outcome = await ensureApologyCode(
      { db: stack.db, clock: await sandboxClock(), graphql },
      { shop, settings: await delaySettingsFor(stack.db, shop.id), messageId: message.id, order },
    );
    expect(outcome.kind).toBe("code");
    const code = await stack.db.discountCode.findUniqueOrThrow({ where: { messageId: message.id } });
    expect(code.status).toBe("created");
    expect(await markedDays()).toEqual([shopDay(code.createdAt)]);

    await stack.advance(86_400);
    await clearMarks();
    const later = await stack.place({ email: "touch-apology@example.com", country: "US", province: "NY", discountCode: code.code });
    expect((await stack.db.discountCode.findUniqueOrThrow({ where: { id: code.id } })).redeemedOrderGid).toBe(`gid://shopify/Order/${later.orderId}`);
    expect(shopDay((await orderOf(later.orderId)).placedAt!)).not.toBe(shopDay(code.createdAt));
    expect(await markedDays()).toContain(shopDay(code.createdAt));
  });
});
