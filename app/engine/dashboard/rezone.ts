// A shop's rollup days are its local days (days.ts). When its time zone changes, every stored day
// may hold figures that now belong to a neighbouring day, so every day of the shop's figures is
// marked dirty and the worker rebuilds them in the new zone like any other marked day (decision 021).
import type { Prisma } from "@prisma/client";
import { addDays, daysBetween } from "./days";
import { markDays } from "./touch";

/**
 * Zones span UTC−12 to UTC+14: moving to another zone shifts an instant's local day by at most two
 * days, so the range of stored days widened by two on each side holds every day that can get figures.
 */
const MAX_SHIFT_DAYS = 2;

export async function markEveryDayDirty(tx: Prisma.TransactionClient, shopId: string): Promise<number> {
  const [rolled, marked] = await Promise.all([
    tx.dailyRollup.aggregate({ where: { shopId }, _min: { day: true }, _max: { day: true } }),
    tx.rollupMark.aggregate({ where: { shopId }, _min: { day: true }, _max: { day: true } }),
  ]);
  const firsts = [rolled._min.day, marked._min.day].filter((d): d is string => !!d).sort();
  const lasts = [rolled._max.day, marked._max.day].filter((d): d is string => !!d).sort();
  if (!firsts.length || !lasts.length) return 0;
  const days = daysBetween(addDays(firsts[0], -MAX_SHIFT_DAYS), addDays(lasts[lasts.length - 1], MAX_SHIFT_DAYS));
  // One statement: a shop with years of history has a thousand days.
  await markDays(tx, shopId, days);
  return days.length;
}
