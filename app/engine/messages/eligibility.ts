// Right before each send, everything is checked again: the order, the flow, consent,
// suppression and conditions may all have changed since the message was scheduled.
import type { Customer, Flow, Message, Order, Prisma, PrismaClient, Shop } from "@prisma/client";
import { orderStopReason, type OrderWithShipments } from "../flows/anchors";
import { lineItemFacts, parseConditions, splitTags, unmetCondition } from "../flows/conditions";
import { isSuppressed, type SuppressionState } from "../consent/suppression";

export interface SendFacts {
  message: Message;
  shop: Shop;
  flow: Flow;
  order: OrderWithShipments | null;
  customer: Customer | null;
  suppression: SuppressionState;
  previousOrders: number;
  productTags: string[] | null;
  /** The products' collections as looked up (handles and titles); null when they could not be. */
  collections: string[] | null;
}

export type Verdict = { send: true; recipient: string } | { send: false; status: "cancelled" | "skipped"; reason: string };

export function hasMarketingConsent(order: Order, customer: Customer | null): boolean {
  if (customer?.marketingConsent) return customer.marketingConsent === "SUBSCRIBED";
  return order.buyerAcceptsMarketing === true;
}

export function checkEligibility(f: SendFacts): Verdict {
  if (f.shop.status !== "installed") return { send: false, status: "cancelled", reason: "shop uninstalled" };
  if (!f.order) return { send: false, status: "cancelled", reason: "customer redacted" };
  const stop = orderStopReason(f.order);
  if (stop) return { send: false, status: "cancelled", reason: stop };
  if (!f.flow.enabled) return { send: false, status: "skipped", reason: "flow disabled" };
  const recipient = f.order.email ?? f.customer?.email ?? null;
  if (!recipient) return { send: false, status: "skipped", reason: "no email address on the order" };
  if (f.message.category === "marketing" && !hasMarketingConsent(f.order, f.customer)) {
    return { send: false, status: "skipped", reason: "no marketing consent" };
  }
  const suppressed = isSuppressed(f.suppression, f.message.category);
  if (suppressed) return { send: false, status: "skipped", reason: suppressed };
  const unmet = unmetCondition(parseConditions(f.flow.conditions), {
    totalCents: f.order.totalCents,
    shipCountry: f.order.shipCountry,
    ...lineItemFacts(f.order.lineItems),
    productTags: f.productTags,
    collections: f.collections,
    customerTags: splitTags(f.customer?.tags),
    previousOrders: f.previousOrders,
    subscribed: f.customer ? hasMarketingConsent(f.order, f.customer) : false,
  });
  if (unmet) return { send: false, status: "skipped", reason: `conditions no longer met: ${unmet}` };
  return { send: true, recipient };
}

/** "Once per customer per N days" flows (NPS): the reason to skip, or null. */
export async function throttleReason(
  db: PrismaClient | Prisma.TransactionClient,
  message: Pick<Message, "id" | "shopId" | "flowId" | "customerShopifyId">,
  flow: Pick<Flow, "throttleDays">,
  recipient: string,
  now: Date,
): Promise<string | null> {
  if (!flow.throttleDays) return null;
  const since = new Date(now.getTime() - flow.throttleDays * 86_400_000);
  const earlier = await db.message.findFirst({
    where: {
      shopId: message.shopId,
      flowId: message.flowId,
      id: { not: message.id },
      // An email another worker is sending right now counts as sent (see the send gate, dispatch/send-gate.ts).
      AND: [
        { OR: [{ status: "sent", sentAt: { gt: since } }, { status: "sending" }] },
        { OR: [{ recipient }, ...(message.customerShopifyId ? [{ customerShopifyId: message.customerShopifyId }] : [])] },
      ],
    },
    select: { id: true },
  });
  return earlier ? `already surveyed within ${flow.throttleDays} days` : null;
}

/** Service mail a delay notice makes unnecessary: mail anchored to the order's creation (the thank-you), not a journey's steps. */
export function replacedByDelayNotice(flow: Pick<Flow, "trigger" | "category"> & Partial<Pick<Flow, "journeyId">>): boolean {
  return flow.trigger === "order_created" && flow.category === "service" && !flow.journeyId;
}

/**
 * A thank-you after a delay notice about the same order reads as if nothing were wrong, and the
 * notice already said what the thank-you would: of `messages`, the ids to skip for that reason
 * (one read for all of them). A notice that may have gone out (sending, unknown) counts as sent.
 */
export async function supersededIds(
  db: PrismaClient,
  messages: { message: Pick<Message, "id" | "orderId">; flow: Pick<Flow, "trigger" | "category"> & Partial<Pick<Flow, "journeyId">> }[],
): Promise<Set<string>> {
  const candidates = messages.filter(({ message, flow }) => message.orderId && replacedByDelayNotice(flow)).map(({ message }) => message);
  if (!candidates.length) return new Set();
  const notices = await db.message.findMany({
    where: { orderId: { in: [...new Set(candidates.map((m) => m.orderId!))] }, anchor: "delay_detected", status: { in: ["sending", "sent", "unknown"] } },
    select: { id: true, orderId: true },
  });
  return new Set(candidates.filter((m) => notices.some((n) => n.orderId === m.orderId && n.id !== m.id)).map((m) => m.id));
}

export const SUPERSEDED_REASON = "a delay notice about this order went out first";
