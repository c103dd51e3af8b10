// The dashboard's hand-computed data set: two shops whose every figure the metrics test states by hand
// (orders, refunds, cohorts, messages, NPS, reviews, points, offers), with the rollups rebuilt.
import type { DiscountCodeStatus, DiscountPurpose, MessageStatus, PointsEntryKind, PointsEntryStatus, Shop } from "@prisma/client";
import type { Db } from "../../app/db.server";
import { makeFlow, makeMessage, makeOrder, makeShop } from "./factories";
import { ManualClock } from "../../app/engine/clock";
import { orderFiguresChanged } from "../../app/engine/dashboard/customer-stats";
import { rebuildShop } from "../../app/engine/dashboard/rollups";

export const clock = new ManualClock(new Date("2026-11-22T12:00:00Z")); // period 30d: 2026-10-24 … 2026-11-22
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const A_GID = "gid://shopify/Customer/1";
let t: { db: Db };
let shopId: string;
let metricsShop: Shop;
const flows: Record<string, string> = {};
const orders: Record<string, string> = {};

async function order(
  name: string,
  who: { gid?: string; email: string },
  placed: string,
  totalCents: number,
  extra: { refundCents?: number; cancelled?: boolean; test?: boolean } = {},
) {
  const o = await makeOrder(t.db, metricsShop, {
    shopifyId: `gid://shopify/Order/${name}`,
    name,
    customer: null,
    customerShopifyId: who.gid ?? null,
    email: who.email,
    totalCents,
    placedAt: at(placed),
    cancelledAt: extra.cancelled ? at(placed) : null,
    test: extra.test ?? false,
    refunds: extra.refundCents ? { create: { shopId, shopifyId: `gid://shopify/Refund/${name}`, amountCents: extra.refundCents } } : undefined,
  });
  orders[name] = o.id;
  await orderFiguresChanged(t.db, shopId, o.id);
  return o;
}

const message = (flow: string, orderName: string, created: string, status: MessageStatus, reason: string | null = null) =>
  makeMessage(t.db, { id: flows[flow], shopId }, { orderId: orders[orderName], status, reason, at: at(created) });

