// The survey extension, the answer (once per email, tenure, case) and the case emails, against a
// real PostgreSQL database.
import { describe, expect, it } from "vitest";
import type { Flow, Order, Shop } from "@prisma/client";
import type { Db } from "../../db.server";
import { useTempDb } from "../../../tests/support/temp-db";
import { makeFlow, makeOrder, makeShop, type OrderOverrides } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import { linkKeys, verify } from "../links/tokens";
import type { Mailer, OutgoingEmail, SendOutcome } from "../email/transport";
import type { PrepareInput } from "../messages/extensions";
import { dedupeKey } from "../flows/planner";
import { npsSurvey } from "./survey";
import { parseScore, readNpsToken, LINK_VALIDITY_MS } from "./links";
import { cleanComment, findSurvey, reviewRequestFor, segmentOf, submitAnswer, tenureOf } from "./respond";
import { detractorNotification, notifyDetractor, responseTimeMs, sendCaseReply, setCaseStatus } from "./cases";

const secret = linkKeys([{ kid: "t1", secret: "test-link-secret-0123456789abcdefgh" }]);
const start = new Date("2026-11-20T12:00:00Z");
let db: Db;
let shop: Shop;
let nps: Flow;

useTempDb("nps", async (created) => {
  db = created.db;
  shop = await makeShop(db, { name: "Acme & Co", contactEmail: "owner@acme.example", installedAt: start });
  nps = await makeFlow(db, shop, { key: "nps", name: "NPS survey", trigger: "delivered", category: "survey", throttleDays: 90 });
});

/** An order of the customer with this address (their orders share a customer gid). */
async function order(email: string, placedAt: Date, extra: OrderOverrides = {}) {
  return makeOrder(db, shop, { customer: null, email, customerShopifyId: `gid://shopify/Customer/${email}`, placedAt, ...extra });
}
async function survey(o: Order, flow: Flow = nps) {
  const key = dedupeKey(shop.id, o.shopifyId, flow.key, "main");
  return db.message.create({
    data: {
      shopId: shop.id,
      orderId: o.id,
      flowId: flow.id,
      dedupeKey: key,
      rfcMessageId: key,
      category: "survey",
      status: "sent",
      recipient: o.email,
      anchor: "delivered",
      anchorAt: start,
      dueAt: start,
      sendAt: start,
      sentAt: start,
    },
  });
}

class FakeMailer implements Mailer {
  sent: OutgoingEmail[] = [];
  constructor(private outcome: SendOutcome = { status: "sent", response: "250 ok" }) {}
  async send(email: OutgoingEmail) {
    this.sent.push(email);
    return this.outcome;
  }
  close() {}
}
const from = { address: "hello@trustloop.example", name: "Trustloop" };

