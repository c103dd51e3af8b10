// Frequency cap: at most `count` emails per customer within any trailing `hours` window,
// and the order in which competing emails claim a slot. The cap defers survey and marketing mail
// only; service mail about an order is never deferred by it, but it counts towards it (decision 013).
import type { EmailCategory } from "@prisma/client";

export interface FrequencyCap {
  /** At most this many emails… (<= 0 disables the cap) */
  count: number;
  /** …per this many hours (<= 0 disables the cap) */
  hours: number;
}

const HOUR_MS = 3_600_000;

/**
 * When another email to this customer may go out.
 * A send at `s` counts against the cap while `t - s < hours` (the trailing window (t − hours, t]);
 * sends timestamped after `now` (clock skew, already claimed slots) count too.
 * Returns null when fewer than `count` sends are in the window at `now`; otherwise the earliest
 * instant at which the count drops below `count`: the `count`-th most recent send + `hours`.
 */
export function capDeferral(input: { sentAt: readonly Date[]; now: Date; cap: FrequencyCap }): Date | null {
  const { sentAt, now, cap } = input;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError("now must be a valid Date");
  if (!Number.isFinite(cap.count) || !Number.isFinite(cap.hours)) throw new RangeError("cap.count and cap.hours must be finite");
  if (cap.count <= 0 || cap.hours <= 0) return null;
  if (!Number.isInteger(cap.count)) throw new RangeError("cap.count must be an integer");

  const windowMs = cap.hours * HOUR_MS;
  const windowStart = now.getTime() - windowMs;
  const inWindow: number[] = [];
  for (const sent of sentAt) {
    const ms = sent instanceof Date ? sent.getTime() : NaN;
    if (Number.isNaN(ms)) throw new RangeError("sentAt must hold valid Dates");
    if (ms > windowStart) inWindow.push(ms);
  }
  if (inWindow.length < cap.count) return null;
  inWindow.sort((a, b) => b - a); // most recent first
  return new Date(inWindow[cap.count - 1] + windowMs);
}

/**
 * Whether the cap may defer an email of this category. Service mail (thank-you, delay notice,
 * check-in) is part of the purchase: holding it back would put one order's mail out of order.
 * Unknown categories are capped, like the promotional mail they most likely are.
 */
export function isCapped(category: string): boolean {
  return category !== "service";
}

/** Lower sorts first: service mail (delay notices) beats surveys beats marketing. */
export const CATEGORY_PRIORITY = { service: 0, survey: 1, marketing: 2 } as const satisfies Record<EmailCategory, number>;

export type { EmailCategory };

function priorityOf(category: string): number {
  return Object.prototype.hasOwnProperty.call(CATEGORY_PRIORITY, category) ? CATEGORY_PRIORITY[category as EmailCategory] : Number.MAX_SAFE_INTEGER; // unknown categories (raw DB strings) go last
}

/**
 * Comparator for `Array.prototype.sort`: by category priority (service, survey, marketing, then
 * anything unknown), then earlier `sendAt` first. Equal items compare 0 (sort is stable).
 */
export function byPriority(a: { category: string; sendAt: Date }, b: { category: string; sendAt: Date }): number {
  const byCategory = priorityOf(a.category) - priorityOf(b.category);
  if (byCategory !== 0) return byCategory;
  return a.sendAt.getTime() - b.sendAt.getTime();
}
