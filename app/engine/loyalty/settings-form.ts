// The loyalty program form: earning settings, tiers and rewards as rows of fields (`tiers.0.name`,
// `rewards.1.value`…), validated into the stored settings. Every error is keyed by the field it is
// about, so the page shows it on that field. Amounts are typed in the shop's currency ("250" or
// "250.50") and stored in minor units, like every other amount.
import type { LoyaltySettings, PrismaClient } from "@prisma/client";
import { formatMinorUnits, toMinorUnits } from "../util/money";
import { parseRewards, parseTiers, rewardSchema, tierSchema, type Reward, type Tier } from "./points";

export const MAX_ROWS = 10;
export const REWARD_TYPES = ["fixed_amount", "percentage"] as const;

export interface TierFields {
  name: string;
  threshold: string;
  multiplier: string;
}
export interface RewardFields {
  points: string;
  valueType: string;
  value: string;
}
export interface LoyaltyFormValues {
  pointsPerUnit: string;
  pendingDays: string;
  includeShipping: boolean;
  includeTax: boolean;
  tiers: TierFields[];
  rewards: RewardFields[];
}
export type LoyaltyFieldErrors = Record<string, string>;

const AMOUNT = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** The form's values from the stored settings. */
export function loyaltyFormValues(settings: LoyaltySettings, currency: string): LoyaltyFormValues {
  return {
    pointsPerUnit: String(settings.pointsPerUnit),
    pendingDays: String(settings.pendingDays),
    includeShipping: settings.includeShipping,
    includeTax: settings.includeTax,
    tiers: parseTiers(settings.tiers).map((t) => ({ name: t.name, threshold: formatMinorUnits(t.thresholdCents, currency), multiplier: String(t.multiplier) })),
    rewards: parseRewards(settings.rewards).map((r) => ({
      points: String(r.points),
      valueType: r.valueType,
      value: r.valueType === "fixed_amount" ? formatMinorUnits(r.value, currency) : String(r.value),
    })),
  };
}

/** Rows of `prefix.N.field` entries, in index order (gaps closed: a removed row leaves none). */
function rows(fields: Record<string, unknown>, prefix: string): Record<string, string>[] {
  const byIndex = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(fields)) {
    const m = new RegExp(`^${prefix}\\.(\\d{1,3})\\.(\\w+)$`).exec(key);
    if (!m || typeof value !== "string") continue;
    const row = byIndex.get(Number(m[1])) ?? {};
    row[m[2]] = value.trim();
    byIndex.set(Number(m[1]), row);
  }
  return [...byIndex].sort(([a], [b]) => a - b).map(([, row]) => row);
}

function wholeNumber(value: string | undefined, label: string, min: number, max: number): number | string {
  if (!value) return `${label} is required`;
  if (!WHOLE.test(value)) return `${label} must be a whole number`;
  const n = Number(value);
  if (n < min) return `${label} must be at least ${min}`;
  if (n > max) return `${label} must be at most ${max}`;
  return n;
}

function tierOf(row: Record<string, string>, currency: string, errors: (field: string, message: string) => void): Tier | null {
  const name = row.name ?? "";
  if (!name) errors("name", "Give the tier a name");
  else if (name.length > 60) errors("name", "At most 60 characters");
  const threshold = row.threshold ?? "";
  if (!AMOUNT.test(threshold)) errors("threshold", "Enter an amount like 500 or 500.00");
  const multiplier = Number(row.multiplier);
  if (!AMOUNT.test(row.multiplier ?? "") || multiplier <= 0) errors("multiplier", "Enter a number above 0, like 1.5");
  else if (multiplier > 100) errors("multiplier", "At most 100");
  const parsed = tierSchema.safeParse({ name, thresholdCents: toMinorUnits(threshold, currency), multiplier });
  return parsed.success ? parsed.data : null;
}

