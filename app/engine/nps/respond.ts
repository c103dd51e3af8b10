// The hosted NPS page behind /n/<token>: what it shows (GET: nothing is recorded, mail scanners
// follow every link) and what its POST records — one answer per survey email, the customer's
// tenure, and for detractors a follow-up case.
import { messageLocale } from "../i18n/language";
import type { NpsTenure, Prisma, PrismaClient } from "@prisma/client";
import type { Clock } from "../clock";
import { PAGE_SHOP_FIELDS, pageBrand } from "../email/page-brand";
import { enqueueDetractorNotice } from "./notify-job";
import { dedupeKey } from "../flows/planner";
import { stripControl } from "../email/render/escape";
import { touchDays } from "../dashboard/touch";
import { npsReceivedEvent } from "../flow/payloads";
import { recordFlowTrigger } from "../flow/triggers";

type Tx = Prisma.TransactionClient | PrismaClient;

export type Segment = "promoter" | "passive" | "detractor";
export type Tenure = NpsTenure;

export const COMMENT_MAX = 2000;

export function segmentOf(score: number): Segment {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

/** Trimmed, no control characters (newlines kept), at most COMMENT_MAX characters; empty → null. */
export function cleanComment(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = stripControl(value.replace(/\r\n?/g, "\n").replace(/\t/g, " ")).trim();
  if (!text) return null;
  return Array.from(text).slice(0, COMMENT_MAX).join("").trimEnd();
}

export interface SurveyTarget {
  messageId: string;
  shopId: string;
  flowId: string;
  orderId: string;
  orderGid: string;
  orderName: string | null;
  customerShopifyId: string | null;
  shop: { name: string; brandColor: string; logoUrl: string | null; contactEmail: string | null; notifyDetractors: boolean; domain: string };
  /** The survey email's language: the page's. */
  locale: string;
}

/** The survey a token names: an NPS message of an installed shop whose order is still mirrored. */
export async function findSurvey(db: Tx, messageId: string): Promise<SurveyTarget | null> {
  const message = await db.message.findUnique({
    where: { id: messageId },
    select: {
      id: true,
      shopId: true,
      flowId: true,
      customerShopifyId: true,
      locale: true,
      flow: { select: { key: true } },
      order: { select: { id: true, shopifyId: true, name: true, customerShopifyId: true, locale: true } },
      shop: { select: { ...PAGE_SHOP_FIELDS, logoUrl: true, contactEmail: true, notifyDetractors: true, domain: true } },
    },
  });
  // Unknown, not a survey, redacted (order gone) or uninstalled: the link is not valid.
  if (!message || message.flow.key !== "nps" || !message.order || message.shop.status !== "installed") return null;
  const s = message.shop;
  const brand = pageBrand(s);
  return {
    messageId: message.id,
    shopId: message.shopId,
    flowId: message.flowId,
    orderId: message.order.id,
    orderGid: message.order.shopifyId,
    orderName: message.order.name,
    customerShopifyId: message.order.customerShopifyId ?? message.customerShopifyId,
    shop: {
      name: brand.shopName,
      brandColor: brand.brandColor,
      logoUrl: s.logoUrl && /^https:\/\//i.test(s.logoUrl) ? s.logoUrl : null,
      contactEmail: s.contactEmail,
      notifyDetractors: s.notifyDetractors,
      domain: s.domain,
    },
    locale: messageLocale(message, s, message.order.locale),
  };
}

export interface RecordedAnswer {
  responseId: string;
  score: number;
  comment: string | null;
  segment: Segment;
  caseId: string | null;
}

export async function existingAnswer(db: Tx, messageId: string): Promise<RecordedAnswer | null> {
  const row = await db.npsResponse.findUnique({ where: { messageId }, include: { followUp: { select: { id: true } } } });
  return row ? { responseId: row.id, score: row.score, comment: row.comment, segment: segmentOf(row.score), caseId: row.followUp?.id ?? null } : null;
}

/** First order of this customer, or returning: non-cancelled earlier orders in the mirror. */
export async function tenureOf(db: Tx, orderId: string): Promise<Tenure> {
  const order = await db.order.findUnique({ where: { id: orderId }, select: { id: true, shopId: true, placedAt: true, customerShopifyId: true, email: true } });
  if (!order?.placedAt) return "first";
  const same = order.customerShopifyId ? { customerShopifyId: order.customerShopifyId } : order.email ? { email: order.email } : null;
  if (!same) return "first";
  const previous = await db.order.count({
    where: { shopId: order.shopId, id: { not: order.id }, cancelledAt: null, placeholder: false, placedAt: { lt: order.placedAt }, ...same },
  });
  return previous > 0 ? "returning" : "first";
}

export type SubmitOutcome = { created: boolean; answer: RecordedAnswer };

/**
 * Records the answer once per survey email. A second submit (double click, back + resend) changes
 * nothing and returns the first answer. A detractor answer opens a case in the same transaction.
 */
export async function submitAnswer(
  db: PrismaClient,
  clock: Clock,
  survey: SurveyTarget,
  input: { score: number; comment: string | null },
): Promise<SubmitOutcome> {
  const before = await existingAnswer(db, survey.messageId);
  if (before) return { created: false, answer: before };
  const now = clock.now();
  const tenure = await tenureOf(db, survey.orderId);
  try {
    const answer = await db.$transaction(async (tx) => {
      const response = await tx.npsResponse.create({
        data: {
          shopId: survey.shopId,
          orderId: survey.orderId,
          messageId: survey.messageId,
          flowId: survey.flowId,
          customerShopifyId: survey.customerShopifyId,
          score: input.score,
          comment: input.comment,
          tenure,
          respondedAt: now,
        },
      });
      await touchDays(tx, response.shopId, response.respondedAt);
      const segment = segmentOf(input.score);
      await recordFlowTrigger(tx, npsReceivedEvent({ ...response, orderShopifyId: survey.orderGid, segment }), clock);
      const followUp =
        segment === "detractor" ? await tx.npsCase.create({ data: { shopId: survey.shopId, responseId: response.id, status: "open", openedAt: now } }) : null;
      // The shop is told by the worker; enqueued with the case so neither exists without the other.
      if (followUp) await enqueueDetractorNotice(tx, clock, survey.shopId, followUp.id);
      return { responseId: response.id, score: response.score, comment: response.comment, segment, caseId: followUp?.id ?? null };
    });
    return { created: true, answer };
  } catch (error) {
    // Two submits racing: the unique messageId lets one through; the other shows the first answer.
    if ((error as { code?: string }).code === "P2002") {
      const first = await existingAnswer(db, survey.messageId);
      if (first) return { created: false, answer: first };
    }
    throw error;
  }
}

/**
 * The order's review request (main email), when one went out: promoters are invited to it. null
 * when the order was never asked for a review (or the request did not go out), or when the
 * customer already reviewed it.
 */
export async function reviewRequestFor(db: Tx, survey: SurveyTarget): Promise<{ messageId: string } | null> {
  const message = await db.message.findUnique({
    where: { dedupeKey: dedupeKey(survey.shopId, survey.orderGid, "review_request", "main") },
    select: { id: true, status: true },
  });
  if (!message || (message.status !== "sent" && message.status !== "unknown")) return null;
  const reviewed = await db.review.count({ where: { messageId: message.id } });
  return reviewed > 0 ? null : { messageId: message.id };
}
