// The admin's test email, for the flow editor and the journey builder alike: a template rendered
// from the sample order and sent only to the shop's own addresses (the shop's, or the signed-in
// staff member's), within the shop's hourly allowance shared by both pages.
import type { PrismaClient, Shop } from "@prisma/client";
import type { Env } from "./env.server";
import type { AppMailer } from "./mail.server";
import { renderEmail } from "./engine/email/render";
import { sampleInput, sendTestEmail, testRecipients, type TestEmailResult } from "./engine/admin/preview";
import { testEmailQuota } from "./engine/admin/test-email-quota";
import { staffEmail } from "./shopify/staff.server";

export interface TestEmailContext {
  db: PrismaClient;
  shop: Shop;
  config: Env;
  withMailer: <T>(work: (mail: AppMailer) => Promise<T>) => Promise<T>;
}

export async function sendAdminTestEmail(
  request: Request,
  { db, shop, config, withMailer }: TestEmailContext,
  template: { subject: string; body: string; category: string },
  to: string,
  language = "",
): Promise<TestEmailResult> {
  const recipients = testRecipients(shop, await staffEmail(request, shop.domain));
  const input = sampleInput(shop, template, config.SHOPIFY_APP_URL, language);
  return withMailer(({ mailer, from, messageIdDomain }) =>
    sendTestEmail({ mailer, from, render: (i) => renderEmail(i), quota: testEmailQuota(db) }, shop, input, to, recipients, messageIdDomain),
  );
}
