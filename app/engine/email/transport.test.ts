// The transport against real local SMTP servers (smtp-server on ephemeral ports): each way a
// send can end is produced by a server that really behaves that way.
import { generateKeyPairSync } from "node:crypto";
import net, { type AddressInfo, type Socket } from "node:net";
import PostalMime from "postal-mime";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { classifySmtpError, createMailer, parseMailFrom, type Mailer, type OutgoingEmail } from "./transport";

interface TestServer {
  url: string;
  received: Buffer[];
  sockets: Set<Socket>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startServer(options: Partial<SMTPServerOptions> & { afterData?: (raw: Buffer) => Error | "destroy" | null } = {}): Promise<TestServer> {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  const { afterData, ...rest } = options;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        received.push(raw);
        const verdict = afterData ? afterData(raw) : null;
        if (verdict === "destroy") {
          for (const socket of sockets) socket.destroy();
          return; // never answer
        }
        callback(verdict ?? undefined);
      });
    },
    ...rest,
  });
  server.on("error", () => {}); // the destroyed connections report here
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const { port } = server.server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { url: `smtp://127.0.0.1:${port}`, received, sockets, close };
}

function mailerFor(url: string, dkim?: Parameters<typeof createMailer>[0]["dkim"]): Mailer {
  const mailer = createMailer({ smtpUrl: url, dkim });
  cleanups.push(() => mailer.close());
  return mailer;
}

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

const email: OutgoingEmail = {
  from: { name: "Demo Shop", address: "hello@shop.example" },
  to: "jo@example.com",
  replyTo: "help@shop.example",
  subject: "How is your order?",
  html: "<p>Hello Jo</p>",
  text: "Hello Jo",
  messageId: "<msg-123.review_request.main@trustloop.example>",
  headers: {
    "List-Unsubscribe": "<https://app.example/u/abc.def>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "X-Trustloop-Message": "msg-123",
  },
};

