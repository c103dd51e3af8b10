// Email pauses ("Pause Trustloop emails for a customer", a Shopify Flow action): no Trustloop
// email to the address until the pause ends. Unlike a suppression it holds every category —
// service, survey and marketing mail alike — because the merchant's workflow asked for silence
// (a complaint being handled, a chargeback), and it ends by itself. Checked at send time.
import type { Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { normalizeEmail } from "../util/email";
import { suppressionKey } from "./suppression";

type Tx = Prisma.TransactionClient | PrismaClient;

const DAY_MS = 86_400_000;

/**
 * The skip reason of a message due at `now` while its recipient is paused until `until`, else null.
 * The instant stays machine-readable in the ledger; the admin shows it in the shop's zone (formatReason).
 */
export function pauseReason(until: Date | null | undefined, now: Date): string | null {
  return until && until.getTime() > now.getTime() ? `paused by Shopify Flow until ${until.toISOString()}` : null;
}

/** The pauses of many addresses in one read, by `suppressionKey(shopId, email)` (ended ones included: the caller compares). */
export async function pausesFor(tx: Tx, addresses: { shopId: string; email: string }[]): Promise<Map<string, Date>> {
  const byShop = new Map<string, Set<string>>();
  for (const { shopId, email } of addresses) {
    if (email) byShop.set(shopId, (byShop.get(shopId) ?? new Set()).add(normalizeEmail(email)));
  }
  if (!byShop.size) return new Map();
  const rows = await tx.emailPause.findMany({
    where: { OR: [...byShop].map(([shopId, emails]) => ({ shopId, email: { in: [...emails] } })) },
    select: { shopId: true, email: true, until: true },
  });
  return new Map(rows.map((row) => [suppressionKey(row.shopId, row.email), row.until]));
}

/**
 * Pauses the address for `days` from now; a longer pause already in place stays (never shortened).
 * Safe to repeat and to race: insert-if-missing, then extend only when it ends earlier. Returns when it ends.
 */
export async function pauseEmails(tx: Tx, clock: Clock, input: { shopId: string; email: string; days: number; actionRunId: string | null }): Promise<Date> {
  const email = normalizeEmail(input.email);
  if (!email) throw new Error("pauseEmails: empty address");
  const until = new Date(clock.now().getTime() + input.days * DAY_MS);
  const { count } = await tx.emailPause.createMany({ data: [{ shopId: input.shopId, email, until, actionRunId: input.actionRunId }], skipDuplicates: true });
  if (!count) {
    await tx.emailPause.updateMany({ where: { shopId: input.shopId, email, until: { lt: until } }, data: { until, actionRunId: input.actionRunId } });
  }
  const row = await tx.emailPause.findUniqueOrThrow({ where: { shopId_email: { shopId: input.shopId, email } }, select: { until: true } });
  return row.until;
}
