// Post-purchase offers for one order: choose the rule, record the grant (one per offer per order),
// create its single-use code through the Admin API idempotently (DiscountCode row first, purpose
// "offer", lookup by code before create), and keep the performance counters (impressions, clicks,
// conversions with revenue).
import type { DiscountCode, OfferGrant, OfferRule, Order, Prisma, PrismaClient, Shop } from "@prisma/client";
import { createBasicCodeMutation, createBasicCodeResponse, lookupByCodeQuery, lookupByCodeResponse, singleUseCodeInput } from "../discounts/shopify-codes";
import type { Clock } from "../clock";
import { touchDays } from "../dashboard/touch";
import { fetchProducts, type ShopGraphql } from "../shopify/products";
import { cartPermalink, chooseOffer, estimatePoints, offerCode, type TagLookup } from "./rules";

type Tx = Prisma.TransactionClient | PrismaClient;

export const OFFER_PURPOSE = "offer";
const DAY_MS = 86_400_000;

export interface OfferDeps {
  db: PrismaClient;
  clock: Clock;
  graphql: ShopGraphql;
  timeoutMs?: number;
}

export interface OfferView {
  grantId: string;
  title: string;
  percent: number;
  code: string;
  cartUrl: string;
  expiresAt: string;
}

export interface PointsView {
  earned: number;
  status: "pending" | "approved";
}

/** Points of this order: the ledger's earn entry when the loyalty engine wrote it, else the estimate (pending). */
export async function pointsForOrder(db: Tx, shopId: string, order: Pick<Order, "shopifyId" | "subtotalCents" | "totalDiscountCents">): Promise<PointsView> {
  const entry = await db.pointsEntry.findUnique({ where: { dedupeKey: `earn:${order.shopifyId}` } });
  if (entry && entry.shopId === shopId && entry.status !== "void") {
    return { earned: Math.max(0, entry.points), status: entry.status === "approved" ? "approved" : "pending" };
  }
  const settings = await db.loyaltySettings.findUnique({ where: { shopId } });
  if (settings && !settings.enabled) return { earned: 0, status: "pending" };
  return { earned: estimatePoints(order.subtotalCents, settings?.pointsPerUnit ?? 1), status: "pending" };
}

/** Estimated points for a checkout not yet mirrored (`subtotalCents` from the extension). */
export async function estimatedPointsFor(db: Tx, shopId: string, subtotalCents: number | null): Promise<number> {
  const settings = await db.loyaltySettings.findUnique({ where: { shopId } });
  if (settings && !settings.enabled) return 0;
  return estimatePoints(subtotalCents, settings?.pointsPerUnit ?? 1);
}

export function productTagLookup(graphql: ShopGraphql, shopDomain: string): TagLookup {
  return async (ids) => {
    const found = await fetchProducts(graphql, shopDomain, ids);
    return new Map([...found].map(([id, p]) => [id, p.tags]));
  };
}

type OrderWithLines = Order & { lineItems: { productId: string | null }[] };

function viewOf(grant: OfferGrant, rule: OfferRule, code: DiscountCode): OfferView {
  return {
    grantId: grant.id,
    title: rule.offerTitle,
    percent: rule.discountPercent,
    code: code.code,
    cartUrl: grant.cartUrl ?? "",
    expiresAt: code.endsAt.toISOString(),
  };
}

/** The offer already presented for this order, if its code exists in Shopify. Reads only. */
export async function presentedOffer(db: Tx, shopId: string, orderGid: string): Promise<OfferView | null> {
  const grant = await db.offerGrant.findFirst({ where: { shopId, orderGid }, orderBy: { createdAt: "asc" }, include: { rule: true } });
  if (!grant?.discountCodeId) return null;
  const code = await db.discountCode.findUnique({ where: { id: grant.discountCodeId } });
  return code && code.status === "created" ? viewOf(grant, grant.rule, code) : null;
}

