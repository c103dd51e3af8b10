// The loyalty ladder tests climb: Silver from 50, Gold from 200 (rolling 12-month spend).
import type { Stack } from "./stack";

export const SILVER_GOLD = [
  { name: "Silver", thresholdCents: 5_000, multiplier: 1 },
  { name: "Gold", thresholdCents: 20_000, multiplier: 2 },
];

/** Gives the shop these tiers (its loyalty settings are created when missing). */
export async function setLoyaltyTiers(stack: Stack, shop: string, tiers = SILVER_GOLD) {
  const { id: shopId } = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  await stack.db.loyaltySettings.upsert({ where: { shopId }, create: { shopId, tiers }, update: { tiers } });
}
