// Detractor follow-up: the merchant's notification when a case opens, the case life cycle
// (open → contacted → resolved, response time = contactedAt − openedAt) and "close the loop", a
// reply email from the case to the customer. Emails are plain, escaped, and honest about SMTP.
import type { NpsCaseStatus, PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { bodyToHtml, cleanSubject, escapeHtml as e, normalizeBody } from "../email/render/escape";
import type { Mailer, OutgoingEmail, SendOutcome } from "../email/transport";
import { suppressionFor } from "../consent/suppression";
import { fromName } from "../email/sender-name";

export type CaseStatus = NpsCaseStatus;
export interface MailDeps {
  mailer: Mailer;
  from: { address: string; name: string | null };
}

const domainOf = (from: { address: string }) => from.address.split("@")[1] ?? "localhost";

/** The link a merchant follows from the notification: the case inside the embedded app. */
export function adminCaseUrl(shopDomain: string, apiKey: string, caseId: string): string {
  return `https://${shopDomain}/admin/apps/${encodeURIComponent(apiKey)}/app/nps?case=${encodeURIComponent(caseId)}`;
}

/**
 * "A detractor answered": to the shop's contact address. The subject names the score and order,
 * never the customer's address; the comment is escaped in the HTML part.
 */
export function detractorNotification(
  input: { shopName: string; contactEmail: string; caseId: string; score: number; comment: string | null; orderName: string | null; caseUrl: string },
  from: { address: string; name: string | null },
): OutgoingEmail {
  const order = input.orderName ? ` (order ${input.orderName})` : "";
  const subject = cleanSubject(`NPS: a customer answered ${input.score}/10${order}`);
  const comment = input.comment ? normalizeBody(input.comment) : null;
  const text = [
    `A customer of ${input.shopName} answered your NPS survey with ${input.score} out of 10${order}.`,
    comment ? `Their comment:\n\n${comment}` : "They left no comment.",
    `A follow-up case is open in Trustloop › NPS. Reply from the case to close the loop:\n${input.caseUrl}`,
  ].join("\n\n");
  const html =
    `<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;color:#1f2937;font-size:15px;line-height:1.5;">` +
    `<p>A customer of ${e(input.shopName)} answered your NPS survey with <strong>${e(input.score)} out of 10</strong>${e(order)}.</p>` +
    (comment
      ? `<p>Their comment:</p><blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d1d5db;">${bodyToHtml(comment)}</blockquote>`
      : `<p>They left no comment.</p>`) +
    `<p>A follow-up case is open in Trustloop › NPS. <a href="${e(input.caseUrl)}">Open the case</a> to reply and close the loop.</p>` +
    `</body></html>`;
  return {
    from: { name: "Trustloop", address: from.address },
    to: input.contactEmail,
    subject,
    html,
    text: `${text}\n`,
    messageId: `<nps-case.${input.caseId}@${domainOf(from)}>`,
    headers: { "X-Trustloop-Nps-Case": input.caseId },
  };
}

export type NotifyOutcome = { status: "sent" | "skipped" | "failed" | "unknown"; detail: string };

export async function notifyDetractor(
  deps: MailDeps,
  shop: { name: string; contactEmail: string | null; notifyDetractors: boolean; domain: string },
  c: { caseId: string; score: number; comment: string | null; orderName: string | null },
  apiKey: string,
): Promise<NotifyOutcome> {
  if (!shop.notifyDetractors) return { status: "skipped", detail: "notifications are off" };
  if (!shop.contactEmail) return { status: "skipped", detail: "the shop has no contact address" };
  const email = detractorNotification(
    { ...c, shopName: shop.name, contactEmail: shop.contactEmail, caseUrl: adminCaseUrl(shop.domain, apiKey, c.caseId) },
    deps.from,
  );
  return describe(await deps.mailer.send(email));
}

function describe(outcome: SendOutcome): NotifyOutcome {
  switch (outcome.status) {
    case "sent":
      return { status: "sent", detail: outcome.response };
    case "unknown":
      return { status: "unknown", detail: `the connection dropped after the email was handed over; it may have arrived (${outcome.error})` };
    default:
      return { status: "failed", detail: outcome.error };
  }
}

// ---- the case life cycle ----

export const replySchema = z.object({
  subject: z.string().trim().min(1, "Enter a subject").max(200, "At most 200 characters"),
  body: z.string().trim().min(1, "Write a message").max(10_000, "At most 10,000 characters"),
});
export const statusSchema = z.object({ status: z.enum(["open", "contacted", "resolved"]) });

/** Milliseconds from opening to first contact; null while nobody contacted the customer. */
export function responseTimeMs(c: { openedAt: Date; contactedAt: Date | null }): number | null {
  return c.contactedAt ? Math.max(0, c.contactedAt.getTime() - c.openedAt.getTime()) : null;
}

/** Moves a case; contactedAt is set once (the first contact), resolvedAt each time it is resolved. */
export async function setCaseStatus(db: PrismaClient, clock: Clock, shopId: string, caseId: string, status: CaseStatus): Promise<boolean> {
  const current = await db.npsCase.findFirst({ where: { id: caseId, shopId } });
  if (!current) return false;
  const now = clock.now();
  await db.npsCase.update({
    where: { id: current.id },
    data: {
      status,
      contactedAt: status !== "open" && !current.contactedAt ? now : undefined,
      resolvedAt: status === "resolved" ? now : status === "open" ? null : undefined,
    },
  });
  return true;
}

export type ReplyResult = { status: "sent"; to: string } | { status: "unknown"; reason: string } | { status: "failed"; reason: string };

/**
 * "Close the loop": the merchant's reply goes to the order's address, from the shop's sender name,
 * replies to the shop. Sent → the reply is recorded and the case is contacted. Unknown outcome →
 * the reply is recorded but the case is not marked (the merchant decides; we never resend).
 * Failed → nothing changes.
 */
export async function sendCaseReply(
  db: PrismaClient,
  clock: Clock,
  deps: MailDeps,
  shop: Pick<Shop, "id" | "name" | "senderName" | "replyTo" | "contactEmail" | "brandColor">,
  caseId: string,
  reply: { subject: string; body: string },
): Promise<ReplyResult> {
  const c = await db.npsCase.findFirst({
    where: { id: caseId, shopId: shop.id },
    include: { response: { select: { orderId: true } } },
  });
  if (!c) return { status: "failed", reason: "case not found" };
  const order = c.response.orderId ? await db.order.findUnique({ where: { id: c.response.orderId }, select: { email: true } }) : null;
  const to = order?.email?.trim();
  if (!to) return { status: "failed", reason: "the order has no email address (it may have been redacted)" };
  const blocked = await suppressionFor(db, shop.id, to);
  if (blocked.all) return { status: "failed", reason: `the address is on the suppression list (${blocked.reasons.all ?? "bounce"})` };

  const subject = cleanSubject(reply.subject);
  const body = normalizeBody(reply.body);
  const now = clock.now();
  const outcome = await deps.mailer.send({
    from: { name: fromName(shop, deps.from.name), address: deps.from.address },
    to,
    replyTo: shop.replyTo ?? shop.contactEmail,
    subject,
    text: `${body}\n`,
    html: `<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;color:#1f2937;font-size:15px;line-height:1.55;">${bodyToHtml(body)}</body></html>`,
    // One id per attempt: a later reply is a different email, not a duplicate of this one.
    messageId: `<nps-reply.${c.id}.${now.getTime().toString(36)}@${domainOf(deps.from)}>`,
    headers: { "X-Trustloop-Nps-Case": c.id },
  });
  if (outcome.status === "sent" || outcome.status === "unknown") {
    await db.npsCase.update({
      where: { id: c.id },
      data: {
        replySubject: subject,
        replyBody: body,
        ...(outcome.status === "sent" ? { status: c.status === "resolved" ? "resolved" : "contacted", contactedAt: c.contactedAt ?? now } : {}),
      },
    });
  }
  switch (outcome.status) {
    case "sent":
      return { status: "sent", to };
    case "unknown":
      return {
        status: "unknown",
        reason: `the connection dropped after the email was handed over; it may have arrived (${outcome.error}). The case was not marked contacted: check with the customer before sending again.`,
      };
    default:
      return { status: "failed", reason: outcome.error };
  }
}
