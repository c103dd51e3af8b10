// Loyalty points math, pure: what an order earns, which tier a member is in, what a refund reverses,
// and what a balance can buy. The database side is in ./ledger.ts.
import { z } from "zod";
import { discountValueLabel } from "../i18n/format";
import type { Translator } from "../i18n/translate";
import { minorUnitDigits } from "../util/money";

export const tierSchema = z.object({
  name: z.string().trim().min(1).max(60),
  thresholdCents: z.number().int().min(0),
  multiplier: z.number().positive().max(100),
});
export type Tier = z.infer<typeof tierSchema>;

export const rewardSchema = z
  .object({
    points: z.number().int().positive(),
    valueType: z.enum(["fixed_amount", "percentage"]),
    value: z.number().int().positive(), // minor units, or percent
  })
  .refine((r) => r.valueType !== "percentage" || r.value <= 100, { message: "a percentage is at most 100", path: ["value"] });
export type Reward = z.infer<typeof rewardSchema>;

/** Stored JSON (jsonb) is parsed, never trusted: a broken value means "none". */
export function parseTiers(stored: unknown): Tier[] {
  const parsed = z.array(tierSchema).safeParse(stored);
  return parsed.success ? [...parsed.data].sort((a, b) => a.thresholdCents - b.thresholdCents) : [];
}

export function parseRewards(stored: unknown): Reward[] {
  const parsed = z.array(rewardSchema).safeParse(stored);
  return parsed.success ? [...parsed.data].sort((a, b) => a.points - b.points) : [];
}

export interface EarnSettings {
  pointsPerUnit: number;
  includeShipping: boolean;
  includeTax: boolean;
}

export interface OrderAmounts {
  subtotalCents: number | null; // after discounts (Shopify's subtotal_price)
  totalShippingCents: number | null;
  totalTaxCents: number | null;
  currency: string | null;
}

/** The amount points are earned on, in minor units. */
export function earnBaseCents(order: OrderAmounts, settings: EarnSettings): number {
  let base = order.subtotalCents ?? 0;
  if (settings.includeShipping) base += order.totalShippingCents ?? 0;
  if (settings.includeTax) base += order.totalTaxCents ?? 0;
  return Math.max(0, base);
}

/** floor(whole currency units × points per unit × tier multiplier). */
export function pointsForOrder(order: OrderAmounts, settings: EarnSettings, multiplier = 1): number {
  const units = earnBaseCents(order, settings) / 10 ** minorUnitDigits(order.currency);
  // Rounded to 1e-9 first so 19.99 × 100 does not floor to 1998 through float noise.
  return Math.max(0, Math.floor(Math.round(units * settings.pointsPerUnit * multiplier * 1e9) / 1e9));
}

/** The highest tier whose threshold the rolling 12-month spend reaches, or null. */
export function tierFor(tiers: Tier[], spendCents: number): Tier | null {
  let found: Tier | null = null;
  for (const t of [...tiers].sort((a, b) => a.thresholdCents - b.thresholdCents)) if (spendCents >= t.thresholdCents) found = t;
  return found;
}

/** Whether moving from tier `from` (null: none) to `to` is a step up the merchant's ladder (a tier no longer configured ranks lowest). */
export function tierRose(tiers: Tier[], from: string | null, to: string): boolean {
  const rank = (name: string | null) => tiers.findIndex((t) => t.name === name);
  return rank(to) > rank(from);
}

/**
 * Points one refund takes back: round(earned × refund ÷ order total), never more than what is left
 * of the order's points (`remaining`), never negative.
 */
export function reversalPoints(earned: number, refundCents: number, orderTotalCents: number | null, remaining: number): number {
  if (earned <= 0 || remaining <= 0 || refundCents <= 0) return 0;
  const proRata = !orderTotalCents || orderTotalCents <= 0 ? remaining : Math.round((earned * refundCents) / orderTotalCents);
  return Math.min(Math.max(0, proRata), remaining);
}

/** "$5.00 off for 500 points", in the reader's language (English for the admin and the ledger). */
export function rewardLabel(reward: Reward, currency: string | null, tr?: Pick<Translator, "locale" | "t">): string {
  const value = discountValueLabel(reward.valueType, reward.value, currency, tr?.locale);
  return tr ? tr.t("loyalty.reward", { value, points: reward.points }) : `${value} off for ${reward.points} points`;
}

/** The best reward the balance can buy (the most points), or null. */
export function bestAffordable(rewards: Reward[], balance: number): Reward | null {
  let best: Reward | null = null;
  for (const r of rewards) if (r.points <= balance && (!best || r.points > best.points)) best = r;
  return best;
}

export interface LedgerRow {
  kind: string;
  points: number;
  status: string;
}

/** Balance = approved entries; pending = pending earns net of their pending reversals. */
export function sumLedger(entries: LedgerRow[]): { balance: number; pending: number } {
  let balance = 0;
  let pending = 0;
  for (const e of entries) {
    if (e.status === "approved") balance += e.points;
    else if (e.status === "pending") pending += e.points;
  }
  return { balance, pending: Math.max(0, pending) };
}
