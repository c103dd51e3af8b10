// The admin's loyalty members: the list (search, balance, pending, tier, recent ledger), and a manual
// adjustment or a redemption on a member's behalf. Always within one shop: a member id of another
// shop is "No such member.", never read or changed.
import type { PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { formatInZone } from "../admin/format";
import { DiscountRetryLater } from "../discounts/apology";
import type { ShopGraphql } from "../shopify/products";
import { adjustPoints, memberBalance } from "./ledger";
import { redeemReward } from "./rewards";

const MEMBERS_SHOWN = 25;
const ENTRIES_SHOWN = 20;
const NO_MEMBER = { ok: false as const, error: "No such member." };

export type MemberActionResult = { ok: true; balance?: number; code?: string | null } | { ok: false; error: string };

/** The newest members of the shop whose email or first name contains `query` (any case). */
export async function memberList(db: PrismaClient, shop: Pick<Shop, "id" | "timezone">, query: string) {
  const q = query.trim();
  const members = await db.loyaltyMember.findMany({
    where: { shopId: shop.id, ...(q ? { OR: [{ email: { contains: q, mode: "insensitive" } }, { firstName: { contains: q, mode: "insensitive" } }] } : {}) },
    orderBy: { enrolledAt: "desc" },
    take: MEMBERS_SHOWN,
    include: { entries: { orderBy: { createdAt: "desc" }, take: ENTRIES_SHOWN } },
  });
  return Promise.all(
    members.map(async (m) => ({
      id: m.id,
      email: m.email,
      firstName: m.firstName,
      tier: m.tier,
      ...(await memberBalance(db, m.id)),
      entries: m.entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        points: e.points,
        status: e.status,
        reason: e.reason,
        actor: e.actor,
        at: formatInZone(e.createdAt, shop.timezone),
      })),
    })),
  );
}

/** Who made a manual change, as the ledger records it: the staff member's email or id, else "merchant". */
export function staffActor(user: { id: number | string; email?: string | null } | null | undefined): string {
  return user ? user.email || `staff ${user.id}` : "merchant";
}

async function isShopMember(db: PrismaClient, shopId: string, memberId: string): Promise<boolean> {
  return (await db.loyaltyMember.count({ where: { id: memberId, shopId } })) > 0;
}

/** A signed manual adjustment of a member of this shop (see adjustPoints for the rules). */
export async function adjustMemberPoints(
  db: PrismaClient,
  clock: Clock,
  shopId: string,
  input: { memberId: string; points: number; reason: string; actor: string; requestId: string },
): Promise<MemberActionResult> {
  if (!(await isShopMember(db, shopId, input.memberId))) return NO_MEMBER;
  return adjustPoints(db, clock, input);
}

/**
 * A redemption on the customer's behalf (e.g. asked by email). The request id comes from the
 * rendered form, so a double click redeems once; when Shopify is busy the points stay reserved for
 * that request id and the merchant tries again.
 */
export async function redeemForMember(
  db: PrismaClient,
  clock: Clock,
  graphql: ShopGraphql,
  shopId: string,
  input: { memberId: string; rewardIndex: number; requestId: string },
): Promise<MemberActionResult> {
  if (!(await isShopMember(db, shopId, input.memberId))) return NO_MEMBER;
  try {
    const result = await redeemReward(db, clock, graphql, input);
    return result.ok ? { ok: true, code: result.code } : { ok: false, error: result.error };
  } catch (error) {
    if (error instanceof DiscountRetryLater) return { ok: false, error: "Shopify is busy: try again in a minute (the points are reserved for this request)." };
    throw error;
  }
}
