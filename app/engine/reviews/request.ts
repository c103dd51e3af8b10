// The review-request flow extension: right before each send, decide which products to ask about
// (kept items, not asked within 12 months), record the asks, and sign the hosted-page link.
// Step "main" asks; step "reminder" re-sends the same link unless a review arrived.
import type { Prisma, PrismaClient } from "@prisma/client";
import { dedupeKey } from "../flows/planner";
import type { LinkKeys } from "../links/tokens";
import type { FlowExtension, Prepared } from "../messages/extensions";
import { translator } from "../i18n/translate";
import { keptProducts } from "./items";
import { reviewLinkExpiry, reviewUrl } from "./links";

type Tx = Prisma.TransactionClient | PrismaClient;

export const ASK_CAP_DAYS = 365;

export interface ReviewRequestOptions {
  appUrl: string;
  secret: LinkKeys;
}

export interface AskedItem {
  productId: string;
  title: string;
}

/** The products a (main) review-request message asked about, in a stable order. */
export async function askedItems(db: Tx, mainMessageId: string): Promise<AskedItem[]> {
  const asks = await db.reviewAsk.findMany({ where: { messageId: mainMessageId }, orderBy: [{ askedAt: "asc" }, { id: "asc" }] });
  if (!asks.length) return [];
  const message = await db.message.findUnique({ where: { id: mainMessageId }, select: { orderId: true } });
  const titles = message?.orderId
    ? new Map(
        (await db.lineItem.findMany({ where: { orderId: message.orderId }, select: { productId: true, title: true } })).map((li) => [li.productId, li.title]),
      )
    : new Map<string | null, string>();
  return asks.map((a) => ({ productId: a.productId, title: titles.get(a.productId) ?? "Your item" }));
}

export function reviewRequest(options: ReviewRequestOptions): FlowExtension {
  return {
    async prepare({ db, clock, message, flow, shop, order, customer, locale }): Promise<Prepared> {
      const now = clock.now();
      const main =
        message.step === "main" ? message : await db.message.findUnique({ where: { dedupeKey: dedupeKey(shop.id, order.shopifyId, flow.key, "main") } });
      if (!main) return { ok: false, status: "skipped", reason: "no review request was sent for this order" };

      const kept = keptProducts(order);
      let items: AskedItem[];
      if (message.step === "main") {
        if (!kept.length) return { ok: false, status: "skipped", reason: "no kept items" };
        const email = order.email ?? customer?.email ?? null;
        const who = [...(order.customerShopifyId ? [{ customerShopifyId: order.customerShopifyId }] : []), ...(email ? [{ email }] : [])];
        const since = new Date(now.getTime() - ASK_CAP_DAYS * 86_400_000);
        const recent = who.length
          ? await db.reviewAsk.findMany({
              where: { shopId: shop.id, messageId: { not: message.id }, productId: { in: kept.map((k) => k.productId) }, askedAt: { gt: since }, OR: who },
              select: { productId: true },
            })
          : [];
        const askedBefore = new Set(recent.map((r) => r.productId));
        items = kept.filter((k) => !askedBefore.has(k.productId));
        if (!items.length) return { ok: false, status: "skipped", reason: "already asked about these products within 12 months" };
        await db.$transaction(async (tx) => {
          // ON CONFLICT DO NOTHING: a retried preparation of the same message records each ask once.
          await tx.reviewAsk.createMany({
            data: items.map((item) => ({
              shopId: shop.id,
              messageId: message.id,
              customerShopifyId: order.customerShopifyId,
              email,
              productId: item.productId,
              askedAt: now,
            })),
            skipDuplicates: true,
          });
        });
      } else {
        const reviewed = await db.review.count({
          where: { shopId: shop.id, OR: [{ messageId: main.id }, { orderId: order.id }, { messageId: message.id }] },
        });
        if (reviewed) return { ok: false, status: "skipped", reason: "review received" };
        const stillKept = new Set(kept.map((k) => k.productId));
        items = (await askedItems(db, main.id)).filter((i) => stillKept.has(i.productId));
        if (!items.length) return { ok: false, status: "skipped", reason: "no kept items" };
      }

      // The link lives 180 days from the first ask, whichever email carries it (the same URL in both).
      const firstAsk = await db.reviewAsk.findFirst({ where: { messageId: main.id }, orderBy: { askedAt: "asc" }, select: { askedAt: true } });
      const issuedAt = firstAsk?.askedAt ?? now;
      const url = reviewUrl(options.appUrl, options.secret, main.id, reviewLinkExpiry(issuedAt));
      return {
        ok: true,
        context: {
          review: { items: items.map((item, i) => ({ title: item.title, url: `${url}#item-${i + 1}` })) },
          links: { review_url: url },
        },
        cta: { label: translator(locale).t("review_request.write_review"), url },
      };
    },
  };
}