function rewardOf(row: Record<string, string>, currency: string, errors: (field: string, message: string) => void): Reward | null {
  const points = wholeNumber(row.points, "Points", 1, 1_000_000);
  if (typeof points === "string") errors("points", points);
  const valueType = (REWARD_TYPES as readonly string[]).includes(row.valueType ?? "") ? (row.valueType as Reward["valueType"]) : null;
  if (!valueType) errors("valueType", "Choose an amount or a percentage");
  let value: number | null = null;
  if (valueType === "percentage") {
    const percent = wholeNumber(row.value, "The percentage", 1, 100);
    if (typeof percent === "string") errors("value", percent);
    else value = percent;
  } else if (valueType === "fixed_amount") {
    const cents = AMOUNT.test(row.value ?? "") ? toMinorUnits(row.value, currency) : null;
    if (!cents) errors("value", "Enter an amount above 0, like 5 or 5.00");
    else value = cents;
  }
  const parsed = rewardSchema.safeParse({ points, valueType, value });
  return parsed.success ? parsed.data : null;
}

export type LoyaltyFormResult =
  | { ok: true; data: { pointsPerUnit: number; pendingDays: number; includeShipping: boolean; includeTax: boolean; tiers: Tier[]; rewards: Reward[] } }
  | { ok: false; errors: LoyaltyFieldErrors };

/** Validates a posted form; errors are keyed by field name (`pointsPerUnit`, `tiers.1.threshold`…). */
export function parseLoyaltyForm(fields: Record<string, unknown>, currency: string): LoyaltyFormResult {
  const errors: LoyaltyFieldErrors = {};
  const text = (key: string) => (typeof fields[key] === "string" ? (fields[key] as string).trim() : "");
  const pointsPerUnit = wholeNumber(text("pointsPerUnit"), "Points per unit", 0, 1000);
  if (typeof pointsPerUnit === "string") errors.pointsPerUnit = pointsPerUnit;
  const pendingDays = wholeNumber(text("pendingDays"), "The return window", 0, 365);
  if (typeof pendingDays === "string") errors.pendingDays = pendingDays;

  const tierRows = rows(fields, "tiers");
  const rewardRows = rows(fields, "rewards");
  if (tierRows.length > MAX_ROWS) errors.tiers = `At most ${MAX_ROWS} tiers`;
  if (rewardRows.length > MAX_ROWS) errors.rewards = `At most ${MAX_ROWS} rewards`;
  const tiers = tierRows.map((row, i) => tierOf(row, currency, (field, message) => (errors[`tiers.${i}.${field}`] ??= message)));
  const rewards = rewardRows.map((row, i) => rewardOf(row, currency, (field, message) => (errors[`rewards.${i}.${field}`] ??= message)));

  // Tiers are told apart by name and reached by spend: two alike would make one unreachable.
  tiers.forEach((tier, i) => {
    if (!tier) return;
    const earlier = tiers.slice(0, i);
    if (earlier.some((t) => t?.name.toLowerCase() === tier.name.toLowerCase())) errors[`tiers.${i}.name`] ??= "Another tier has this name";
    if (earlier.some((t) => t?.thresholdCents === tier.thresholdCents)) errors[`tiers.${i}.threshold`] ??= "Another tier starts at this spend";
  });
  rewards.forEach((reward, i) => {
    if (reward && rewards.slice(0, i).some((r) => r?.points === reward.points)) errors[`rewards.${i}.points`] ??= "Another reward costs the same points";
  });

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    data: {
      pointsPerUnit: pointsPerUnit as number,
      pendingDays: pendingDays as number,
      includeShipping: fields.includeShipping === "on",
      includeTax: fields.includeTax === "on",
      tiers: (tiers as Tier[]).sort((a, b) => a.thresholdCents - b.thresholdCents),
      rewards: (rewards as Reward[]).sort((a, b) => a.points - b.points),
    },
  };
}

/** Saves a valid form for the shop; returns the field errors otherwise (nothing saved). */
export async function saveLoyaltyForm(
  db: PrismaClient,
  shop: { id: string; currency: string },
  fields: Record<string, unknown>,
): Promise<{ saved: true } | { errors: LoyaltyFieldErrors }> {
  const parsed = parseLoyaltyForm(fields, shop.currency);
  if (!parsed.ok) return { errors: parsed.errors };
  const data = parsed.data;
  await db.loyaltySettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...data }, update: data });
  return { saved: true };
}
