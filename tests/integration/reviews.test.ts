// Review requests end to end: delivery → request 7 days later (recipient zone) → email with a signed
// link → hosted page (GET records nothing, POST records once) → reminder cancelled → ratings written
// to Shopify's product metafields through the Admin API emulator, and recomputed on moderation.
import { beforeEach, describe, expect, it } from "vitest";
import type { CapturedMail } from "../../sandbox/mail/catcher";
import { sign } from "../../app/engine/links/tokens";
import { postAdminAction } from "../support/admin-actions";
import { placeInFrance, type Buyer } from "../support/buyers";
import { postWebhook, testLinkKeys, type Stack, postForm } from "../support/stack";
import { useDemoShop } from "../support/use-stack";

let stack: Stack;
let shop: string;
let productA: { id: number; gid: string; title: string };
let productB: { id: number; gid: string; title: string };

const DAY = 86_400_000;
const ROSA = { email: "rosa@example.com", firstName: "Rosa", lastName: "Parker" };
const reviewMails = (email: string): CapturedMail[] => stack.mailsTo(email, "How do you like your purchase");

async function reviewMessages(orderId: string) {
  return stack.db.message.findMany({
    where: { order: { shopifyId: `gid://shopify/Order/${orderId}` }, flow: { key: "review_request" } },
    include: { events: { orderBy: { at: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
}
const mainOf = async (orderId: string) => (await reviewMessages(orderId)).find((m) => m.step === "main");
const reminderOf = async (orderId: string) => (await reviewMessages(orderId)).find((m) => m.step === "reminder");

function reviewLink(mail: CapturedMail): string {
  const href = /href="([^"]+)"[^>]*>\s*Write a review/.exec(mail.html)?.[1]?.replace(/&amp;/g, "&");
  expect(href).toBeDefined();
  return href!;
}

/** The hosted page's URL behind the email's (tracked) link. */
async function pageUrl(mail: CapturedMail): Promise<string> {
  const href = reviewLink(mail);
  expect(href).toMatch(new RegExp(`^${stack.appUrl}/r/`)); // straight to the hosted page (not through /c/)
  return href;
}

/** Places, ships and delivers an order; returns when the review request is sent. */
async function deliveredAndAsked(buyer: Buyer, products: { id: number }[]) {
  const placed = await placeInFrance(stack, buyer, products);
  const { fulfillmentId } = await stack.fulfil(placed.orderId);
  await stack.shipmentEvent(fulfillmentId, "delivered");
  const main = await mainOf(placed.orderId);
  expect(main).toMatchObject({ status: "scheduled", anchor: "delivered" });
  await stack.advanceTo(new Date(main!.dueAt.getTime() + 60_000));
  await expect.poll(async () => (await mainOf(placed.orderId))?.status, { timeout: 20_000 }).toBe("sent");
  return { placed, main: (await mainOf(placed.orderId))! };
}

async function metafieldCalls(productGid: string) {
  const calls =
    await stack.emulator<{ query: string; variables?: { metafields?: { ownerId: string; key: string; value: string; type: string }[] } }[]>("/admin-calls");
  return calls
    .filter((c) => c.query.includes("metafieldsSet") && c.variables?.metafields?.some((m) => m.ownerId === productGid))
    .map((c) => c.variables!.metafields!);
}

/** What a theme would read: the product's metafields through the Admin GraphQL API. */
async function productMetafields(productGid: string) {
  const session = await stack.db.session.findFirstOrThrow({ where: { shop, isOnline: false } });
  const response = await fetch(`${stack.services.adminApiUrl}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken, "X-Shopify-Shop-Domain": shop },
    body: JSON.stringify({
      query: `query($id: ID!) { product(id: $id) { rating: metafield(namespace: "reviews", key: "rating") { value type } count: metafield(namespace: "reviews", key: "rating_count") { value type } } }`,
      variables: { id: productGid },
    }),
  });
  const json = (await response.json()) as {
    data: { product: { rating: { value: string; type: string } | null; count: { value: string; type: string } | null } };
  };
  return json.data.product;
}

const ratingOf = (productGid: string) => stack.db.productRating.findFirst({ where: { productId: productGid } });

// Reviews are the subject here: let them through next to the thank-you and check-in emails.
useDemoShop({}, { frequencyCapCount: 20, quietHoursStart: "21:00", quietHoursEnd: "08:00" }, async (started, domain) => {
  stack = started;
  shop = domain;
  const products = stack.services.emulator.shop(shop).products;
  productA = { id: products[0].id, gid: `gid://shopify/Product/${products[0].id}`, title: products[0].title };
  productB = { id: products[1].id, gid: `gid://shopify/Product/${products[1].id}`, title: products[1].title };
  await stack.startWorker();
  // 13:00 UTC: daytime in Paris, whatever the day.
  const now = await stack.now();
  await stack.advanceTo(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 13)));
});
beforeEach(() => stack.services.emulator.clearFaults());

describe("the review request", () => {
  let link = "";
  let orderId = "";

  it("goes out 7 days after delivery, in the recipient's zone, asking about the kept items with a signed link", async () => {
    const placed = await placeInFrance(stack, ROSA, [productA, productB]);
    orderId = placed.orderId;
    const { fulfillmentId } = await stack.fulfil(placed.orderId);
    await stack.advance(2 * 3600);
    await stack.shipmentEvent(fulfillmentId, "delivered");
    const deliveredAt = await stack.now();
    const main = (await mainOf(placed.orderId))!;
    expect(main).toMatchObject({ status: "scheduled", anchor: "delivered", timezone: "Europe/Paris", category: "survey" });
    expect(Math.abs(main.dueAt.getTime() - (deliveredAt.getTime() + 7 * DAY))).toBeLessThan(5 * 60_000);

    await stack.advanceTo(new Date(main.dueAt.getTime() - 3600_000));
    await stack.idle();
    expect((await mainOf(placed.orderId))!.status).toBe("scheduled");
    await stack.advanceTo(new Date(main.dueAt.getTime() + 60_000));
    await expect.poll(async () => (await mainOf(placed.orderId))?.status, { timeout: 20_000 }).toBe("sent");

    const [mail] = reviewMails(ROSA.email);
    expect(mail).toBeDefined();
    link = await pageUrl(mail);
    expect(link).toMatch(new RegExp(`^${stack.appUrl}/r/[A-Za-z0-9]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    expect(link).not.toContain("rosa");
    expect(link).not.toContain("%40");
    expect(Buffer.from(link.split("/r/")[1].split(".")[1], "base64url").toString()).not.toContain("@");
    const asks = await stack.db.reviewAsk.findMany({ where: { messageId: main.id } });
    expect(asks.map((a) => a.productId).sort()).toEqual([productA.gid, productB.gid].sort());
    // The reminder waits 5 days after the send.
    await expect.poll(async () => (await reminderOf(placed.orderId))?.status, { timeout: 10_000 }).toBe("scheduled");
    const reminder = (await reminderOf(placed.orderId))!;
    expect(reminder).toMatchObject({ status: "scheduled", anchor: "previous_send" });
  });

  it("a tampered or expired token shows 404 and records nothing; GET never records", async () => {
    const before = {
      reviews: await stack.db.review.count(),
      events: await stack.db.messageEvent.count(),
      jobs: await stack.db.job.count({ where: { kind: "reviews.sync_rating" } }),
      asks: await stack.db.reviewAsk.count(),
      ratings: await stack.db.productRating.count(),
    };
    const token = link.split("/r/")[1];
    const tampered = token.slice(0, 8) + (token[8] === "A" ? "B" : "A") + token.slice(9);
    const main = (await mainOf(orderId))!;
    const expired = sign(testLinkKeys(), { t: "r", m: main.id }, new Date((await stack.now()).getTime() - 1000));
    for (const t of [tampered, expired, "nope"]) {
      const get = await fetch(`${stack.appUrl}/r/${t}`);
      expect(get.status).toBe(404);
      expect(await get.text()).toContain("This link is not valid");
      expect((await postForm(`${stack.appUrl}/r/${t}`, { "rating-1": "5", "rating-2": "5" })).status).toBe(404);
    }

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain(productA.title);
    expect(html).toContain(productB.title);
    expect(html).toContain("Trustloop Demo Outfitters");
    expect(html).not.toContain("<script");
    await fetch(link);
    expect({
      reviews: await stack.db.review.count(),
      events: await stack.db.messageEvent.count(),
      jobs: await stack.db.job.count({ where: { kind: "reviews.sync_rating" } }),
      asks: await stack.db.reviewAsk.count(),
      ratings: await stack.db.productRating.count(),
    }).toEqual(before);
  });

  it("an invalid POST records nothing and shows the form again", async () => {
    const response = await postForm(link, { "rating-1": "", "title-1": "No stars given", "rating-2": "9" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Choose a star rating for this item");
    expect(html).toContain("No stars given");
    expect(await stack.db.review.count({ where: { messageId: (await mainOf(orderId))!.id } })).toBe(0);
  });

  it("POST records one verified review per rated item, once; the reminder is cancelled; ratings reach the metafields", async () => {
    const fields = { "rating-1": "4", "title-1": "Comfy", "body-1": "<script>alert(1)</script> & fits well", "rating-2": "5", "title-2": "", "body-2": "" };
    const [first, second] = await Promise.all([postForm(link, fields), postForm(link, fields)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const firstHtml = await first.text();
    expect(firstHtml).toContain("Thank you for your review!");
    expect(await second.text()).toContain("Thank you for your review!");
    const third = await postForm(link, { ...fields, "rating-1": "1" });
    expect(await third.text()).toContain("We already have your review");

    const main = (await mainOf(orderId))!;
    const reviews = await stack.db.review.findMany({ where: { messageId: main.id }, orderBy: { productId: "asc" } });
    expect(reviews).toHaveLength(2);
    const a = reviews.find((r) => r.productId === productA.gid)!;
    expect(a).toMatchObject({
      rating: 4,
      title: "Comfy",
      body: "<script>alert(1)</script> & fits well",
      verifiedBuyer: true,
      status: "published",
      authorName: "Rosa P.",
    });
    expect(reviews.find((r) => r.productId === productB.gid)).toMatchObject({ rating: 5, title: null, body: null });

    const reminder = (await reminderOf(orderId))!;
    expect(reminder).toMatchObject({ status: "cancelled", reason: "review received" });

    // GET afterwards: the thank-you, still nothing new.
    expect(await (await fetch(link)).text()).toContain("We already have your review");

    await expect.poll(async () => (await ratingOf(productA.gid))?.syncStatus, { timeout: 20_000 }).toBe("synced");
    expect(await ratingOf(productA.gid)).toMatchObject({ average: 4, count: 1 });
    const calls = await metafieldCalls(productA.gid);
    expect(calls.at(-1)).toEqual([
      { ownerId: productA.gid, namespace: "reviews", key: "rating", type: "rating", value: '{"value":"4.0","scale_min":"1.0","scale_max":"5.0"}' },
      { ownerId: productA.gid, namespace: "reviews", key: "rating_count", type: "number_integer", value: "1" },
    ]);
    expect(await productMetafields(productA.gid)).toEqual({
      rating: { value: '{"value":"4.0","scale_min":"1.0","scale_max":"5.0"}', type: "rating" },
      count: { value: "1", type: "number_integer" },
    });
  });
});

describe("which orders are asked, about what", () => {
  it("a partial refund: only the kept items are asked about; a second review moves the average; hiding recomputes it", async () => {
    const placed = await placeInFrance(stack, { email: "partial@example.com", firstName: "Noor" }, [productA, productB]);
    const order = await stack.db.order.findFirstOrThrow({ where: { shopifyId: `gid://shopify/Order/${placed.orderId}` }, include: { lineItems: true } });
    const itemB = order.lineItems.find((li) => li.productId === productB.gid)!;
    const refundResponse = await postWebhook(
      stack.appUrl,
      "refunds/create",
      {
        id: 880_000_000 + Math.floor(Math.random() * 1_000_000),
        order_id: Number(placed.orderId),
        created_at: new Date().toISOString(),
        refund_line_items: [
          { line_item_id: Number(itemB.shopifyId.split("/").pop()), quantity: itemB.quantity, subtotal: (itemB.priceCents / 100).toFixed(2) },
        ],
        transactions: [{ amount: (itemB.priceCents / 100).toFixed(2), kind: "refund", status: "success" }],
      },
      { shop },
    );
    expect(refundResponse.status).toBe(200);
    await stack.applyWebhooks();
    const { fulfillmentId } = await stack.fulfil(placed.orderId);
    await stack.shipmentEvent(fulfillmentId, "delivered");
    const main = (await mainOf(placed.orderId))!;
    await stack.advanceTo(new Date(main.dueAt.getTime() + 60_000));
    await expect.poll(async () => (await mainOf(placed.orderId))?.status, { timeout: 20_000 }).toBe("sent");
    expect((await stack.db.reviewAsk.findMany({ where: { messageId: main.id } })).map((a) => a.productId)).toEqual([productA.gid]);

    const link = await pageUrl(reviewMails("partial@example.com")[0]);
    const html = await (await fetch(link)).text();
    expect(html).toContain(productA.title);
    expect(html).not.toContain(productB.title);
    expect((await postForm(link, { "rating-1": "2", "body-1": "Too small" })).status).toBe(200);
    const review = await stack.db.review.findFirstOrThrow({ where: { messageId: main.id } });
    expect(review.authorName).toMatch(/^Noor [A-Z]\.$/);

    await expect.poll(async () => ratingOf(productA.gid), { timeout: 20_000 }).toMatchObject({ average: 3, count: 2, syncStatus: "synced" });
    expect((await productMetafields(productA.gid)).rating?.value).toBe('{"value":"3.0","scale_min":"1.0","scale_max":"5.0"}');
    expect((await productMetafields(productA.gid)).count?.value).toBe("2");

    // Hiding the 2-star review (with a reason) recomputes and re-syncs.
    const hidden = await postAdminAction(stack.appUrl, "/app/reviews", { intent: "hide", id: review.id, reason: "Spam test" }, shop);
    expect(hidden.status).toBe(200);
    expect(await stack.db.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: "hidden", hiddenReason: "Spam test" });
    await expect.poll(async () => ratingOf(productA.gid), { timeout: 20_000 }).toMatchObject({ average: 4, count: 1, syncStatus: "synced" });
    expect(await productMetafields(productA.gid)).toMatchObject({
      rating: { value: '{"value":"4.0","scale_min":"1.0","scale_max":"5.0"}' },
      count: { value: "1" },
    });
  });

  it("the same product is not asked again within 12 months: skipped with the reason", async () => {
    const placed = await placeInFrance(stack, ROSA, [productA]);
    const { fulfillmentId } = await stack.fulfil(placed.orderId);
    await stack.shipmentEvent(fulfillmentId, "delivered");
    const main = (await mainOf(placed.orderId))!;
    const mailsBefore = reviewMails(ROSA.email).length;
    await stack.advanceTo(new Date(main.dueAt.getTime() + 60_000));
    await expect.poll(async () => (await mainOf(placed.orderId))?.status, { timeout: 20_000 }).toBe("skipped");
    expect((await mainOf(placed.orderId))?.reason).toBe("already asked about these products within 12 months");
    expect(await stack.db.reviewAsk.count({ where: { messageId: main.id } })).toBe(0);
    expect(reviewMails(ROSA.email)).toHaveLength(mailsBefore);
  });

  it("no delivery scan: planned at the fallback (14 days after the last shipment)", async () => {
    const placed = await placeInFrance(stack, { email: "noscan@example.com" }, [productB]);
    await stack.fulfil(placed.orderId);
    const shippedAt = await stack.now();
    const main = (await mainOf(placed.orderId))!;
    expect(main).toMatchObject({ status: "scheduled", anchor: "fallback" });
    expect(Math.abs(main.anchorAt.getTime() - (shippedAt.getTime() + 14 * DAY))).toBeLessThan(5 * 60_000);
    expect(main.dueAt.getTime() - main.anchorAt.getTime()).toBe(7 * DAY);
  });

  it("cancelled or fully refunded orders: no request", async () => {
    const cancelled = await placeInFrance(stack, { email: "cancelled-review@example.com" }, [productB]);
    const c = await stack.fulfil(cancelled.orderId);
    await stack.shipmentEvent(c.fulfillmentId, "delivered");
    expect((await mainOf(cancelled.orderId))?.status).toBe("scheduled");
    await stack.control(`/sandbox/api/orders/${cancelled.orderId}/cancel`, {});
    expect(await mainOf(cancelled.orderId)).toMatchObject({ status: "cancelled", reason: "order cancelled" });

    const refunded = await placeInFrance(stack, { email: "refunded-review@example.com" }, [productB]);
    const r = await stack.fulfil(refunded.orderId);
    await stack.shipmentEvent(r.fulfillmentId, "delivered");
    await stack.control(`/sandbox/api/orders/${refunded.orderId}/refund`, {});
    expect(await mainOf(refunded.orderId)).toMatchObject({ status: "cancelled", reason: "order fully refunded" });

    await stack.advance(8 * 86_400);
    await stack.idle();
    expect(reviewMails("cancelled-review@example.com")).toHaveLength(0);
    expect(reviewMails("refunded-review@example.com")).toHaveLength(0);
  });
});

describe("the reminder", () => {
  it("goes out 5 days later with the same link when no review came", async () => {
    const { placed, main } = await deliveredAndAsked({ email: "reminder@example.com" }, [productB]);
    await expect.poll(async () => (await reminderOf(placed.orderId))?.status, { timeout: 10_000 }).toBe("scheduled");
    const reminder = (await reminderOf(placed.orderId))!;
    expect(reminder.dueAt.getTime() - main.sentAt!.getTime()).toBe(5 * DAY);
    await stack.advanceTo(new Date(reminder.dueAt.getTime() + 60_000));
    await expect.poll(async () => (await reminderOf(placed.orderId))?.status, { timeout: 20_000 }).toBe("sent");
    const mails = reviewMails("reminder@example.com");
    expect(mails).toHaveLength(2);
    expect(await pageUrl(mails[1])).toBe(await pageUrl(mails[0]));
  });
});

describe("metafield sync failures", () => {
  it("a userErrors answer marks the rating failed with the error, and the retry syncs it", async () => {
    const { placed } = await deliveredAndAsked({ email: "syncfail@example.com" }, [productB]);
    await stack.emulator("/faults", { operation: "TrustloopRatingSet", mode: "user-error", times: 1, message: "Value is invalid" });
    const link = await pageUrl(reviewMails("syncfail@example.com")[0]);
    expect((await postForm(link, { "rating-1": "3" })).status).toBe(200);
    await expect.poll(async () => (await ratingOf(productB.gid))?.syncStatus, { timeout: 20_000 }).toBe("failed");
    expect((await ratingOf(productB.gid))?.syncError).toContain("Value is invalid");
    const job = await stack.db.job.findFirstOrThrow({ where: { kind: "reviews.sync_rating", lastError: { contains: "Value is invalid" } } });
    expect(job.status).toBe("pending");
    await stack.advance(120);
    await expect.poll(async () => (await ratingOf(productB.gid))?.syncStatus, { timeout: 20_000 }).toBe("synced");
    expect(placed.orderId).toBeTruthy();
  });
});
