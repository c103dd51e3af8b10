// The one mailer factory: SMTP_URL, MAIL_FROM, DKIM signing when configured and the pool size, read
// from the environment the same way for every process that sends (the worker, the web server's
// test emails and case replies).
import type { Env } from "./env.server";
import { createMailer, dkimFromEnv, parseMailFrom, type Mailer } from "./engine/email/transport";

/** Pool size when TRUSTLOOP_SMTP_CONNECTIONS is unset: one per job slot, up to this many. */
const SMTP_CONNECTIONS_DEFAULT_MAX = 5;
// The sandbox has a catcher and a default sender; production requires both (env.server.ts).
const SANDBOX_SMTP_URL = "smtp://127.0.0.1:2525";
const SANDBOX_MAIL_FROM = "Trustloop <no-reply@localhost>";

export interface AppMailer {
  mailer: Mailer;
  from: { name: string | null; address: string };
  messageIdDomain: string;
}

export function mailerFromEnv(config: Env): AppMailer {
  const from = parseMailFrom(config.MAIL_FROM ?? SANDBOX_MAIL_FROM);
  // The pool opens connections only as sends need them: a web request sending one email uses one.
  const connections = config.TRUSTLOOP_SMTP_CONNECTIONS ?? Math.min(config.TRUSTLOOP_WORKER_CONCURRENCY, SMTP_CONNECTIONS_DEFAULT_MAX);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL ?? SANDBOX_SMTP_URL, dkim: dkimFromEnv(config), connections });
  return { mailer, from, messageIdDomain: from.address.split("@")[1] ?? new URL(config.SHOPIFY_APP_URL).hostname };
}

/** A mailer for one piece of work (a request's email), closed when the work is done. */
export async function withMailer<T>(config: Env, work: (mail: AppMailer) => Promise<T>): Promise<T> {
  const mail = mailerFromEnv(config);
  try {
    return await work(mail);
  } finally {
    mail.mailer.close();
  }
}
