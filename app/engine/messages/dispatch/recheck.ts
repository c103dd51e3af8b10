// Stage 2, eligibility: everything is checked again right before the send (the order, the flow,
// consent, suppression, conditions, a journey's stop on reorder, the flow's throttle, a delay
// notice that went out first). A message that must not go out takes its transition here.
import type { Customer, Message } from "@prisma/client";
import { pauseReason } from "../../consent/pause";
import { needsProductTags, parseConditions } from "../../flows/conditions";
import { OCCASION_ANCHORS } from "../../journeys/occasions";
import { reorderStopReason } from "../../journeys/reorder";
import { fetchMarketingState } from "../../shopify/customers";
import { fetchProducts, type ProductInfo } from "../../shopify/products";
import { loggableError } from "../../util/loggable";
import { checkEligibility, SUPERSEDED_REASON, throttleReason } from "../eligibility";
import { settle } from "./settle";
import type { DispatchDeps, Facts } from "./types";

/** What the later stages need of a message that may go out. */
export interface Eligible {
  recipient: string;
  /** With its marketing consent as Shopify has it now (marketing mail). */
  customer: Customer | null;
  products: Map<string, ProductInfo>;
}

/** The message's recipient and what was looked up for it, or null when it took its transition (skipped, cancelled). */
export async function recheck(deps: DispatchDeps, message: Message, facts: Facts, now: Date): Promise<Eligible | null> {
  const { shop, flow, order } = facts;
  const conditions = parseConditions(flow.conditions);
  let customer = facts.customer;
  // Consent can be withdrawn at any time: read it fresh for marketing mail and for a "subscribed" condition.
  if ((message.category === "marketing" || conditions.subscribed) && customer) customer = await refreshConsent(deps, shop.domain, customer);
  const productIds = order?.lineItems.map((li) => li.productId).filter((id): id is string => !!id) ?? [];
  const wantsProducts = order !== null && (needsProductTags(conditions) || productIds.length > 0);
  const products: Map<string, ProductInfo> = wantsProducts ? await lookupProducts(deps, shop.domain, productIds) : new Map();

  const verdict = checkEligibility({
    message,
    shop,
    flow,
    order,
    customer,
    suppression: facts.suppression,
    previousOrders: facts.previousOrders,
    productTags: products.size ? [...products.values()].flatMap((p) => p.tags) : null,
    collections: products.size ? [...products.values()].flatMap((p) => p.collections) : null,
  });
  if (!verdict.send) {
    await settle(deps, message, { to: verdict.status, reason: verdict.reason });
    return null;
  }
  // A Flow pause holds every category (service, survey and marketing): the workflow asked for silence.
  const paused = pauseReason(facts.pausedUntil, now);
  if (paused) {
    await settle(deps, message, { to: "skipped", reason: paused });
    return null;
  }
  const reordered = await reorderStopReason(deps.db, flow, order, OCCASION_ANCHORS.has(message.anchor) ? message.anchorAt : undefined);
  if (reordered) {
    await settle(deps, message, { to: "skipped", reason: reordered });
    return null;
  }
  const throttled = facts.superseded ? SUPERSEDED_REASON : await throttleReason(deps.db, message, flow, verdict.recipient, now);
  if (throttled) {
    await settle(deps, message, { to: "skipped", reason: throttled });
    return null;
  }
  return { recipient: verdict.recipient, customer, products };
}

async function refreshConsent(deps: DispatchDeps, shopDomain: string, customer: Customer): Promise<Customer> {
  try {
    const state = await fetchMarketingState(deps.graphql, shopDomain, customer.shopifyId);
    if (state === customer.marketingConsent) return customer;
    return await deps.db.customer.update({ where: { id: customer.id }, data: { marketingConsent: state } });
  } catch (error) {
    // Unknown is not consent: the stored state decides, and it is checked below.
    deps.log({ msg: "consent lookup failed", level: "error", shop: shopDomain, ...loggableError(error) });
    return customer;
  }
}

async function lookupProducts(deps: DispatchDeps, shopDomain: string, ids: string[]): Promise<Map<string, ProductInfo>> {
  try {
    return await fetchProducts(deps.graphql, shopDomain, ids);
  } catch (error) {
    // Links and images are a nicety; a product-tag or collection condition without them is checked as unknown.
    deps.log({ msg: "product lookup failed", level: "error", shop: shopDomain, ...loggableError(error) });
    return new Map();
  }
}
