// SMTP sending with honest outcomes: sent, transient (retry later), permanent (a 5xx answer to
// this message), or unknown (the connection was lost after the whole message went out, so the
// server may have accepted it: never resend blindly).
//
// How the outcome is decided from nodemailer (10.6, dist/esm/smtp-connection/index.js):
// - A server reply is on the error as `responseCode` (set by `_formatError` from the reply text)
//   and the step as `command`: "MAIL FROM" / "RCPT TO" (`_actionMAIL`, `_actionRCPT`,
//   `_envelopeError`, code EENVELOPE), "DATA" with code EENVELOPE when the DATA command itself
//   was refused (`_actionDATA`, before any payload), "DATA" with code EMESSAGE for the final
//   reply to the payload (`_actionSMTPStream`). A reply is an answer, never "unknown":
//   4xx and 503 → transient, other 5xx → permanent.
// - A lost connection carries no reply and does NOT say where it happened: `_onClose()` reports
//   `ECONNECTION` and `_onTimeout()` `ETIMEDOUT`, both with command "CONN", whether the socket
//   died during EHLO, after RCPT TO or after the final "." (socket errors: `ESOCKET`, "CONN").
//   So `err.command` cannot tell "lost before" from "lost after the DATA payload". Nodemailer
//   itself only knows it from the message stream: smtp-pool/pool-resource.js requeues a message
//   on a reused connection only when `messageStream.readableDidRead === false` ("not a byte of
//   the message was sent"). We track the same stream: a pass-through registered as the LAST
//   process function of the message (after DKIM signing), so it is the stream the connection
//   pipes into its DataStream (`_createSendStream`: `message.pipe(dataStream)`,
//   `dataStream.pipe(this._socket)`). Its 'end' fires once every byte was handed to the
//   DataStream, whose `_flush` then appends "\r\n.\r\n". A connection error after that point is
//   "unknown"; before it the server never saw the end of the data and discarded it → transient.
//   (The window between our 'end' and the terminator reaching the socket is a few microtasks;
//   an error there is reported as unknown, the safe side.)
import { PassThrough, type Readable } from "node:stream";
import { createPrivateKey } from "node:crypto";
import nodemailer from "nodemailer";
import SMTPPool from "nodemailer/lib/smtp-pool";

export interface OutgoingEmail {
  from: { name: string; address: string };
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** "<...@...>", deterministic, given by the caller (Message.rfcMessageId). */
  messageId: string;
  /** e.g. List-Unsubscribe, List-Unsubscribe-Post, X-Trustloop-Message */
  headers?: Record<string, string>;
}

/** The message as nodemailer takes it, without headers or signing; never reads a file or URL it names. */
export function mailOptions(email: OutgoingEmail) {
  return {
    from: { name: email.from.name, address: email.from.address },
    to: email.to,
    replyTo: email.replyTo ?? undefined,
    subject: email.subject,
    html: email.html,
    text: email.text,
    messageId: email.messageId,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export type SendOutcome =
  | { status: "sent"; response: string }
  /** 4xx reply, 503, or connection refused/reset/timeout BEFORE the message data was sent → retry later. */
  | { status: "transient"; error: string }
  /**
   * 5xx reply → fail. `stage` says what the server refused: only "recipient" (RCPT TO, or an
   * address that cannot be sent to at all) is about the recipient and warrants a suppression;
   * "sender" (MAIL FROM) is our configuration, "message" (DATA / content / size) this message.
   * code 0: refused by nodemailer before talking to the server.
   */
  | { status: "permanent"; error: string; code: number; stage: "sender" | "recipient" | "message" }
  /** Connection lost AFTER the DATA payload was sent, before the final reply → never resend blindly. */
  | { status: "unknown"; error: string };

export interface Mailer {
  send(email: OutgoingEmail): Promise<SendOutcome>;
  close(): void;
}

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * Signed headers. nodemailer's default list signs List-Unsubscribe but not
 * List-Unsubscribe-Post; RFC 8058 §4 requires both in the DKIM signature. Headers missing from
 * a message are left out of h= by the signer.
 */
export const DKIM_SIGNED_HEADERS = [
  "From",
  "Sender",
  "Reply-To",
  "Subject",
  "Date",
  "Message-ID",
  "To",
  "Cc",
  "MIME-Version",
  "Content-Type",
  "Content-Transfer-Encoding",
  "In-Reply-To",
  "References",
  "List-Id",
  "List-Unsubscribe",
  "List-Unsubscribe-Post",
  "Feedback-ID",
  "X-Trustloop-Message",
].join(":");

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
const DEFAULT_CONNECTIONS = 3;

/** Structural, transport-owned headers a caller may not override through `headers`. */
const RESERVED_HEADERS = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "reply-to",
  "subject",
  "message-id",
  "date",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "dkim-signature",
  "sender",
  "return-path",
]);

const ADDRESS = /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/;

type Tracker = { payloadHandedOver: boolean };
const TRACKER_KEY = "trustloopPayloadTracker";

