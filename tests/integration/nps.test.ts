// NPS surveys end to end: delivery scan (signed webhooks) → ledger → worker → the survey email with
// 0–10 links over a real SMTP server → the hosted page (GET records nothing, POST once) →
// detractor case + email to the shop → admin › NPS and "close the loop".
import { describe, expect, it } from "vitest";
import type { CapturedMail } from "../../sandbox/mail/catcher";
import { sign } from "../../app/engine/links/tokens";
import { postAdminAction } from "../support/admin-actions";
import { testLinkKeys, type Stack, postForm } from "../support/stack";
import { useDemoShop } from "../support/use-stack";

let stack: Stack;
let shop: string;

const DAY = 86_400_000;
const SUBJECT = "One quick question from";
const surveyMails = (email: string): CapturedMail[] => stack.mailsTo(email, SUBJECT);

async function npsMessage(orderId: string) {
  return stack.db.message.findFirst({
    where: { order: { shopifyId: `gid://shopify/Order/${orderId}` }, flow: { key: "nps" } },
    include: { events: { orderBy: { at: "asc" } } },
  });
}

/** The next moment after sandbox now at hh:00 UTC. */
async function moveTo(hh: number) {
  const now = await stack.now();
  const t = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hh));
  if (t.getTime() <= now.getTime() + 60_000) t.setUTCDate(t.getUTCDate() + 1);
  return stack.advanceTo(t);
}

/**
 * The score links of a captured survey email, from its text part ("N: url" lines). A tracked
 * link (/c/<token>) is resolved to its target, so the test holds whether or not the worker wraps
 * the app's own pages.
 */
function scoreLinks(mail: CapturedMail): Map<number, string> {
  const links = new Map<number, string>();
  for (const [, n, url] of mail.text.matchAll(/^(\d{1,2}): (https?:\/\/\S+)$/gm)) {
    const path = new URL(url).pathname;
    if (path.startsWith("/c/")) {
      const payload = JSON.parse(Buffer.from(path.slice(3).split(".")[1], "base64url").toString("utf8")) as { u: string };
      links.set(Number(n), payload.u);
    } else links.set(Number(n), url);
  }
  return links;
}

/** Places an order in France (14:00 in Paris at 13:00 UTC), ships it and scans it delivered. */
async function deliveredOrder(email: string, firstName = "Nora") {
  await moveTo(13);
  const placed = await stack.place({ email, firstName, country: "FR" });
  const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill`, {
    trackingNumber: `NPS-${placed.orderId}`,
  });
  await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events`, { status: "delivered" });
  return placed;
}

/** Delivered, then 14 days later the survey goes out: returns its links. */
async function surveyed(email: string, firstName?: string) {
  const placed = await deliveredOrder(email, firstName);
  const planned = await npsMessage(placed.orderId);
  expect(planned).toMatchObject({ status: "scheduled", anchor: "delivered" });
  expect(planned!.dueAt.getTime() - planned!.anchorAt.getTime()).toBe(14 * DAY);
  await stack.advanceTo(new Date(planned!.dueAt.getTime() + 5 * 60_000));
  await expect.poll(async () => (await npsMessage(placed.orderId))?.status, { timeout: 20_000 }).toBe("sent");
  const mails = surveyMails(email);
  expect(mails).toHaveLength(1);
  return { placed, message: (await npsMessage(placed.orderId))!, mail: mails[0], links: scoreLinks(mails[0]) };
}

// The survey is the subject here: let it through next to the other flows of the order.
useDemoShop({ workers: 1 }, { frequencyCapCount: 10 }, (started, domain) => {
  stack = started;
  shop = domain;
});