describe("createMailer().send", () => {
  it("keeps up to `connections` SMTP connections open: five sends to a slow server run side by side", async () => {
    let inData = 0;
    let mostAtOnce = 0;
    const server = await startServer({
      onData(stream, _session, callback) {
        inData++;
        mostAtOnce = Math.max(mostAtOnce, inData);
        stream.resume();
        stream.on("end", () => setTimeout(() => (inData--, callback()), 200)); // a relay that takes its time
      },
    });
    const mailer = createMailer({ smtpUrl: server.url, connections: 5 });
    cleanups.push(() => mailer.close());
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => mailer.send({ ...email, messageId: `<pool-${i}@trustloop.example>` })));
    expect(outcomes.map((o) => o.status)).toEqual(["sent", "sent", "sent", "sent", "sent"]);
    expect(mostAtOnce).toBe(5);
  });

  it("250 → sent, with our Message-ID and headers", async () => {
    const server = await startServer();
    const outcome = await mailerFor(server.url).send(email);
    expect(outcome).toMatchObject({ status: "sent" });
    expect(outcome.status === "sent" && outcome.response).toMatch(/^250/);
    expect(server.received).toHaveLength(1);
    const parsed = await PostalMime.parse(server.received[0]);
    const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value;
    expect(parsed.messageId).toBe(email.messageId);
    expect(parsed.from).toMatchObject({ name: "Demo Shop", address: "hello@shop.example" });
    expect(parsed.subject).toBe(email.subject);
    expect(header("list-unsubscribe")).toBe("<https://app.example/u/abc.def>");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(header("x-trustloop-message")).toBe("msg-123");
    expect(parsed.text?.trim()).toBe("Hello Jo");
  });

  it("421 on RCPT TO → transient", async () => {
    const server = await startServer({ onRcptTo: (_a, _s, cb) => cb(smtpError("4.7.0 Try again later", 421)) });
    const outcome = await mailerFor(server.url).send(email);
    expect(outcome).toMatchObject({ status: "transient" });
    expect(server.received).toHaveLength(0);
  });

  it("421 as the reply to the message data → transient", async () => {
    const server = await startServer({ afterData: () => smtpError("4.3.0 Service shutting down", 421) });
    expect(await mailerFor(server.url).send(email)).toMatchObject({ status: "transient" });
  });

  it("451 as the reply to the message data → transient", async () => {
    const server = await startServer({ afterData: () => smtpError("4.3.0 Local error", 451) });
    expect(await mailerFor(server.url).send(email)).toMatchObject({ status: "transient" });
  });

  it("550 on RCPT TO → permanent with code 550, recipient stage, no address in the error", async () => {
    const server = await startServer({ onRcptTo: (a, _s, cb) => cb(smtpError(`5.1.1 <${a.address}>: mailbox unavailable`, 550)) });
    const outcome = await mailerFor(server.url).send(email);
    expect(outcome).toMatchObject({ status: "permanent", code: 550, stage: "recipient" });
    expect(JSON.stringify(outcome)).not.toContain("jo@example.com");
  });

  it("554 as the reply to the message data → permanent, message stage", async () => {
    const server = await startServer({ afterData: () => smtpError("5.7.1 Message rejected", 554) });
    expect(await mailerFor(server.url).send(email)).toMatchObject({ status: "permanent", code: 554, stage: "message" });
  });

  it("connection lost after the DATA payload was sent, before the reply → unknown", async () => {
    const server = await startServer({ afterData: () => "destroy" });
    const outcome = await mailerFor(server.url).send(email);
    expect(outcome).toMatchObject({ status: "unknown" });
    expect(server.received).toHaveLength(1); // the server did get the whole message
  });

  it("on a reused pooled connection, a loss after the payload is unknown and the pool does not resend it", async () => {
    let count = 0;
    const server = await startServer({ afterData: () => (++count === 2 ? "destroy" : null) });
    const mailer = mailerFor(server.url);
    expect(await mailer.send(email)).toMatchObject({ status: "sent" });
    expect(await mailer.send({ ...email, messageId: "<msg-124@trustloop.example>" })).toMatchObject({ status: "unknown" });
    // A resend would be queued before the next message: the next one arriving third proves there was none.
    expect(await mailer.send({ ...email, messageId: "<msg-125@trustloop.example>" })).toMatchObject({ status: "sent" });
    expect(
      server.received.map((raw) =>
        raw
          .toString()
          .match(/^Message-ID: (.*)$/im)?.[1]
          .trim(),
      ),
    ).toEqual([email.messageId, "<msg-124@trustloop.example>", "<msg-125@trustloop.example>"]);
  });

  it("connection lost before the payload (after RCPT TO) → transient", async () => {
    const server: TestServer = await startServer({
      onRcptTo: () => {
        for (const socket of server.sockets) socket.destroy(); // and never answer
      },
    });
    expect(await mailerFor(server.url).send(email)).toMatchObject({ status: "transient" });
    expect(server.received).toHaveLength(0);
  });

  it("connection refused → transient", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    expect(await mailerFor(`smtp://127.0.0.1:${port}`).send(email)).toMatchObject({ status: "transient" });
  });

  it("signs List-Unsubscribe and List-Unsubscribe-Post with DKIM", async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const server = await startServer();
    const outcome = await mailerFor(server.url, { domainName: "shop.example", keySelector: "tl1", privateKey }).send(email);
    expect(outcome.status).toBe("sent");
    const parsed = await PostalMime.parse(server.received[0]);
    const signature = parsed.headers.find((h) => h.key === "dkim-signature")?.value ?? "";
    const h = /(?:^|;)\s*h=([^;]+)/.exec(signature.replace(/\s+/g, ""))?.[1]?.toLowerCase().split(":") ?? [];
    expect(signature).toContain("d=shop.example");
    expect(h).toEqual(expect.arrayContaining(["list-unsubscribe", "list-unsubscribe-post", "from", "subject", "message-id"]));
  });

  it("refuses an unusable DKIM key at creation instead of sending unsigned mail", () => {
    expect(() => createMailer({ smtpUrl: "smtp://127.0.0.1:1", dkim: { domainName: "d", keySelector: "s", privateKey: "nope" } })).toThrow(/DKIM/);
  });
});

describe("classifySmtpError", () => {
  it("treats 503 and 5xx outside the transaction as transient, local envelope refusals as permanent", () => {
    expect(classifySmtpError(Object.assign(new Error("bad sequence"), { code: "EENVELOPE", responseCode: 503, command: "RCPT TO" }), false).status).toBe(
      "transient",
    );
    expect(classifySmtpError(Object.assign(new Error("auth"), { code: "EAUTH", responseCode: 535, command: "AUTH PLAIN" }), false).status).toBe("transient");
    expect(classifySmtpError(Object.assign(new Error("sender"), { code: "EENVELOPE", responseCode: 550, command: "MAIL FROM" }), false)).toMatchObject({
      status: "permanent",
      stage: "sender",
    });
    expect(classifySmtpError(Object.assign(new Error("too big"), { code: "EMESSAGE", command: "MAIL FROM" }), false)).toMatchObject({
      status: "permanent",
      code: 0,
    });
    expect(classifySmtpError(Object.assign(new Error("Timeout"), { code: "ETIMEDOUT", command: "CONN" }), true).status).toBe("unknown");
    expect(classifySmtpError(Object.assign(new Error("Timeout"), { code: "ETIMEDOUT", command: "CONN" }), false).status).toBe("transient");
  });
});

describe("parseMailFrom", () => {
  it("splits a display name and an address", () => {
    expect(parseMailFrom("Trustloop <hello@example.com>")).toEqual({ name: "Trustloop", address: "hello@example.com" });
    expect(parseMailFrom('"Shop, Inc." <a@b.example>')).toEqual({ name: "Shop, Inc.", address: "a@b.example" });
    expect(parseMailFrom(" hello@example.com ")).toEqual({ name: null, address: "hello@example.com" });
    expect(() => parseMailFrom("not an address")).toThrow();
  });
});