/** Seeds the data set into `db` and returns the shop whose figures are stated (the other shop is "other.myshopify.com"). */
export async function seedHandComputed(db: Db): Promise<Shop> {
  t = { db };
  metricsShop = await makeShop(t.db, { domain: "metrics.myshopify.com", installedAt: at("2026-06-01") });
  shopId = metricsShop.id;
  for (const [key, holdout] of [
    ["thank_you", 10],
    ["review_request", 0],
    ["shipping_delay", 0],
  ] as const) {
    const f = await makeFlow(t.db, metricsShop, { key, holdoutPercent: holdout });
    flows[key] = f.id;
  }
  const A = { gid: A_GID, email: "a@example.com" };
  const B = { gid: "gid://shopify/Customer/2", email: "b@example.com" };
  const C = { email: "c@example.com" }; // a guest: keyed by email
  const D = { gid: "gid://shopify/Customer/4", email: "d@example.com" };
  const E = { gid: "gid://shopify/Customer/5", email: "e@example.com" };
  const F = { gid: "gid://shopify/Customer/6", email: "f@example.com" };
  const G = { gid: "gid://shopify/Customer/7", email: "g@example.com" };
  await order("A1", A, "2026-10-25", 10000);
  await order("A2", A, "2026-11-04", 5000, { refundCents: 2000 }); // net 30.00; A's gap: 10 days
  await order("B1", B, "2026-10-30", 8000);
  await order("C1", C, "2026-11-01", 6000);
  await order("C2", C, "2026-11-21", 4000); // C's gap: 20 days
  await order("D1", D, "2026-11-10", 3000, { cancelled: true }); // never counted
  await order("E1", E, "2026-11-12", 9900, { test: true }); // never counted
  await order("F1", F, "2026-09-01", 20000);
  await order("F2", F, "2026-11-15", 10000); // F's gap: 75 days; F is not new in the period
  await order("G1", G, "2026-06-10", 7000);

  // thank_you: 5 planned in the period; A1 and C1 sent (both customers ordered again), B1 held out.
  const a1 = await message("thank_you", "A1", "2026-10-25", "sent");
  await message("thank_you", "B1", "2026-10-30", "held_out", "holdout group (10 %)");
  await message("thank_you", "C1", "2026-11-01", "sent");
  await message("thank_you", "F2", "2026-11-15", "skipped", "conditions: first order only");
  await message("thank_you", "A2", "2026-11-04", "skipped", "missed: was due 2026-11-04T10:00:00.000Z, before the order reached Trustloop");
  await message("thank_you", "G1", "2026-06-10", "sent"); // outside the period
  for (const minute of [1, 2, 3])
    await t.db.linkClick.create({
      data: { shopId, messageId: a1.id, url: "https://shop.example/", clickedAt: new Date(at("2026-10-26").getTime() + minute * 60_000) },
    });
  await t.db.attribution.create({
    data: { shopId, orderId: orders.A2, messageId: a1.id, flowId: flows.thank_you, revenueCents: 5000, clickedAt: at("2026-10-26") },
  });
  // review_request: 2 sent; 1 review of 4 stars → rate 0.5.
  await message("review_request", "A1", "2026-11-01", "sent");
  await message("review_request", "C1", "2026-11-05", "sent");
  await t.db.review.create({
    data: {
      shopId,
      productId: "gid://shopify/Product/1",
      productTitle: "Mug",
      authorName: "A. A.",
      rating: 4,
      status: "published",
      submittedAt: at("2026-11-06"),
    },
  });
  await t.db.review.create({
    data: {
      shopId,
      productId: "gid://shopify/Product/1",
      productTitle: "Mug",
      authorName: "G. G.",
      rating: 1,
      status: "published",
      submittedAt: at("2026-07-01"),
    },
  });
  // shipping_delay: 1 notice; incidents: B1 not shipped, C1 late with UPS; one in September.
  await message("shipping_delay", "B1", "2026-11-03", "sent");
  await t.db.delayIncident.create({ data: { shopId, orderId: orders.B1, cause: "not_shipped", detectedAt: at("2026-11-02") } });
  const ups = await t.db.fulfillment.create({
    data: { shopId, orderId: orders.C1, shopifyId: "gid://shopify/Fulfillment/1", placeholder: false, trackingCompany: "UPS" },
  });
  await t.db.delayIncident.create({ data: { shopId, orderId: orders.C1, cause: "late_in_transit", fulfillmentId: ups.id, detectedAt: at("2026-11-03") } });
  await t.db.delayIncident.create({ data: { shopId, orderId: orders.F1, cause: "not_shipped", detectedAt: at("2026-09-10") } });
  // NPS: 10, 9, 8, 3 in the period → 2 promoters, 1 passive, 1 detractor → +25; a 0 in September.
  for (const [i, score, day] of [
    [1, 10, "2026-11-02"],
    [2, 9, "2026-11-03"],
    [3, 8, "2026-11-04"],
    [4, 3, "2026-11-05"],
    [5, 0, "2026-09-20"],
  ] as const) {
    await t.db.npsResponse.create({ data: { shopId, messageId: `nps${i}`, score, tenure: "first", respondedAt: at(day) } });
  }
  // Codes: an apology code issued and redeemed (45.00), one still pending in Shopify, a reward issued.
  const code = (code: string, purpose: DiscountPurpose, created: string, status: DiscountCodeStatus, redeemed?: number) =>
    t.db.discountCode.create({
      data: {
        shopId,
        purpose,
        code,
        valueType: "percentage",
        value: 10,
        estimatedValueCents: 500,
        endsAt: at("2026-12-31"),
        status,
        createdAt: at(created),
        ...(redeemed ? { redeemedAt: at("2026-11-08"), redeemedRevenueCents: redeemed } : {}),
      },
    });
  await code("SORRY1", "apology", "2026-11-02", "created", 4500);
  await code("SORRY2", "apology", "2026-11-03", "pending");
  await code("REWARD1", "reward", "2026-11-05", "created");
  // Points: issued 100 approved + 25 adjusted up = 125; 50 pending; 500 redeemed; void, reversals and deductions are not issued.
  const member = await t.db.loyaltyMember.create({ data: { shopId, email: "a@example.com", enrolledAt: at("2026-10-25") } });
  const entry = (key: string, kind: PointsEntryKind, points: number, status: PointsEntryStatus, created: string) =>
    t.db.pointsEntry.create({ data: { shopId, memberId: member.id, dedupeKey: key, kind, points, status, createdAt: at(created) } });
  await entry("e1", "earn", 100, "approved", "2026-11-01");
  await entry("e2", "earn", 50, "pending", "2026-11-20");
  await entry("e3", "earn", 30, "void", "2026-11-05");
  await entry("e4", "redeem", -500, "approved", "2026-11-10");
  await entry("e5", "adjust", 25, "approved", "2026-11-11");
  await entry("e6", "adjust", -10, "approved", "2026-11-11");
  await entry("e7", "reverse", -20, "approved", "2026-11-12");
  // Offers: shown twice, clicked once, converted once for 30.00; one never shown.
  const rule = await t.db.offerRule.create({
    data: { shopId, name: "Socks", offerVariantId: "gid://shopify/ProductVariant/1", offerTitle: "Socks", discountPercent: 15 },
  });
  const grant = (orderGid: string, created: string, impressions: number, clicks: number, revenue?: number) =>
    t.db.offerGrant.create({
      data: {
        shopId,
        ruleId: rule.id,
        orderGid,
        impressions,
        clicks,
        createdAt: at(created),
        ...(revenue ? { convertedOrderGid: "gid://shopify/Order/X", convertedRevenueCents: revenue } : {}),
      },
    });
  await grant("gid://shopify/Order/A1", "2026-11-01", 3, 1, 3000);
  await grant("gid://shopify/Order/B1", "2026-11-02", 1, 0);
  await grant("gid://shopify/Order/C1", "2026-11-03", 0, 0);

  // Another shop's customer, order and message on the same days: never in this shop's figures.
  const other = await makeShop(t.db, { domain: "other.myshopify.com", installedAt: at("2026-06-01") });
  const otherFlow = await makeFlow(t.db, other, { key: "thank_you" });
  const foreign = await makeOrder(t.db, other, {
    shopifyId: "gid://shopify/Order/O1",
    customer: null,
    customerShopifyId: A_GID,
    email: "a@example.com",
    totalCents: 99900,
    placedAt: at("2026-11-04"),
  });
  await orderFiguresChanged(t.db, other.id, foreign.id);
  await makeMessage(t.db, otherFlow, { orderId: foreign.id, status: "sent", at: at("2026-11-04") });
  await t.db.npsResponse.create({ data: { shopId: other.id, messageId: "o-nps", score: 0, tenure: "first", respondedAt: at("2026-11-04") } });

  await rebuildShop(t.db, metricsShop, "2025-01-01", "2026-11-22");
  await rebuildShop(t.db, other, "2025-01-01", "2026-11-22");
  return metricsShop;
}
