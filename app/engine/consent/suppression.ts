// The suppression list: addresses that must not receive (some) email from a shop.
// scope "all" (hard bounce, complaint, manual) blocks every email, service ones included;
// "survey" / "marketing" are unsubscribes from that category. Checked at send time.
import type { EmailCategory, Prisma, PrismaClient, SuppressionReason, SuppressionScope } from "@prisma/client";
import type { Clock } from "../clock";
import { normalizeEmail } from "../util/email";

type Tx = Prisma.TransactionClient | PrismaClient;

export type { SuppressionReason, SuppressionScope };
export type MessageCategory = EmailCategory;

export interface SuppressionState {
  all: boolean;
  survey: boolean;
  marketing: boolean;
  /** The recorded reason per suppressed scope (for the skip reason and the preferences page). */
  reasons: Partial<Record<SuppressionScope, string>>;
}

/**
 * Records a suppression; idempotent per (shop, address, scope). An existing row keeps its
 * original reason and time (a second unsubscribe does not rewrite the first).
 */
export async function suppress(
  tx: Tx,
  clock: Clock,
  input: { shopId: string; email: string; scope: SuppressionScope; reason: SuppressionReason; detail?: string | null },
): Promise<void> {
  const email = normalizeEmail(input.email);
  if (!email) throw new Error("suppress: empty address");
  // ON CONFLICT DO NOTHING (not an upsert: two unsubscribe clicks at once would collide); the first reason stays.
  await tx.suppression.createMany({
    data: [{ shopId: input.shopId, email, scope: input.scope, reason: input.reason, detail: input.detail ?? null, createdAt: clock.now() }],
    skipDuplicates: true,
  });
}

export async function suppressionFor(tx: Tx, shopId: string, email: string): Promise<SuppressionState> {
  return (await suppressionsFor(tx, [{ shopId, email }])).get(suppressionKey(shopId, email))!;
}

export const suppressionKey = (shopId: string, email: string) => `${shopId}\n${normalizeEmail(email)}`;

/** suppressionFor for many addresses in one read, by `suppressionKey(shopId, email)`. */
export async function suppressionsFor(tx: Tx, addresses: { shopId: string; email: string }[]): Promise<Map<string, SuppressionState>> {
  const states = new Map<string, SuppressionState>();
  const byShop = new Map<string, Set<string>>();
  for (const { shopId, email } of addresses) {
    states.set(suppressionKey(shopId, email), { all: false, survey: false, marketing: false, reasons: {} });
    byShop.set(shopId, (byShop.get(shopId) ?? new Set()).add(normalizeEmail(email)));
  }
  if (!byShop.size) return states;
  const rows = await tx.suppression.findMany({
    where: { OR: [...byShop].map(([shopId, emails]) => ({ shopId, email: { in: [...emails] } })) },
    select: { shopId: true, email: true, scope: true, reason: true },
  });
  for (const row of rows) {
    const state = states.get(suppressionKey(row.shopId, row.email));
    if (!state || (row.scope !== "all" && row.scope !== "survey" && row.scope !== "marketing")) continue;
    state[row.scope] = true;
    state.reasons[row.scope] = row.reason;
  }
  return states;
}

/**
 * The customer opts back in to a category: removes their own unsubscribes for that scope only.
 * Bounces, complaints and manual suppressions stay. Returns how many rows were removed.
 */
export async function resubscribe(tx: Tx, shopId: string, email: string, scope: SuppressionScope): Promise<number> {
  const { count } = await tx.suppression.deleteMany({
    where: { shopId, email: normalizeEmail(email), scope, reason: "unsubscribe" },
  });
  return count;
}

/**
 * The skip reason when `category` may not be sent to this address, else null.
 * Service mail is blocked only by scope "all"; survey by all | survey; marketing by all | marketing.
 */
export function isSuppressed(state: SuppressionState, category: MessageCategory): string | null {
  if (state.all) return skipReason(state.reasons.all);
  if (category === "survey" && state.survey) return skipReason(state.reasons.survey);
  if (category === "marketing" && state.marketing) return skipReason(state.reasons.marketing);
  return null;
}

function skipReason(reason: string | undefined): string {
  return reason === "unsubscribe" ? "unsubscribed" : `suppressed: ${reason ?? "manual"}`;
}
