// Apology codes for shipping-delay notices: unique, single-use, limited to the customer, created in
// the shop through the Admin API — idempotently. The code is derived from the message that carries
// it, and a DiscountCode row (status "pending") is written before Shopify is called, so a retry
// after a timeout looks the code up instead of creating a second one.
import type { DelaySettings, DiscountCode, Order, Prisma, PrismaClient, Shop } from "@prisma/client";
import { createBasicCodeMutation, createBasicCodeResponse, derivedCode, lookupByCodeQuery, lookupByCodeResponse, singleUseCodeInput } from "./shopify-codes";
import type { Clock } from "../clock";
import { touchDays } from "../dashboard/touch";
import { discountValueLabel, formatMoney } from "../i18n/format";
import { localParts, zonedTimeToUtc } from "../schedule/local-time";
import type { ShopGraphql } from "../shopify/products";
import { isRetryableAdminError } from "../shopify/retryable";
import { lockRow, retryingTransaction } from "../util/locks";
import { formatMinorUnits } from "../util/money";

export type ApologyOutcome =
  { kind: "code"; code: string; endsAt: Date; valueLabel: string; url: string } | { kind: "none"; reason: string } | { kind: "failed"; reason: string };

/** Throttled, timed out, 5xx or unreachable: the code may or may not exist; try again later. */
export class DiscountRetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiscountRetryLater";
  }
}

export interface ApologyDeps {
  db: PrismaClient;
  clock: Clock;
  graphql: ShopGraphql;
  /** How long one Admin API call may take before it counts as a timeout (default 20 s). */
  timeoutMs?: number;
}

export interface ApologyInput {
  shop: Pick<Shop, "id" | "domain" | "primaryDomain" | "currency" | "timezone">;
  settings: Pick<DelaySettings, "discountType" | "discountValue" | "discountExpiryDays" | "monthlyMaxCodes" | "monthlyMaxValueCents">;
  messageId: string;
  order: Pick<Order, "id" | "name" | "customerShopifyId" | "subtotalCents" | "totalCents" | "currency">;
  /** The reader's locale, for the value label ("10 %" in French). Default English. */
  locale?: string;
}

export const APOLOGY_PURPOSE = "apology";
const DAY_MS = 86_400_000;

/** "SORRY-" + 8 Crockford base32 characters (40 bits) of sha256(messageId): stable per message. */
export function apologyCode(messageId: string): string {
  return derivedCode("SORRY", `trustloop:apology:${messageId}`, 8);
}

export function apologyTitle(orderName: string | null): string {
  return `Trustloop apology ${orderName ?? ""}`.trim();
}

/** The shop's delay settings, created with the defaults on first use. */
export async function delaySettingsFor(db: PrismaClient | Prisma.TransactionClient, shopId: string): Promise<DelaySettings> {
  await db.delaySettings.createMany({ data: [{ shopId }], skipDuplicates: true }); // ON CONFLICT DO NOTHING
  return db.delaySettings.findUniqueOrThrow({ where: { shopId } });
}

/** [start, end) of the calendar month of `now` in `timeZone`. */
export function monthBounds(now: Date, timeZone: string): { start: Date; end: Date } {
  const p = localParts(now, timeZone);
  const start = zonedTimeToUtc({ year: p.year, month: p.month, day: 1, hour: 0, minute: 0 }, timeZone);
  const end = zonedTimeToUtc({ year: p.year, month: p.month + 1, day: 1, hour: 0, minute: 0 }, timeZone);
  return { start, end };
}

/** What a code is worth for the budget: the fixed amount, or percent × the order subtotal. */
export function estimatedValueCents(settings: ApologyInput["settings"], order: ApologyInput["order"]): number {
  if (settings.discountType === "fixed_amount") return settings.discountValue;
  const base = order.subtotalCents ?? order.totalCents ?? 0;
  return Math.round((base * settings.discountValue) / 100);
}

export function discountUrl(shop: Pick<Shop, "primaryDomain" | "domain">, code: string): string {
  return `https://${shop.primaryDomain ?? shop.domain}/discount/${encodeURIComponent(code)}`;
}

