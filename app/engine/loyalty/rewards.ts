// Redeeming points for a single-use code, the Points earned email context, and the balance mirror
// to a customer metafield. The redeem entry and the DiscountCode row are written in ONE transaction
// (dedupe key redeem:<requestId>), then the code is created in Shopify idempotently: looked up by
// code before it is created, so a retry after a timeout never makes a second one.
import type { DiscountCode, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { createBasicCodeMutation, createBasicCodeResponse, derivedCode, lookupByCodeQuery, lookupByCodeResponse } from "../discounts/shopify-codes";
import type { Clock } from "../clock";
import { touchDays } from "../dashboard/touch";
import { apologyDiscountInput, DiscountRetryLater } from "../discounts/apology";
import { translator } from "../i18n/translate";
import type { FlowExtension } from "../messages/extensions";
import type { ShopGraphql } from "../shopify/products";
import { enqueueJob, type JobHandler } from "../queue/jobs";
import { loyaltySettingsFor, memberBalance, SYNC_BALANCE_JOB } from "./ledger";
import { isRetryableAdminError } from "../shopify/retryable";
import { bestAffordable, parseRewards, rewardLabel } from "./points";
import { lockRow, retryingTransaction } from "../util/locks";

export const REWARD_PURPOSE = "reward";
const DAY_MS = 86_400_000;
const REWARD_VALID_DAYS = 365;

/** "REWARD-" + 10 Crockford base32 characters of sha256(shop, request): stable per request. */
export function rewardCode(shopId: string, requestId: string): string {
  return derivedCode("REWARD", `trustloop:reward:${shopId}:${requestId}`, 10);
}

export type RedeemResult = { ok: true; code: string; status: string; points: number; balance: number } | { ok: false; error: string };

/**
 * Redeems reward `rewardIndex` (of the settings' rewards, sorted by points) for a member. The same
 * requestId always yields the same code and deducts once. Throws DiscountRetryLater when Shopify
 * could not be reached reliably: calling again with the same requestId continues.
 */
export async function redeemReward(
  db: PrismaClient,
  clock: Clock,
  graphql: ShopGraphql,
  input: { memberId: string; rewardIndex: number; requestId: string },
): Promise<RedeemResult> {
  if (!input.requestId || input.requestId.length > 100) return { ok: false, error: "Missing request id." };
  const key = `redeem:${input.requestId}`;
  const reserved = await retryingTransaction(db, async (tx) => {
    // The member's lock: a second redemption (or a reversal) reads the balance after this one commits.
    if (!(await lockRow(tx, "LoyaltyMember", input.memberId))) return { ok: false as const, error: "No such member." };
    const member = await tx.loyaltyMember.findUniqueOrThrow({ where: { id: input.memberId } });
    const existing = await tx.pointsEntry.findUnique({ where: { dedupeKey: key } });
    if (existing) {
      if (existing.memberId !== member.id || !existing.discountCodeId) return { ok: false as const, error: "This request was already used." };
      return { ok: true as const, member, row: await tx.discountCode.findUniqueOrThrow({ where: { id: existing.discountCodeId } }), points: -existing.points };
    }
    const settings = await loyaltySettingsFor(tx, member.shopId);
    const reward = parseRewards(settings.rewards)[input.rewardIndex];
    if (!reward) return { ok: false as const, error: "No such reward." };
    const { balance } = await memberBalance(tx, member.id);
    if (balance < reward.points) return { ok: false as const, error: `Not enough points: this reward needs ${reward.points}, the balance is ${balance}.` };
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: member.shopId } });
    const now = clock.now();
    const row = await tx.discountCode.create({
      data: {
        shopId: shop.id,
        purpose: REWARD_PURPOSE,
        customerShopifyId: member.customerShopifyId,
        code: rewardCode(shop.id, input.requestId),
        valueType: reward.valueType,
        value: reward.value,
        currency: shop.currency,
        estimatedValueCents: reward.valueType === "fixed_amount" ? reward.value : 0,
        endsAt: new Date(now.getTime() + REWARD_VALID_DAYS * DAY_MS),
        status: "pending",
        createdAt: now,
      },
    });
    const entry = await tx.pointsEntry.create({
      data: {
        shopId: shop.id,
        memberId: member.id,
        dedupeKey: key,
        kind: "redeem",
        points: -reward.points,
        status: "approved",
        discountCodeId: row.id,
        reason: rewardLabel(reward, shop.currency),
      },
    });
    await touchDays(tx, shop.id, row.createdAt, entry.createdAt);
    await enqueueJob(tx, { kind: SYNC_BALANCE_JOB, key: `${member.id}:${key}`, shopId: shop.id, payload: { memberId: member.id }, runAt: now });
    return { ok: true as const, member, row, points: reward.points };
  });
  if (!reserved.ok) return reserved;

  const row = await ensureInShopify(db, clock, graphql, reserved.row);
  const { balance } = await memberBalance(db, reserved.member.id);
  return { ok: true, code: row.code, status: row.status, points: reserved.points, balance };
}

