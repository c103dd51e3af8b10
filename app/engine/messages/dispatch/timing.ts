// Stage 3, timing: quiet hours in the recipient's zone, then (survey and marketing mail only) the
// per-customer frequency cap, which every kind of mail sent to the address counts towards. A
// message held by either is deferred to when it may go, never dropped.
import type { Message, Prisma, PrismaClient, Shop } from "@prisma/client";
import { capDeferral, isCapped } from "../../schedule/frequency-cap";
import { nextAllowedSendTime } from "../../schedule/quiet-hours";
import { settle } from "./settle";
import type { DispatchDeps } from "./types";

type Tx = Prisma.TransactionClient | PrismaClient;

/** The recipient's time zone when the message may go now; null when it was deferred. */
export async function timing(deps: DispatchDeps, message: Message, shop: Shop, recipient: string, now: Date): Promise<string | null> {
  const timezone = message.timezone ?? shop.timezone;
  const capUntil = isCapped(message.category) ? await capFor(deps.db, shop, recipient, now) : null;
  const notBefore = nextAllowedSendTime(capUntil ?? now, timezone, quietHours(shop));
  if (notBefore.getTime() <= now.getTime()) return timezone;
  const why = capUntil ? capReason(shop) : `quiet hours (${shop.quietHoursStart}–${shop.quietHoursEnd} ${timezone})`;
  await deferUntil(deps, message, why, notBefore, recipient);
  return null;
}

/** When the cap lets this message go at the earliest: past the cap, and out of quiet hours. */
export const afterCap = (shop: Shop, capUntil: Date, timezone: string) => nextAllowedSendTime(capUntil, timezone, quietHours(shop));

const quietHours = (shop: Shop) => ({ start: shop.quietHoursStart, end: shop.quietHoursEnd });

export const capReason = (shop: Shop) => `frequency cap (${shop.frequencyCapCount} per ${shop.frequencyCapHours} h)`;

/** Deferred until `notBefore`, keeping the recipient it was checked for. */
export function deferUntil(deps: DispatchDeps, message: Message, why: string, notBefore: Date, recipient: string, tx: Tx = deps.db) {
  return settle(deps, message, { to: "deferred", reason: `${why}: until ${notBefore.toISOString()}`, data: { sendAt: notBefore, recipient } }, tx);
}

/**
 * When the cap lets another email to this address go out (null: now). An email being sent by
 * another worker (status "sending", `except` aside) counts as sent now.
 */
export async function capFor(db: Tx, shop: Shop, recipient: string, now: Date, except?: string): Promise<Date | null> {
  const recent = await db.message.findMany({
    where: {
      shopId: shop.id,
      recipient,
      OR: [
        { status: "sent", sentAt: { gt: new Date(now.getTime() - shop.frequencyCapHours * 3_600_000) } },
        { status: "sending", ...(except ? { id: { not: except } } : {}) },
      ],
    },
    select: { sentAt: true },
  });
  return capDeferral({ sentAt: recent.map((r) => r.sentAt ?? now), now, cap: { count: shop.frequencyCapCount, hours: shop.frequencyCapHours } });
}