/**
 * Presents the offer for this order, recording one impression. The first call chooses the rule and
 * creates the code; later calls return the same grant and code. Null when no rule applies or the code
 * could not be created. Throws DiscountRetryLater-like errors from the Admin API (the caller hides the offer).
 */
export async function presentOffer(
  deps: OfferDeps,
  shop: Pick<Shop, "id" | "domain" | "primaryDomain" | "currency">,
  order: OrderWithLines,
): Promise<OfferView | null> {
  const { db, clock } = deps;
  let grant = await db.offerGrant.findFirst({ where: { shopId: shop.id, orderGid: order.shopifyId }, orderBy: { createdAt: "asc" }, include: { rule: true } });
  if (!grant) {
    const rules = await db.offerRule.findMany({ where: { shopId: shop.id, enabled: true } });
    if (!rules.length) return null;
    const grantsByRule = new Map<string, number>();
    const who = order.customerShopifyId ? { customerShopifyId: order.customerShopifyId } : order.email ? { email: order.email } : null;
    if (who) {
      const counts = await db.offerGrant.groupBy({
        by: ["ruleId"],
        where: { shopId: shop.id, ...who, orderGid: { not: order.shopifyId } },
        _count: { _all: true },
      });
      for (const c of counts) grantsByRule.set(c.ruleId, c._count._all);
    }
    const chosen = await chooseOffer({
      rules,
      order: { productIds: order.lineItems.map((l) => l.productId) },
      grantsByRule,
      tagLookup: productTagLookup(deps.graphql, shop.domain),
    });
    if (!chosen) return null;
    const rule = rules.find((r) => r.id === chosen.id)!;
    const code = offerCode(rule.id, order.shopifyId);
    const cartUrl = cartPermalink(shop.primaryDomain ?? shop.domain, rule.offerVariantId, code);
    try {
      grant = await db.offerGrant.create({
        data: {
          shopId: shop.id,
          ruleId: rule.id,
          orderGid: order.shopifyId,
          customerShopifyId: order.customerShopifyId,
          email: order.email,
          code,
          cartUrl,
          createdAt: clock.now(),
        },
        include: { rule: true },
      });
    } catch (error) {
      const raced = await db.offerGrant.findUnique({ where: { ruleId_orderGid: { ruleId: rule.id, orderGid: order.shopifyId } }, include: { rule: true } });
      if (!raced) throw error;
      grant = raced;
    }
  }
  grant = await db.offerGrant.update({ where: { id: grant.id }, data: { impressions: { increment: 1 } }, include: { rule: true } });
  await touchDays(db, grant.shopId, grant.createdAt); // also covers the grant's creation just above
  const row = await ensureOfferCode(deps, shop, order, grant, grant.rule);
  if (!row) return null;
  if (grant.discountCodeId !== row.id) {
    await db.offerGrant.update({ where: { id: grant.id }, data: { discountCodeId: row.id } });
    await touchDays(db, grant.shopId, grant.createdAt);
  }
  return viewOf(grant, grant.rule, row);
}

