// The hosted review page behind /r/<token>: what it shows (GET, read-only) and what its POST
// records — one review per rated item, once, verified buyer; the reminder is cancelled and the
// product ratings recomputed.
import type { MessageKey } from "../i18n/catalogs";
import { messageLocale } from "../i18n/language";
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { PAGE_MESSAGE_FIELDS, pageBrand, type PageBrand } from "../email/page-brand";
import { cancelPendingMessages } from "../messages/ledger";
import { touchDays } from "../dashboard/touch";
import { publicAuthorName } from "./items";
import { ratingsChanged } from "./ratings";
import { askedItems, type AskedItem } from "./request";
import { lockRow, retryingTransaction } from "../util/locks";
import { reviewSubmittedEvent } from "../flow/payloads";
import { recordFlowTrigger } from "../flow/triggers";

export const TITLE_MAX = 150;
export const BODY_MAX = 5000;

export interface ReviewPageView extends PageBrand {
  messageId: string;
  items: AskedItem[];
  /** Reviews were already recorded from this link. */
  submitted: boolean;
  /** The review request's language: the page's. */
  locale: string;
}

export async function loadReviewPage(db: PrismaClient, mainMessageId: string): Promise<ReviewPageView | null> {
  const message = await db.message.findUnique({
    where: { id: mainMessageId },
    select: { ...PAGE_MESSAGE_FIELDS, step: true, orderId: true },
  });
  if (!message || message.step !== "main" || !message.orderId || message.shop.status !== "installed") return null;
  const items = await askedItems(db, message.id);
  if (!items.length) return null; // nothing was asked (or the customer was redacted)
  const submitted = (await db.review.count({ where: { messageId: message.id } })) > 0;
  return {
    messageId: message.id,
    ...pageBrand(message.shop),
    items,
    submitted,
    locale: messageLocale(message, message.shop, message.order?.locale),
  };
}

export interface ItemInput {
  rating: string;
  title: string;
  body: string;
}
/** Per field, the catalogue key of its error (the page says it in its language, with TITLE_MAX / BODY_MAX). */
export type ItemErrors = Partial<Record<"rating" | "title" | "body", MessageKey>>;

const trimmed = (max: number, tooLong: MessageKey) =>
  z
    .string()
    .transform((s) => s.replace(/\r\n/g, "\n").trim())
    .pipe(z.string().max(max, tooLong));

const itemSchema = z
  .object({
    rating: z.string().trim(),
    title: trimmed(TITLE_MAX, "review_page.error.title_too_long"),
    body: trimmed(BODY_MAX, "review_page.error.body_too_long"),
  })
  .superRefine((v, ctx) => {
    if (v.rating === "") {
      if (v.title || v.body) ctx.addIssue({ code: "custom", path: ["rating"], message: "review_page.error.choose_rating" });
      return;
    }
    if (!/^[1-5]$/.test(v.rating)) ctx.addIssue({ code: "custom", path: ["rating"], message: "review_page.error.rating_range" });
  });

/** Reads the form: fields rating-N, title-N, body-N for item N (1-based). */
export function readForm(form: FormData, count: number): ItemInput[] {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return Array.from({ length: count }, (_, i) => ({ rating: text(`rating-${i + 1}`), title: text(`title-${i + 1}`), body: text(`body-${i + 1}`) }));
}

export type SubmitResult =
  { kind: "recorded"; count: number } | { kind: "already" } | { kind: "invalid"; errors: ItemErrors[]; formError: MessageKey | null } | { kind: "gone" };

interface ValidItem {
  item: AskedItem;
  rating: number;
  title: string | null;
  body: string | null;
}

/** Each asked item against its input: the rated ones to record, or the errors to show beside each item. */
function checkItems(items: AskedItem[], inputs: ItemInput[]): { kind: "valid"; valid: ValidItem[] } | Extract<SubmitResult, { kind: "invalid" }> {
  const errors: ItemErrors[] = [];
  const valid: ValidItem[] = [];
  items.forEach((item, i) => {
    const parsed = itemSchema.safeParse(inputs[i] ?? { rating: "", title: "", body: "" });
    const e: ItemErrors = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) e[issue.path[0] as keyof ItemErrors] ??= issue.message as MessageKey;
    } else if (parsed.data.rating) {
      valid.push({ item, rating: Number(parsed.data.rating), title: parsed.data.title || null, body: parsed.data.body || null });
    }
    errors.push(e);
  });
  const invalid = errors.some((e) => Object.keys(e).length > 0);
  if (invalid || !valid.length) return { kind: "invalid", errors, formError: invalid ? null : "review_page.error.no_rating" };
  return { kind: "valid", valid };
}

export async function submitReviews(db: PrismaClient, clock: Clock, mainMessageId: string, inputs: ItemInput[]): Promise<SubmitResult> {
  const page = await loadReviewPage(db, mainMessageId);
  if (!page) return { kind: "gone" };
  if (page.submitted) return { kind: "already" };

  const checked = checkItems(page.items, inputs);
  if (checked.kind === "invalid") return checked;
  const valid = checked.valid;

  const now = clock.now();
  try {
    await retryingTransaction(db, async (tx) => {
      // Submits of one review request take turns: the second sees the first's reviews.
      await lockRow(tx, "Message", mainMessageId);
      const message = await tx.message.findUniqueOrThrow({
        where: { id: mainMessageId },
        select: { id: true, shopId: true, orderId: true, flowId: true, customerShopifyId: true, shop: { select: { autoPublishReviews: true } } },
      });
      if (await tx.review.count({ where: { messageId: message.id } })) throw new AlreadySubmitted();
      const customer = message.customerShopifyId
        ? await tx.customer.findUnique({ where: { shopId_shopifyId: { shopId: message.shopId, shopifyId: message.customerShopifyId } } })
        : null;
      const authorName = publicAuthorName(customer?.firstName, customer?.lastName);
      const status = message.shop.autoPublishReviews ? "published" : "pending"; // the same for every rating
      for (const v of valid) {
        const review = await tx.review.create({
          data: {
            shopId: message.shopId,
            orderId: message.orderId,
            messageId: message.id,
            productId: v.item.productId,
            productTitle: v.item.title,
            customerShopifyId: message.customerShopifyId,
            authorName,
            rating: v.rating,
            title: v.title,
            body: v.body,
            verifiedBuyer: true,
            status,
            submittedAt: now,
          },
        });
        await recordFlowTrigger(tx, reviewSubmittedEvent(review), clock);
      }
      await touchDays(tx, message.shopId, now); // every review above was submitted at `now`
      // The same order's and flow's reminder (none when the order link was cleared by a redaction).
      if (message.orderId) await cancelPendingMessages(tx, clock, { orderId: message.orderId, flowId: message.flowId, step: "reminder" }, "review received");
      await ratingsChanged(
        tx,
        clock,
        message.shopId,
        valid.map((v) => v.item.productId),
      );
    });
  } catch (error) {
    // A concurrent double submit loses on the unique (messageId, productId): same answer as a repeat.
    if (error instanceof AlreadySubmitted || (await db.review.count({ where: { messageId: mainMessageId } })) > 0) return { kind: "already" };
    throw error;
  }
  return { kind: "recorded", count: valid.length };
}

class AlreadySubmitted extends Error {}