describe("the survey email extension", () => {
  it("asks the question and links 0–10 to /n/<token>?score=N: a signed message id, 180 days, no address", async () => {
    const o = await order("ext@example.com", start);
    const message = await survey(o);
    const clock = new ManualClock(start);
    const prepared = await npsSurvey({ appUrl: "https://app.example.com/", secret }).prepare({ clock, message, shop } as unknown as PrepareInput);
    if (!prepared.ok) throw new Error("not ok");
    expect(prepared.context).toEqual({ nps: { question: "How likely are you to recommend Acme & Co to a friend or colleague?" } });
    const links = prepared.scale!.links;
    expect(links.map((l) => l.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const l of links) {
      expect(l.url).toMatch(new RegExp(`^https://app\\.example\\.com/n/t1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\?score=${l.value}$`));
      expect(l.url).not.toContain("ext%40example");
      expect(l.url).not.toContain("ext@example");
    }
    const token = new URL(links[3].url).pathname.split("/")[2];
    expect(readNpsToken(secret, token, start)).toEqual({ t: "n", m: message.id });
    expect(readNpsToken(secret, token, new Date(start.getTime() + LINK_VALIDITY_MS - 1000))).not.toBeNull();
    expect(readNpsToken(secret, token, new Date(start.getTime() + LINK_VALIDITY_MS))).toBeNull();
    expect(readNpsToken(secret, token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA"), start)).toBeNull();
    expect(verify(secret, token, start)).toEqual({ t: "n", m: message.id }); // payload holds nothing else
  });
});

describe("parsing", () => {
  it("accepts integer scores 0–10 only and cleans comments", () => {
    expect(["0", "10", " 7 "].map(parseScore)).toEqual([0, 10, 7]);
    expect(["11", "-1", "3.5", "", "x", null, "01"].map(parseScore)).toEqual([null, null, null, null, null, null, null]);
    expect([0, 6, 7, 8, 9, 10].map(segmentOf)).toEqual(["detractor", "detractor", "passive", "passive", "promoter", "promoter"]);
    expect(cleanComment("  hi\r\nthere\u0000 ")).toBe("hi\nthere");
    expect(cleanComment("   ")).toBeNull();
    expect(cleanComment("x".repeat(3000))).toHaveLength(2000);
  });
});

describe("answering", () => {
  it("records one answer per email with tenure and flow; a second submit changes nothing; a detractor opens one case", async () => {
    const clock = new ManualClock(start);
    const first = await order("ana@example.com", new Date("2026-10-01T00:00:00Z"));
    await order("ana@example.com", new Date("2026-10-05T00:00:00Z"), { cancelledAt: new Date("2026-10-06T00:00:00Z") }); // cancelled: not counted
    const o = await order("ana@example.com", new Date("2026-11-01T00:00:00Z"));
    const lone = await order("solo@example.com", new Date("2026-11-01T00:00:00Z"));
    expect(await tenureOf(db, first.id)).toBe("first");
    expect(await tenureOf(db, o.id)).toBe("returning");
    expect(await tenureOf(db, lone.id)).toBe("first");

    const target = (await findSurvey(db, (await survey(o)).id))!;
    const once = await submitAnswer(db, clock, target, { score: 3, comment: "<script>x</script> late" });
    expect(once).toMatchObject({ created: true, answer: { score: 3, segment: "detractor" } });
    const twice = await submitAnswer(db, clock, target, { score: 10, comment: "changed my mind" });
    expect(twice).toMatchObject({ created: false, answer: { score: 3, comment: "<script>x</script> late", caseId: once.answer.caseId } });
    const rows = await db.npsResponse.findMany({ where: { messageId: target.messageId }, include: { followUp: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tenure: "returning",
      flowId: nps.id,
      orderId: o.id,
      score: 3,
      customerShopifyId: "gid://shopify/Customer/ana@example.com",
    });
    expect(rows[0].followUp).toMatchObject({ status: "open", openedAt: start, contactedAt: null });

    // Racing submits: both see no answer yet, the unique message id lets one through.
    const racing = (await findSurvey(db, (await survey(lone)).id))!;
    const results = await Promise.all([9, 2].map((score) => submitAnswer(db, clock, racing, { score, comment: null })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.npsResponse.count({ where: { messageId: racing.messageId } })).toBe(1);
    expect(new Set(results.map((r) => r.answer.score)).size).toBe(1);
  });

  it("a passive or promoter opens no case; the review page is offered only when a review request went out", async () => {
    const clock = new ManualClock(start);
    const o = await order("promo@example.com", start);
    const target = (await findSurvey(db, (await survey(o)).id))!;
    const answer = await submitAnswer(db, clock, target, { score: 9, comment: null });
    expect(answer.answer.caseId).toBeNull();
    expect(await reviewRequestFor(db, target)).toBeNull();

    const reviews = await makeFlow(db, shop, { key: "review_request", trigger: "delivered", category: "survey" });
    const request = await survey(o, reviews);
    expect(await reviewRequestFor(db, target)).toEqual({ messageId: request.id });
    await db.review.create({
      data: {
        shopId: shop.id,
        messageId: request.id,
        productId: "gid://shopify/Product/1",
        productTitle: "P",
        authorName: "P.",
        rating: 5,
        status: "published",
        submittedAt: start,
      },
    });
    expect(await reviewRequestFor(db, target)).toBeNull(); // already reviewed
  });

  it("tokens of other flows, unknown messages and redacted orders are not surveys", async () => {
    const o = await order("nosurvey@example.com", start);
    const thanks = await makeFlow(db, shop, { key: "thank_you" });
    expect(await findSurvey(db, (await survey(o, thanks)).id)).toBeNull();
    expect(await findSurvey(db, "nope")).toBeNull();
    const m = await survey(await order("gone@example.com", start));
    await db.order.delete({ where: { id: m.orderId! } });
    expect(await findSurvey(db, m.id)).toBeNull();
  });
});

describe("case emails", () => {
  it("the notification escapes the comment and keeps the customer's address out", () => {
    const email = detractorNotification(
      {
        shopName: "Acme & Co",
        contactEmail: "owner@acme.example",
        caseId: "c1",
        score: 2,
        comment: `<img src=x onerror="alert(1)"> bad`,
        orderName: "#1001",
        caseUrl: "https://acme.myshopify.com/admin/apps/key/app/nps?case=c1",
      },
      from,
    );
    expect(email.subject).toBe("NPS: a customer answered 2/10 (order #1001)");
    expect(email.to).toBe("owner@acme.example");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; bad");
    expect(email.text).toContain(`<img src=x onerror="alert(1)"> bad`);
    expect(email.messageId).toBe("<nps-case.c1@trustloop.example>");
  });

  it("notifies only when enabled and an address exists", async () => {
    const mailer = new FakeMailer();
    const c = { caseId: "c2", score: 1, comment: null, orderName: "#1" };
    expect(await notifyDetractor({ mailer, from }, { ...shop, notifyDetractors: false }, c, "key")).toMatchObject({ status: "skipped" });
    expect(await notifyDetractor({ mailer, from }, { ...shop, contactEmail: null }, c, "key")).toMatchObject({ status: "skipped" });
    expect(await notifyDetractor({ mailer, from }, shop, c, "key")).toMatchObject({ status: "sent" });
    expect(mailer.sent).toHaveLength(1);
  });

  it("close the loop: a sent reply is recorded and marks the case contacted; failures change nothing; unknown records without marking", async () => {
    const clock = new ManualClock(start);
    const o = await order("unhappy@example.com", start);
    const target = (await findSurvey(db, (await survey(o)).id))!;
    const { answer } = await submitAnswer(db, clock, target, { score: 1, comment: "broken" });
    const caseId = answer.caseId!;

    const failing = new FakeMailer({ status: "permanent", error: "550 no such user", code: 550, stage: "recipient" });
    expect(await sendCaseReply(db, clock, { mailer: failing, from }, shop, caseId, { subject: "Sorry", body: "Hi" })).toEqual({
      status: "failed",
      reason: "550 no such user",
    });
    expect(await db.npsCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open", replyBody: null });

    const unsure = new FakeMailer({ status: "unknown", error: "connection lost" });
    expect((await sendCaseReply(db, clock, { mailer: unsure, from }, shop, caseId, { subject: "Sorry", body: "Hi" })).status).toBe("unknown");
    expect(await db.npsCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open", replySubject: "Sorry", contactedAt: null });

    clock.advance(90 * 60_000);
    const mailer = new FakeMailer();
    const result = await sendCaseReply(db, clock, { mailer, from }, shop, caseId, {
      subject: "We're sorry\nreally",
      body: "Hi,\r\n\r\nA <b>new</b> one is on its way.",
    });
    expect(result).toEqual({ status: "sent", to: "unhappy@example.com" });
    expect(mailer.sent[0]).toMatchObject({
      to: "unhappy@example.com",
      subject: "We're sorry really",
      replyTo: "owner@acme.example",
      from: { name: "Acme & Co", address: from.address },
    });
    expect(mailer.sent[0].html).toContain("A &lt;b&gt;new&lt;/b&gt; one is on its way.");
    const contacted = await db.npsCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(contacted).toMatchObject({ status: "contacted", replySubject: "We're sorry really", replyBody: "Hi,\n\nA <b>new</b> one is on its way." });
    expect(responseTimeMs(contacted)).toBe(90 * 60_000);

    clock.advance(60_000);
    expect(await setCaseStatus(db, clock, shop.id, caseId, "resolved")).toBe(true);
    const resolved = await db.npsCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(resolved.status).toBe("resolved");
    expect(responseTimeMs(resolved)).toBe(90 * 60_000); // first contact, unchanged
    expect(await setCaseStatus(db, clock, "another-shop", caseId, "open")).toBe(false);
  });

  it("refuses a reply to a suppressed (bounced) address", async () => {
    const clock = new ManualClock(start);
    const o = await order("bounced@example.com", start);
    const { answer } = await submitAnswer(db, clock, (await findSurvey(db, (await survey(o)).id))!, { score: 0, comment: null });
    await db.suppression.create({ data: { shopId: shop.id, email: "bounced@example.com", scope: "all", reason: "bounce" } });
    const mailer = new FakeMailer();
    expect((await sendCaseReply(db, clock, { mailer, from }, shop, answer.caseId!, { subject: "s", body: "b" })).status).toBe("failed");
    expect(mailer.sent).toHaveLength(0);
  });
});