async function ensureOfferCode(
  deps: OfferDeps,
  shop: Pick<Shop, "id" | "domain" | "currency">,
  order: Order,
  grant: OfferGrant,
  rule: OfferRule,
): Promise<DiscountCode | null> {
  const { db, clock } = deps;
  const code = grant.code ?? offerCode(rule.id, order.shopifyId);
  let row = await db.discountCode.findUnique({ where: { shopId_code: { shopId: shop.id, code } } });
  if (!row) {
    const base = grant.createdAt.getTime();
    try {
      row = await db.discountCode.create({
        data: {
          shopId: shop.id,
          purpose: OFFER_PURPOSE,
          orderId: order.id,
          customerShopifyId: order.customerShopifyId,
          code,
          valueType: "percentage",
          value: rule.discountPercent,
          currency: order.currency ?? shop.currency,
          estimatedValueCents: 0, // unknown until the offered item's price is in a cart
          endsAt: new Date(base + rule.expiryDays * DAY_MS),
          status: "pending",
          createdAt: clock.now(),
        },
      });
      await touchDays(db, row.shopId, row.createdAt);
    } catch (error) {
      const raced = await db.discountCode.findUnique({ where: { shopId_code: { shopId: shop.id, code } } });
      if (!raced) throw error;
      row = raced;
    }
  }
  if (row.purpose !== OFFER_PURPOSE) return null;
  if (row.status === "created") return row;
  if (row.status === "failed") return null;
  const found = await lookupCode(deps, shop.domain, row.code);
  if (found) return markCreated(deps, row, found);
  const result = createResponse.parse(await call(deps, shop.domain, CREATE_MUTATION, { input: offerDiscountInput(row, rule, clock.now()) }));
  const payload = result.discountCodeBasicCreate;
  const errors = payload?.userErrors ?? [];
  if (errors.some((e) => e.code === "TAKEN")) {
    const again = await lookupCode(deps, shop.domain, row.code);
    if (again && (again.title ?? "").startsWith("Trustloop offer")) return markCreated(deps, row, again);
    await markFailed(deps, row, `Shopify refused the code ${row.code}: it already exists and was not created by Trustloop`);
    return null;
  }
  if (errors.length || !payload?.codeDiscountNode) {
    await markFailed(
      deps,
      row,
      errors.length ? `Shopify refused the discount code: ${errors.map((e) => e.message).join("; ")}` : "Shopify created no discount code",
    );
    return null;
  }
  return markCreated(deps, row, { id: payload.codeDiscountNode.id, title: null });
}

/** DiscountCodeBasicInput of an offer code: the offered variant at Z % off, for that customer, single use, expiring. */
export function offerDiscountInput(
  row: Pick<DiscountCode, "code" | "value" | "endsAt" | "customerShopifyId">,
  rule: Pick<OfferRule, "offerTitle" | "offerVariantId">,
  now: Date,
) {
  return {
    title: `Trustloop offer ${rule.offerTitle} ${row.code}`.slice(0, 255),
    ...singleUseCodeInput(row, now),
    customerGets: { value: { percentage: row.value / 100 }, items: { products: { productVariantsToAdd: [rule.offerVariantId] } } },
  };
}

const LOOKUP_QUERY = lookupByCodeQuery("TrustloopOfferByCode");
const lookupResponse = lookupByCodeResponse;
const CREATE_MUTATION = createBasicCodeMutation("TrustloopOfferCode");
const createResponse = createBasicCodeResponse;

async function lookupCode(deps: OfferDeps, shopDomain: string, code: string): Promise<{ id: string; title: string | null } | null> {
  const { codeDiscountNodeByCode: node } = lookupResponse.parse(await call(deps, shopDomain, LOOKUP_QUERY, { code }));
  return node ? { id: node.id, title: node.codeDiscount?.title ?? null } : null;
}

async function markCreated(deps: OfferDeps, row: DiscountCode, found: { id: string; title?: string | null }): Promise<DiscountCode> {
  const created = await deps.db.discountCode.update({
    where: { id: row.id },
    data: { status: "created", shopifyId: found.id, error: null, createdInShopifyAt: deps.clock.now() },
  });
  await touchDays(deps.db, created.shopId, created.createdAt);
  return created;
}

async function markFailed(deps: OfferDeps, row: DiscountCode, reason: string) {
  await deps.db.discountCode.update({ where: { id: row.id }, data: { status: "failed", error: reason.slice(0, 500) } });
  await touchDays(deps.db, row.shopId, row.createdAt);
}

async function call(deps: OfferDeps, shopDomain: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const timeoutMs = deps.timeoutMs ?? 8_000; // a shopper is waiting on the thank-you page
  let timer: ReturnType<typeof setTimeout> | undefined;
  const request = deps.graphql(shopDomain, query, variables);
  request.catch(() => {});
  try {
    return await Promise.race([
      request,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer from the Admin API within ${timeoutMs} ms`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
