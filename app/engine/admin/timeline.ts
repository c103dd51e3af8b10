// The order timeline's "Messages" card: each message of one order with every event and reason,
// and the merchant's "Send again" for a message whose delivery is unknown.
import type { PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { languageName } from "../i18n/language";
import { transition } from "../messages/ledger";
import { formatInZone, formatReason } from "./format";

export async function orderMessages(db: PrismaClient, shop: { id: string; timezone: string }, orderId: string) {
  const messages = await db.message.findMany({
    where: { shopId: shop.id, orderId },
    orderBy: [{ dueAt: "asc" }, { createdAt: "asc" }],
    include: { flow: { select: { name: true } }, events: { orderBy: { at: "asc" } } },
  });
  return messages.map((m) => ({
    id: m.id,
    flow: m.flow.name + (m.step !== "main" ? ` (${m.step})` : ""),
    status: m.status,
    language: m.locale ? languageName(m.locale) : null, // null: planned before languages were recorded
    reason: formatReason(m.reason, shop.timezone),
    due: formatInZone(m.dueAt, shop.timezone),
    sendAt: m.sendAt.getTime() !== m.dueAt.getTime() ? formatInZone(m.sendAt, shop.timezone) : null,
    sent: m.sentAt ? formatInZone(m.sentAt, shop.timezone) : null,
    events: m.events.map((e) => ({ id: e.id, at: formatInZone(e.at, shop.timezone), status: e.status, reason: formatReason(e.reason, shop.timezone) })),
  }));
}

/**
 * "Send again" for a message whose outcome is unknown: back to scheduled, due now. Only the
 * merchant decides this (the recipient may already have it). False when the message is not
 * this shop's or no longer unknown.
 */
export async function resendUnknownMessage(db: PrismaClient, clock: Clock, shopId: string, messageId: string): Promise<boolean> {
  const message = await db.message.findFirst({ where: { id: messageId, shopId, status: "unknown" }, select: { id: true } });
  if (!message) return false;
  return transition(db, clock, message, {
    from: ["unknown"],
    to: "scheduled",
    reason: "resent by merchant",
    data: { sendAt: clock.now(), lockedBy: null, lockedUntil: null },
  });
}
