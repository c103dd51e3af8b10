// A real SMTP server (smtp-server) that keeps every message, parsed with postal-mime.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Header names lower-cased; the first occurrence wins. */
  headers: Record<string, string>;
  messageId: string;
  receivedAt: string;
  /** SMTP envelope sender and recipients (recipients include Bcc). */
  envelope: { from: string; to: string[] };
}

/**
 * Scripted SMTP failures for tests and the console: "tempfail" answers 451 to RCPT TO,
 * "unavailable" answers 421 (the server is going away),
 * "reject" answers 550, "drop-after-data" takes the message then drops the connection
 * without a reply (the sender cannot know whether it was delivered).
 */
export type MailFaultMode = "tempfail" | "unavailable" | "reject" | "drop-after-data";

export interface MailCatcher {
  /** `to` limits the fault to one recipient address (other mail is unaffected). */
  injectFault(mode: MailFaultMode, times?: number, to?: string): void;
  clearFaults(): void;
  /** How many injected faults (of `mode`, when given) have not fired yet. */
  faultsLeft(mode?: MailFaultMode): number;
  messages(): CapturedMail[];
  message(id: string): CapturedMail | undefined;
  clear(): void;
  waitFor(predicate: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
}

const MAX_SIZE = 10 * 1024 * 1024;

export class SmtpMailCatcher implements MailCatcher {
  private store: CapturedMail[] = [];
  private faults: { mode: MailFaultMode; remaining: number; to?: string }[] = [];
  private events = new EventEmitter();
  private server: SMTPServer;

  private readonly log: (line: string) => void;
  private readonly now: () => Date;

  /** `now` stamps receivedAt (the sandbox passes the emulator clock). */
  constructor(opts: { log?: (line: string) => void; now?: () => Date } = {}) {
    this.log = opts.log ?? (() => {});
    this.now = opts.now ?? (() => new Date());
    this.events.setMaxListeners(0);
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      size: MAX_SIZE,
      logger: false,
      banner: "Trustloop sandbox mail catcher",
      onRcptTo: (address, _session, callback) => {
        const to = [address.address];
        const fault = this.takeFault("tempfail", to) ?? this.takeFault("unavailable", to) ?? this.takeFault("reject", to);
        if (fault === "tempfail") return callback(Object.assign(new Error("Try again later (sandbox fault)"), { responseCode: 451 }));
        if (fault === "unavailable") return callback(Object.assign(new Error("Service not available, closing channel (sandbox fault)"), { responseCode: 421 }));
        if (fault === "reject") return callback(Object.assign(new Error("Mailbox unavailable (sandbox fault)"), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const drop = this.takeFault(
          "drop-after-data",
          session.envelope.rcptTo.map((r) => r.address),
        );
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          if (stream.sizeExceeded) {
            const err = Object.assign(new Error("Message exceeds fixed maximum message size"), { responseCode: 552 });
            return callback(err);
          }
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          this.capture(Buffer.concat(chunks), envelope).then(
            () => (drop ? this.dropConnection(session.id) : callback()),
            (err: Error) => callback(err),
          );
        });
      },
    });
    this.server.on("error", (err) => this.log(`[mail] smtp error: ${err.message}`));
    // Without TCP_NODELAY every pipelined reply waits ~40 ms for a delayed ACK (Nagle).
    this.server.server.on("connection", (socket: import("node:net").Socket) => socket.setNoDelay(true));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve((this.server.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  injectFault(mode: MailFaultMode, times = 1, to?: string): void {
    this.faults.push({ mode, remaining: times, to: to?.toLowerCase() });
  }

  clearFaults(): void {
    this.faults = [];
  }

  faultsLeft(mode?: MailFaultMode): number {
    return this.faults.reduce((sum, f) => sum + (mode === undefined || f.mode === mode ? f.remaining : 0), 0);
  }

  private takeFault(mode: MailFaultMode, recipients: string[]): MailFaultMode | null {
    const lower = recipients.map((r) => r.toLowerCase());
    const fault = this.faults.find((f) => f.mode === mode && f.remaining > 0 && (!f.to || lower.includes(f.to)));
    if (!fault) return null;
    fault.remaining--;
    return mode;
  }

  /** Closes the client's socket without answering the end of DATA. */
  private dropConnection(sessionId: string) {
    const connections = (this.server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections;
    for (const connection of connections) if (connection.id === sessionId) connection._socket.destroy();
  }

  private async capture(raw: Buffer, envelope: CapturedMail["envelope"]): Promise<void> {
    const parsed = await PostalMime.parse(raw);
    const headers: Record<string, string> = {};
    for (const h of parsed.headers as unknown as { key: string; value: string }[]) {
      const key = h.key.toLowerCase();
      if (!(key in headers)) headers[key] = h.value;
    }
    const headerTo = (parsed.to ?? []).flatMap((a) => (a.address ? [a.address] : (a.group ?? []).flatMap((g) => (g.address ? [g.address] : []))));
    const mail: CapturedMail = {
      id: randomUUID(),
      to: envelope.to.length ? envelope.to : headerTo,
      from: parsed.from?.address ?? envelope.from,
      subject: parsed.subject ?? "",
      text: parsed.text ?? "",
      html: parsed.html ?? "",
      headers,
      messageId: parsed.messageId ?? "",
      receivedAt: this.now().toISOString(),
      envelope,
    };
    this.store.push(mail);
    this.log(`[mail] captured "${mail.subject}" to ${mail.to.join(", ")}`);
    this.events.emit("mail", mail);
  }

  messages(): CapturedMail[] {
    return [...this.store];
  }

  message(id: string): CapturedMail | undefined {
    return this.store.find((m) => m.id === id);
  }

  clear(): void {
    this.store = [];
  }

  waitFor(predicate: (m: CapturedMail) => boolean, timeoutMs = 5000): Promise<CapturedMail> {
    const existing = this.store.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onMail = (m: CapturedMail) => {
        if (!predicate(m)) return;
        clearTimeout(timer);
        this.events.off("mail", onMail);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.events.off("mail", onMail);
        reject(new Error(`no matching email within ${timeoutMs} ms (${this.store.length} captured)`));
      }, timeoutMs);
      this.events.on("mail", onMail);
    });
  }
}
