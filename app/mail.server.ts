// The app's mailer as configured: SMTP_URL, MAIL_FROM, and DKIM signing when configured — the
// same for every email the web server sends as for the worker's.
import type { Env } from "./env.server";
import { createMailer, dkimFromEnv, parseMailFrom } from "./engine/email/transport";

export function mailerFromEnv(config: Env) {
  const from = parseMailFrom(config.MAIL_FROM ?? "Trustloop <no-reply@localhost>");
  const mailer = createMailer({ smtpUrl: config.SMTP_URL ?? "smtp://127.0.0.1:2525", dkim: dkimFromEnv(config), connections: config.TRUSTLOOP_SMTP_CONNECTIONS });
  return { mailer, from, messageIdDomain: from.address.split("@")[1] ?? "localhost" };
}