/** `connections`: SMTP connections the pool keeps open at most (one message at a time on each). */
export function createMailer(options: { smtpUrl: string; dkim?: DkimOptions | null; connections?: number }): Mailer {
  const dkim = options.dkim ? checkedDkim(options.dkim) : null;
  const pool = new SMTPPool({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.connections ?? DEFAULT_CONNECTIONS,
    maxMessages: 100,
    ...TIMEOUTS,
    logger: false,
    debug: false,
  });
  const transport = {
    name: "trustloop-smtp",
    version: "1",
    send(mail: Parameters<typeof pool.send>[0], callback: Parameters<typeof pool.send>[1]) {
      // Our own key on the message data (nodemailer copies the data's own keys onto mail.data).
      const tracker = (mail.data as { [TRACKER_KEY]?: Tracker })[TRACKER_KEY] ?? { payloadHandedOver: false };
      // Registered here, i.e. after the mailer added its DKIM process function: this is the
      // last stage, the stream the SMTP connection reads the payload from (see the top comment).
      // The pool calls createReadStream() again when it requeues a message, so each stream
      // resets the flag.
      mail.message.processFunc((input: Readable) => {
        tracker.payloadHandedOver = false;
        const tap = new PassThrough();
        tap.once("end", () => {
          tracker.payloadHandedOver = true;
        });
        input.once("error", (err) => tap.destroy(err));
        input.pipe(tap);
        return tap;
      });
      pool.send(mail, callback);
    },
    close: () => pool.close(),
    isIdle: () => pool.isIdle(),
  };
  const transporter = nodemailer.createTransport(transport);
  let closed = false;

  return {
    async send(email: OutgoingEmail): Promise<SendOutcome> {
      if (closed) return { status: "transient", error: "mailer is closed" };
      if (!ADDRESS.test(email.to)) {
        return { status: "permanent", error: "invalid recipient address", code: 0, stage: "recipient" };
      }
      const tracker: Tracker = { payloadHandedOver: false };
      const data = {
        [TRACKER_KEY]: tracker,
        ...mailOptions(email),
        headers: customHeaders(email.headers),
        dkim: dkim ? { ...dkim, headerFieldNames: DKIM_SIGNED_HEADERS } : undefined,
      };
      try {
        const info = await transporter.sendMail(data);
        return { status: "sent", response: redact(String(info.response ?? "")) };
      } catch (error) {
        return classifySmtpError(error, tracker.payloadHandedOver);
      }
    },
    close() {
      closed = true;
      transporter.close();
    },
  };
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * The outcome of a failed send. `payloadHandedOver`: the whole message (up to the final
 * "\r\n.\r\n") had been handed to the connection when the error happened.
 */
export function classifySmtpError(error: unknown, payloadHandedOver: boolean): Exclude<SendOutcome, { status: "sent" }> {
  const err = (typeof error === "object" && error !== null ? error : { message: String(error) }) as NodemailerError;
  const code = typeof err.code === "string" ? err.code : "";
  const command = typeof err.command === "string" ? err.command : "";
  const text = redact(`${code || "Error"}${command ? ` (${command})` : ""}: ${err.message ?? "unknown error"}`);
  const reply = typeof err.responseCode === "number" && err.responseCode > 0 ? err.responseCode : null;

  if (reply !== null) {
    // The server answered. 421 = closing (RFC 5321 4.2), 4xx = try again later, 503 = bad
    // sequence of commands (a session problem, not this message: nodemailer's own
    // isPermanentResponseCode excludes it too).
    if (reply < 500 || reply === 503) return { status: "transient", error: text };
    if (command === "RCPT TO") return { status: "permanent", error: text, code: reply, stage: "recipient" };
    if (command === "MAIL FROM") return { status: "permanent", error: text, code: reply, stage: "sender" };
    if (command === "DATA") return { status: "permanent", error: text, code: reply, stage: "message" };
    // 5xx to EHLO / AUTH / STARTTLS (e.g. 535 bad credentials): configuration, not this message.
    return { status: "transient", error: text };
  }
  // No reply. After the payload went out the server may have the message.
  if (payloadHandedOver) return { status: "unknown", error: text };
  // Refused locally before anything was sent (bad envelope, message too large for the
  // server's SIZE, too many recipients): sending it again would be refused again.
  if (code === "EENVELOPE" || code === "EMESSAGE" || code === "EMAXRECIPIENTS") {
    return { status: "permanent", error: text, code: 0, stage: "message" };
  }
  // ECONNECTION (incl. refused: originalCode ECONNREFUSED), ETIMEDOUT, ESOCKET, EDNS, ETLS,
  // EPROTOCOL, EAUTH, … before the payload: nothing was delivered.
  return { status: "transient", error: text };
}

function customHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!/^[A-Za-z0-9-]+$/.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new Error(`header ${name} is set by the transport`);
    out[name] = value.replace(/[\r\n]+/g, " ");
  }
  return out;
}

function checkedDkim(dkim: DkimOptions): DkimOptions {
  try {
    createPrivateKey(dkim.privateKey);
  } catch {
    // nodemailer would silently send unsigned mail with an unusable key.
    throw new Error("DKIM private key is not a valid PEM private key");
  }
  return { domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey: dkim.privateKey };
}

/** Server replies often echo the address ("550 5.1.1 <jo@example.com>: …"): keep it out of logs. */
function redact(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, "[address]").slice(0, 500);
}

/** Splits MAIL_FROM ("Shop <hello@example.com>" or "hello@example.com"). */
export function parseMailFrom(mailFrom: string): { name: string | null; address: string } {
  const trimmed = mailFrom.trim();
  const angle = /^(.*)<([^<>\s]+@[^<>\s]+)>$/.exec(trimmed);
  if (angle) {
    let name = angle[1].trim();
    if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, "$1");
    return { name: name || null, address: angle[2] };
  }
  if (/^[^<>\s@]+@[^<>\s@]+$/.test(trimmed)) return { name: null, address: trimmed };
  throw new Error('MAIL_FROM must be an address, e.g. "Shop <hello@example.com>"');
}

/** DKIM options from the validated environment (all three variables or none). */
export function dkimFromEnv(env: { DKIM_DOMAIN?: string; DKIM_SELECTOR?: string; DKIM_PRIVATE_KEY?: string }): DkimOptions | null {
  if (!env.DKIM_DOMAIN || !env.DKIM_SELECTOR || !env.DKIM_PRIVATE_KEY) return null;
  return { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR, privateKey: env.DKIM_PRIVATE_KEY };
}