describe("the NPS survey", () => {
  let promoter: Awaited<ReturnType<typeof surveyed>>;

  it("goes out 14 days after the delivery scan with 11 links 0–10 and no address in any URL", async () => {
    promoter = await surveyed("nps-promoter@example.com");
    const { mail, links, message } = promoter;
    expect(mail.subject).toBe("One quick question from Trustloop Demo Outfitters");
    expect(mail.text).toContain("How likely are you to recommend Trustloop Demo Outfitters to a friend or colleague?");
    expect([...links.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const tokens = new Set<string>();
    for (const [n, url] of links) {
      const u = new URL(url);
      expect(u.origin).toBe(stack.appUrl);
      expect(u.pathname).toMatch(/^\/n\/[A-Za-z0-9]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(u.searchParams.get("score")).toBe(String(n));
      tokens.add(u.pathname);
    }
    expect(tokens.size).toBe(1);
    // Eleven buttons in the HTML part too, and the address nowhere in a link.
    const hrefs = [...mail.html.matchAll(/<a href="([^"]+)"[^>]*>(\d{1,2})<\/a>/g)];
    expect(hrefs.map((h) => h[2])).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    for (const m of [...mail.html.matchAll(/href="([^"]+)"/g), ...mail.text.matchAll(/(https?:\/\/\S+)/g)]) {
      expect(decodeURIComponent(m[1])).not.toContain("nps-promoter");
    }
    // Planned at the shipment with the 21-day fallback, re-planned by the delivery scan.
    expect(message.events.map((e) => e.status)).toEqual(["scheduled", "replanned", "sending", "sent"]);
  });

  it("GET with a score shows it pre-selected and records nothing; POST records once; a second POST adds nothing", async () => {
    const url = promoter.links.get(9)!;
    for (let i = 0; i < 3; i++) {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(page.headers.get("cache-control")).toBe("no-store");
      const html = await page.text();
      const checked = [...html.matchAll(/<input type="radio" name="score"[^>]*>/g)].filter((m) => / checked=""/.test(m[0]));
      expect(checked.map((m) => /value="(\d+)"/.exec(m[0])?.[1])).toEqual(["9"]);
      expect(html).toContain("Trustloop Demo Outfitters");
      expect(html).not.toContain("<script");
    }
    expect(await stack.db.npsResponse.count({ where: { messageId: promoter.message.id } })).toBe(0);

    const thanks = await postForm(url, { score: "9", comment: "Great socks" });
    expect(thanks.status).toBe(200);
    const body = await thanks.text();
    expect(body).toContain("Thank you for your answer");
    expect(body).toContain("You answered 9 out of 10.");
    expect(body).toContain("glad you’d recommend");
    // Promoters are invited to the order's review page only when a review request went out.
    const reviewRequest = await stack.db.message.findFirst({ where: { orderId: promoter.message.orderId, step: "main", flow: { key: "review_request" } } });
    const reviewLink = /href="([^"]*\/r\/[^"]+)"/.exec(body)?.[1];
    if (reviewRequest?.status === "sent") {
      expect(reviewLink).toBeDefined();
      expect((await fetch(reviewLink!.replace(/&amp;/g, "&"))).status).toBe(200); // the reviews module accepts the token
    } else expect(reviewLink).toBeUndefined();

    const again = await postForm(url, { score: "2", comment: "changed my mind" });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("You answered 9 out of 10.");
    const rows = await stack.db.npsResponse.findMany({ where: { messageId: promoter.message.id }, include: { followUp: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      score: 9,
      comment: "Great socks",
      tenure: "first",
      flowId: promoter.message.flowId,
      orderId: promoter.message.orderId,
      followUp: null,
    });
    // Answered: a later GET shows the thank-you, still records nothing.
    expect(await (await fetch(promoter.links.get(0)!)).text()).toContain("You answered 9 out of 10.");
    expect(await stack.db.npsResponse.count()).toBe(1);
  });

  it("a detractor sees 'we'll get in touch', a case opens, and the shop's contact address gets the escaped comment", async () => {
    const { links, message, placed } = await surveyed("nps-detractor@example.com", "Dora");
    const response = await postForm(links.get(3)!, { score: "3", comment: `<script>alert("x")</script> Arrived broken` });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("get in touch");
    expect(html).not.toContain("<script>alert");

    const answer = await stack.db.npsResponse.findUniqueOrThrow({ where: { messageId: message.id }, include: { followUp: true } });
    expect(answer).toMatchObject({ score: 3, tenure: "first", comment: `<script>alert("x")</script> Arrived broken` });
    expect(answer.followUp).toMatchObject({ status: "open", contactedAt: null });

    await expect.poll(() => stack.mailsTo("owner@trustloop-demo.example", "NPS:").length, { timeout: 10_000 }).toBe(1);
    const notice = stack.mailsTo("owner@trustloop-demo.example", "NPS:")[0]!;
    expect(notice.subject).toBe(`NPS: a customer answered 3/10 (order ${placed.orderName})`);
    expect(notice.subject).not.toContain("@");
    expect(notice.html).not.toContain("<script>");
    expect(notice.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Arrived broken");
    expect(notice.text).not.toContain("nps-detractor@example.com");
    expect(notice.html).not.toContain("nps-detractor@example.com");

    // admin › NPS shows the figures and the case, the comment escaped.
    const admin = await stack.adminPage("/app/nps");
    expect(admin).toContain("Detractor follow-up");
    expect(admin).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Arrived broken");
    expect(admin).not.toContain(`<script>alert("x")`);
    const sentSurveys = await stack.db.message.count({ where: { flow: { key: "nps" }, status: "sent" } });
    expect(admin).toContain(`2 of ${sentSurveys} survey emails answered`);

    // Close the loop: the reply goes to the order's address; the case is contacted, with a response time.
    const reply = await postAdminAction<{ result?: { status: string; to?: string } }>(
      stack.appUrl,
      "/app/nps",
      { intent: "reply", caseId: answer.followUp!.id, subject: "About your order", body: "Hi Dora,\n\nA replacement is on its way." },
      shop,
    );
    expect(reply.status).toBe(200);
    expect(reply.data?.result).toEqual({ status: "sent", to: "nps-detractor@example.com" });
    const sentReply = stack.services.mail.messages().find((m) => m.to.includes("nps-detractor@example.com") && m.subject === "About your order")!;
    expect(sentReply.text).toContain("A replacement is on its way.");
    expect(sentReply.headers["reply-to"]).toContain("owner@trustloop-demo.example");
    const contacted = await stack.db.npsCase.findUniqueOrThrow({ where: { id: answer.followUp!.id } });
    expect(contacted).toMatchObject({ status: "contacted", replySubject: "About your order" });
    expect(contacted.contactedAt!.getTime()).toBeGreaterThanOrEqual(contacted.openedAt.getTime());

    const resolve = await postAdminAction(stack.appUrl, "/app/nps", { intent: "status", caseId: answer.followUp!.id, status: "resolved" }, shop);
    expect(resolve.status).toBe(200);
    expect((await stack.db.npsCase.findUniqueOrThrow({ where: { id: answer.followUp!.id } })).status).toBe("resolved");
    const detail = await (await stack.adminGet(`/app/nps?case=${answer.followUp!.id}`)).text();
    expect(detail).toContain("Close the loop");
    expect(detail).toContain("A replacement is on its way.");
  });

  it("a second survey to the same customer within 90 days is skipped with the reason", async () => {
    const placed = await deliveredOrder("nps-promoter@example.com");
    const planned = (await npsMessage(placed.orderId))!;
    expect(planned.status).toBe("scheduled");
    await stack.advanceTo(new Date(planned.dueAt.getTime() + 5 * 60_000));
    await expect.poll(async () => (await npsMessage(placed.orderId))?.status, { timeout: 20_000 }).toBe("skipped");
    expect((await npsMessage(placed.orderId))!.reason).toBe("already surveyed within 90 days");
    expect(surveyMails("nps-promoter@example.com")).toHaveLength(1);
  });

  it("a tampered, expired or foreign token is a 404 and records nothing", async () => {
    const url = new URL(promoter.links.get(5)!);
    const [kid, body, mac] = url.pathname.slice(3).split(".");
    const before = await stack.db.npsResponse.count();
    const secret = testLinkKeys();
    const past = new Date((await stack.now()).getTime() - 1000);
    const other = await stack.db.message.findFirstOrThrow({ where: { flow: { key: "thank_you" } } });
    const bad = [
      `${stack.appUrl}/n/${kid}.${body}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}?score=5`,
      `${stack.appUrl}/n/${kid}.${Buffer.from(JSON.stringify({ t: "n", m: "someone-else" })).toString("base64url")}.${mac}?score=5`,
      `${stack.appUrl}/n/${sign(secret, { t: "n", m: promoter.message.id }, past)}?score=5`, // expired
      `${stack.appUrl}/n/${sign(secret, { t: "u", m: promoter.message.id })}?score=5`, // an unsubscribe token
      `${stack.appUrl}/n/${sign(secret, { t: "n", m: other.id })}?score=5`, // not a survey email
    ];
    for (const link of bad) {
      const get = await fetch(link);
      expect(get.status).toBe(404);
      expect(await get.text()).toContain("This link is not valid");
      expect((await postForm(link, { score: "5" })).status).toBe(404);
    }
    expect(await stack.db.npsResponse.count()).toBe(before);
  });
});