/** Apology codes of the shop that count against this month's budget (created or pending). */
export async function monthlyUsage(db: PrismaClient | Prisma.TransactionClient, shop: Pick<Shop, "id" | "timezone">, now: Date) {
  const { start, end } = monthBounds(now, shop.timezone);
  const usage = await db.discountCode.aggregate({
    where: { shopId: shop.id, purpose: APOLOGY_PURPOSE, status: { in: ["created", "pending"] }, createdAt: { gte: start, lt: end } },
    _count: { _all: true },
    _sum: { estimatedValueCents: true },
  });
  return { codes: usage._count._all, valueCents: usage._sum.estimatedValueCents ?? 0 };
}

/** Null when one more code of this value fits the monthly budget, else the reason. */
export function overBudget(
  settings: ApologyInput["settings"],
  usage: { codes: number; valueCents: number },
  nextValueCents: number,
  currency: string | null,
): string | null {
  const codesFull = settings.monthlyMaxCodes !== null && usage.codes + 1 > settings.monthlyMaxCodes;
  const valueFull = settings.monthlyMaxValueCents !== null && usage.valueCents + nextValueCents > settings.monthlyMaxValueCents;
  if (!codesFull && !valueFull) return null;
  return `monthly apology budget reached (${usage.codes} codes / ${formatMoney(usage.valueCents, currency, "en")})`;
}

function outcomeOf(row: DiscountCode, input: Pick<ApologyInput, "shop" | "locale">): ApologyOutcome {
  const label = discountValueLabel(row.valueType, row.value, row.currency, input.locale);
  return { kind: "code", code: row.code, endsAt: row.endsAt, valueLabel: label, url: discountUrl(input.shop, row.code) };
}

/**
 * The apology code of one message: the one already created for it, or a new one. Throws
 * DiscountRetryLater when Shopify could not be reached reliably (the row stays pending, and the next
 * call looks the code up before creating anything).
 */
export async function ensureApologyCode(deps: ApologyDeps, input: ApologyInput): Promise<ApologyOutcome> {
  const { db, clock } = deps;
  const { shop, settings, order, messageId } = input;
  let row = await db.discountCode.findUnique({ where: { messageId } });
  if (row && row.shopId !== shop.id) throw new Error(`discount code of message ${messageId} belongs to another shop`);

  if (!row) {
    const now = clock.now();
    const estimate = estimatedValueCents(settings, order);
    const currency = order.currency ?? shop.currency;
    // The budget is read and spent under the lock of the shop's delay settings row: two workers
    // preparing notices of one shop at once cannot both take the last code of the month.
    const reserved = await retryingTransaction(db, async (tx): Promise<DiscountCode | string> => {
      await delaySettingsFor(tx, shop.id);
      await lockRow(tx, "DelaySettings", shop.id);
      const raced = await tx.discountCode.findUnique({ where: { messageId } });
      if (raced) return raced; // another worker wrote the row for this message first
      const full = overBudget(settings, await monthlyUsage(tx, shop, now), estimate, currency);
      if (full) return full;
      const created = await tx.discountCode.create({
        data: {
          shopId: shop.id,
          purpose: APOLOGY_PURPOSE,
          messageId,
          orderId: order.id,
          customerShopifyId: order.customerShopifyId,
          code: apologyCode(messageId),
          valueType: settings.discountType === "fixed_amount" ? "fixed_amount" : "percentage",
          value: settings.discountValue,
          currency,
          estimatedValueCents: estimate,
          endsAt: new Date(now.getTime() + settings.discountExpiryDays * DAY_MS),
          status: "pending",
          createdAt: now,
        },
      });
      await touchDays(tx, created.shopId, created.createdAt);
      return created;
    });
    if (typeof reserved === "string") return { kind: "none", reason: reserved };
    row = reserved;
  }

  switch (row.status) {
    case "created":
      return outcomeOf(row, input);
    case "failed":
      return { kind: "failed", reason: row.error ?? "the discount code could not be created" };
    default: {
      // Pending: a previous attempt may have created it before losing the answer.
      const found = await lookupCode(deps, shop.domain, row.code);
      if (found) return outcomeOf(await markCreated(deps, row, found.id), input);
      return createInShopify(deps, input, row);
    }
  }
}

