// Who a compliance request is about, resolved once into the ids every table is looked up by.
// customers/redact, customers/data_request and the coverage list (coverage.ts) all use it, so the
// report and the redaction find the same rows.
import type { Prisma } from "@prisma/client";

type Tx = Prisma.TransactionClient;

export interface CustomerSubject {
  shopId: string;
  customerGid: string | null;
  email: string | null;
  /** Orders named by the request (orders_to_redact, orders_requested), as gids. */
  orderGids: string[];
}

export interface CustomerScope {
  shopId: string;
  customerGid: string | null;
  email: string | null;
  /** The email as the tables that store it lower-cased hold it (suppressions, loyalty members). */
  emailLower: string | null;
  orderIds: string[];
  orderGids: string[];
  messageIds: string[];
  memberIds: string[];
  /** CustomerStat keys: the gid, the email, and the keys the customer's orders were counted under. */
  statsKeys: string[];
}

/** The filters that apply (a customer known only by email has no gid filter, and so on). */
export const present = <T>(...filters: (T | null | false | "")[]) => filters.filter((f): f is T => !!f);

/** Rows that store the customer's gid and email in these columns: found by either. */
export function byGidOrEmail<G extends string, E extends string>(s: Pick<CustomerSubject, "customerGid" | "email">, gidColumn: G, emailColumn: E) {
  type Filter = Partial<Record<G | E, string>>;
  return present<Filter>(s.customerGid && ({ [gidColumn]: s.customerGid } as Filter), s.email && ({ [emailColumn]: s.email } as Filter));
}

export function orderFilters(s: Pick<CustomerSubject, "customerGid" | "email" | "orderGids">): Prisma.OrderWhereInput[] {
  return present<Prisma.OrderWhereInput>(
    s.orderGids.length > 0 && { shopifyId: { in: s.orderGids } },
    s.customerGid && { customerShopifyId: s.customerGid },
    s.email && { email: s.email },
  );
}

export async function resolveCustomerScope(tx: Tx, subject: CustomerSubject): Promise<CustomerScope> {
  const { shopId, customerGid, email } = subject;
  const emailLower = email?.toLowerCase() ?? null;
  const byOrder = orderFilters(subject);
  const orders = byOrder.length ? await tx.order.findMany({ where: { shopId, OR: byOrder }, select: { id: true, shopifyId: true, statsKey: true } }) : [];
  const orderIds = orders.map((o) => o.id);
  const messages = await tx.message.findMany({
    where: { shopId, OR: [{ orderId: { in: orderIds } }, ...byGidOrEmail(subject, "customerShopifyId", "recipient")] },
    select: { id: true },
  });
  const memberWhere = present<Prisma.LoyaltyMemberWhereInput>(customerGid && { customerShopifyId: customerGid }, emailLower && { email: emailLower });
  const members = memberWhere.length ? await tx.loyaltyMember.findMany({ where: { shopId, OR: memberWhere }, select: { id: true } }) : [];
  return {
    shopId,
    customerGid,
    email,
    emailLower,
    orderIds,
    orderGids: [...new Set([...subject.orderGids, ...orders.map((o) => o.shopifyId)])],
    messageIds: messages.map((m) => m.id),
    memberIds: members.map((m) => m.id),
    statsKeys: [...new Set(present(customerGid, email, ...orders.map((o) => o.statsKey)))],
  };
}

/** Rows tied to the customer directly (gid) or through one of their orders or messages. */
export function byCustomerOrderOrMessage(s: CustomerScope) {
  return present<{ customerShopifyId?: string; orderId?: { in: string[] }; messageId?: { in: string[] } }>(
    { orderId: { in: s.orderIds } },
    { messageId: { in: s.messageIds } },
    s.customerGid && { customerShopifyId: s.customerGid },
  );
}