const LOOKUP_QUERY = lookupByCodeQuery("TrustloopRewardByCode");
const lookupResponse = lookupByCodeResponse;
const CREATE_MUTATION = createBasicCodeMutation("TrustloopRewardCode");
const createResponse = createBasicCodeResponse;

async function call(graphql: ShopGraphql, shopDomain: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  try {
    return await graphql(shopDomain, query, variables);
  } catch (error) {
    if (isRetryableAdminError(error)) throw new DiscountRetryLater(String((error as Error).message || "Admin API unavailable").slice(0, 300));
    throw error;
  }
}

/** Pending → look up by code, else create; a refusal fails the row and gives the points back. */
export async function ensureInShopify(db: PrismaClient, clock: Clock, graphql: ShopGraphql, row: DiscountCode): Promise<DiscountCode> {
  if (row.status !== "pending") return row;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: row.shopId } });
  const found = lookupResponse.parse(await call(graphql, shop.domain, LOOKUP_QUERY, { code: row.code })).codeDiscountNodeByCode;
  if (found) return markCreated(db, clock, row, found.id);
  const input = { ...apologyDiscountInput(row, null, clock.now()), title: `Trustloop reward ${row.code}` };
  const payload = createResponse.parse(await call(graphql, shop.domain, CREATE_MUTATION, { input })).discountCodeBasicCreate;
  const errors = payload?.userErrors ?? [];
  if (errors.some((e) => e.code === "TAKEN")) {
    // Our code is derived from the redeem request: "taken" means a concurrent attempt created it.
    const mine = lookupResponse.parse(await call(graphql, shop.domain, LOOKUP_QUERY, { code: row.code })).codeDiscountNodeByCode;
    if (mine) return markCreated(db, clock, row, mine.id);
  }
  if (errors.length || !payload?.codeDiscountNode) {
    const reason = errors.length ? `Shopify refused the reward code: ${errors.map((e) => e.message).join("; ")}` : "Shopify created no discount code";
    return retryingTransaction(db, async (tx) => {
      const owner = await tx.pointsEntry.findFirst({ where: { discountCodeId: row.id, kind: "redeem" }, select: { memberId: true } });
      if (owner) await lockRow(tx, "LoyaltyMember", owner.memberId);
      const failed = await tx.discountCode.update({ where: { id: row.id }, data: { status: "failed", error: reason.slice(0, 500) } });
      const redeem = await tx.pointsEntry.findFirst({ where: { discountCodeId: row.id, kind: "redeem" } });
      await touchDays(tx, failed.shopId, failed.createdAt);
      if (redeem && !(await tx.pointsEntry.findUnique({ where: { dedupeKey: `refund:${redeem.dedupeKey}` } }))) {
        const refund = await tx.pointsEntry.create({
          data: {
            shopId: redeem.shopId,
            memberId: redeem.memberId,
            dedupeKey: `refund:${redeem.dedupeKey}`,
            kind: "adjust",
            points: -redeem.points,
            status: "approved",
            reason: "reward code could not be created",
            actor: "trustloop",
          },
        });
        await touchDays(tx, refund.shopId, refund.createdAt);
      }
      return failed;
    });
  }
  return markCreated(db, clock, row, payload.codeDiscountNode.id);
}