const LOOKUP_QUERY = lookupByCodeQuery("TrustloopDiscountByCode");
const lookupResponse = lookupByCodeResponse;
const CREATE_MUTATION = createBasicCodeMutation("TrustloopApologyCode");
const createResponse = createBasicCodeResponse;

/** The DiscountCodeBasicInput of an apology code (exported for tests and the emulator's docs). */
export function apologyDiscountInput(
  row: Pick<DiscountCode, "code" | "valueType" | "value" | "currency" | "endsAt" | "customerShopifyId">,
  orderName: string | null,
  now: Date,
) {
  return {
    title: apologyTitle(orderName),
    ...singleUseCodeInput(row, now),
    customerGets: {
      value:
        row.valueType === "fixed_amount"
          ? { discountAmount: { amount: formatMinorUnits(row.value, row.currency), appliesOnEachItem: false } }
          : { percentage: row.value / 100 },
      items: { all: true },
    },
  };
}

async function createInShopify(deps: ApologyDeps, input: ApologyInput, row: DiscountCode): Promise<ApologyOutcome> {
  const variables = { input: apologyDiscountInput(row, input.order.name, deps.clock.now()) };
  const result = createResponse.parse(await call(deps, input.shop.domain, CREATE_MUTATION, variables));
  const payload = result.discountCodeBasicCreate;
  const errors = payload?.userErrors ?? [];
  if (errors.some((e) => e.code === "TAKEN" && (e.field ?? []).includes("code"))) {
    // Our code is derived from the message: if it exists, an earlier attempt of ours created it.
    const found = await lookupCode(deps, input.shop.domain, row.code);
    if (found && (!found.title || found.title.startsWith("Trustloop apology"))) return outcomeOf(await markCreated(deps, row, found.id), input);
    return markFailed(deps, row, `Shopify refused the code ${row.code}: it already exists and was not created by Trustloop`);
  }
  if (errors.length) return markFailed(deps, row, `Shopify refused the discount code: ${errors.map((e) => e.message).join("; ")}`);
  if (!payload?.codeDiscountNode) return markFailed(deps, row, "Shopify created no discount code and gave no reason");
  return outcomeOf(await markCreated(deps, row, payload.codeDiscountNode.id), input);
}

async function lookupCode(deps: ApologyDeps, shopDomain: string, code: string): Promise<{ id: string; title: string | null } | null> {
  const { codeDiscountNodeByCode: node } = lookupResponse.parse(await call(deps, shopDomain, LOOKUP_QUERY, { code }));
  if (!node) return null;
  return { id: node.id, title: node.codeDiscount?.title ?? null };
}

async function markCreated(deps: ApologyDeps, row: DiscountCode, shopifyId: string): Promise<DiscountCode> {
  const created = await deps.db.discountCode.update({
    where: { id: row.id },
    data: { status: "created", shopifyId, error: null, createdInShopifyAt: deps.clock.now() },
  });
  await touchDays(deps.db, created.shopId, created.createdAt);
  return created;
}

async function markFailed(deps: ApologyDeps, row: DiscountCode, reason: string): Promise<ApologyOutcome> {
  const error = reason.slice(0, 500);
  await deps.db.discountCode.update({ where: { id: row.id }, data: { status: "failed", error } });
  await touchDays(deps.db, row.shopId, row.createdAt);
  return { kind: "failed", reason: error };
}

class CallTimeout extends Error {}

/** One Admin API call with a deadline; transient failures become DiscountRetryLater. */
async function call(deps: ApologyDeps, shopDomain: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const timeoutMs = deps.timeoutMs ?? 20_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const request = deps.graphql(shopDomain, query, variables);
  request.catch(() => {}); // a late failure after the deadline is nobody's business
  try {
    return await Promise.race([
      request,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CallTimeout(`no answer from the Admin API within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    if (isRetryable(error)) throw new DiscountRetryLater((error as Error).message?.slice(0, 300) || "Admin API unavailable");
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function isRetryable(error: unknown): boolean {
  return error instanceof CallTimeout || isRetryableAdminError(error);
}