async function markCreated(db: PrismaClient, clock: Clock, row: DiscountCode, shopifyId: string) {
  const created = await db.discountCode.update({ where: { id: row.id }, data: { status: "created", shopifyId, error: null, createdInShopifyAt: clock.now() } });
  await touchDays(db, created.shopId, created.createdAt);
  return created;
}

/** Email context of Points earned: `points: { approved, balance, can_buy, rewards }`. */
export const pointsEarned: FlowExtension = {
  async prepare({ db, message, shop, locale }) {
    const tr = translator(locale);
    const entryId = message.step.startsWith("approved:") ? message.step.slice("approved:".length) : null;
    const entry = entryId ? await db.pointsEntry.findUnique({ where: { id: entryId } }) : null;
    if (!entry || entry.kind !== "earn") return { ok: false, status: "skipped", reason: "the points entry no longer exists" };
    if (entry.status !== "approved") return { ok: false, status: "skipped", reason: `the points are ${entry.status}, not approved` };
    const ofOrder = await db.pointsEntry.findMany({
      where: { memberId: entry.memberId, orderGid: entry.orderGid, status: "approved", kind: { in: ["earn", "reverse"] } },
    });
    const approved = ofOrder.reduce((s, e) => s + e.points, 0);
    if (approved <= 0) return { ok: false, status: "skipped", reason: "no points left from this order" };
    const { balance } = await memberBalance(db, entry.memberId);
    const rewards = parseRewards((await loyaltySettingsFor(db, shop.id)).rewards);
    const best = bestAffordable(rewards, balance);
    const next = rewards.find((r) => r.points > balance) ?? null;
    return {
      ok: true,
      context: {
        points: {
          approved,
          balance,
          can_buy: best ? rewardLabel(best, shop.currency, tr) : "",
          next_reward: next ? { label: rewardLabel(next, shop.currency, tr), points_needed: next.points - balance } : null,
          rewards: rewards.map((r) => ({ label: rewardLabel(r, shop.currency, tr), points: r.points, affordable: r.points <= balance })),
        },
      },
      cta: { label: tr.t("points_earned.visit_shop"), url: `https://${shop.primaryDomain ?? shop.domain}/` },
    };
  },
};

const syncJob = z.object({ memberId: z.string() });
const metafieldsSetResponse = z.object({
  metafieldsSet: z.object({ userErrors: z.array(z.object({ message: z.string() })) }).nullable(),
});
const SET_MUTATION = `#graphql
  mutation TrustloopLoyaltyBalance($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) { metafields { id } userErrors { field message code } }
  }`;

/** Job handlers of the loyalty module (register in the worker's handler map). */
export function loyaltyJobHandlers(graphql: ShopGraphql): Record<string, JobHandler> {
  return {
    [SYNC_BALANCE_JOB]: async (job, { db }) => {
      const { memberId } = syncJob.parse(job.payload);
      const member = await db.loyaltyMember.findUnique({ where: { id: memberId }, include: { shop: true } });
      if (!member?.customerShopifyId || member.shop.status !== "installed") return;
      const { balance } = await memberBalance(db, member.id);
      const metafields = [{ ownerId: member.customerShopifyId, namespace: "$app:loyalty", key: "points", type: "number_integer", value: String(balance) }];
      const result = metafieldsSetResponse.parse(await graphql(member.shop.domain, SET_MUTATION, { metafields }));
      const errors = result.metafieldsSet?.userErrors ?? [];
      if (errors.length) throw new Error(`metafieldsSet: ${errors.map((e) => e.message).join("; ")}`);
    },
  };
}
