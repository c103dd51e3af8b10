import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxServices, startSandboxServices } from "../services";
import { TEST_TOML } from "../testing/fake-app";
import { sendRawMail } from "../testing/smtp-client";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let sandbox: SandboxServices;
let smtpPort: number;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "trustloop-mail-"));
  writeFileSync(join(dir, "shopify.app.toml"), TEST_TOML);
  sandbox = await startSandboxServices({
    appUrl: "http://127.0.0.1:9",
    apiKey: "k",
    apiSecret: "s",
    apiVersion: "2026-07",
    appTomlPath: join(dir, "shopify.app.toml"),
  });
  smtpPort = Number(new URL(sandbox.smtpUrl).port);
});
afterAll(async () => {
  await sandbox.close();
});

const MESSAGE = [
  "From: Trustloop Demo Outfitters <hello@trustloop-demo.example>",
  "To: Avery Brooks <avery.brooks@example.com>",
  "Subject: Your order #1004 is on its way",
  "Message-ID: <abc123@trustloop.test>",
  "List-Unsubscribe: <https://app.example/u/xyz>, <mailto:unsub@trustloop.test>",
  "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
  "MIME-Version: 1.0",
  'Content-Type: multipart/alternative; boundary="b1"',
  "",
  "--b1",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Hi Avery, your order shipped.",
  ".leading dot line",
  "--b1",
  "Content-Type: text/html; charset=utf-8",
  "",
  '<p>Hi Avery, <b>your order shipped</b>.</p><script>alert("x")</script>',
  "--b1--",
  "",
].join("\r\n");

describe("mail catcher", () => {
  it("captures messages sent over SMTP with parsed parts and lower-cased headers", async () => {
    const waiting = sandbox.mail.waitFor((m) => m.subject.includes("#1004"), 3000);
    await sendRawMail(smtpPort, "hello@trustloop-demo.example", ["avery.brooks@example.com"], MESSAGE);
    const m = await waiting;
    expect(m).toMatchObject({
      to: ["avery.brooks@example.com"],
      from: "hello@trustloop-demo.example",
      subject: "Your order #1004 is on its way",
      messageId: "<abc123@trustloop.test>",
    });
    expect(m.text).toContain("your order shipped.");
    expect(m.text).toContain(".leading dot line");
    expect(m.html).toContain("<b>your order shipped</b>");
    expect(m.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(m.headers["list-unsubscribe"]).toContain("https://app.example/u/xyz");

    const api = (await (await fetch(`${sandbox.adminApiUrl}/_mail/messages`)).json()) as { id: string }[];
    expect(api.map((x) => x.id)).toContain(m.id);

    const list = await (await fetch(`${sandbox.adminApiUrl}/inbox`)).text();
    expect(list).toContain('http-equiv="refresh"');
    expect(list).toContain(`/inbox/${m.id}`);
    const page = await (await fetch(`${sandbox.adminApiUrl}/inbox/${m.id}`)).text();
    expect(page).toContain('sandbox=""');
    expect(page).toContain('srcdoc="&lt;p&gt;Hi Avery');
    expect(page).not.toContain("<script>");

    await fetch(`${sandbox.adminApiUrl}/_mail/messages`, { method: "DELETE" });
    expect(sandbox.mail.messages()).toEqual([]);
  });

  it("counts the faults left per mode, and only the recipient's fault fires for its address", async () => {
    sandbox.mail.injectFault("reject", 1, "Bounce@Example.com");
    sandbox.mail.injectFault("tempfail", 2, "later@example.com");
    expect([
      sandbox.mail.faultsLeft(),
      sandbox.mail.faultsLeft("reject"),
      sandbox.mail.faultsLeft("tempfail"),
      sandbox.mail.faultsLeft("drop-after-data"),
    ]).toEqual([3, 1, 2, 0]);
    await sendRawMail(smtpPort, "hello@trustloop-demo.example", ["someone@example.com"], MESSAGE);
    expect(sandbox.mail.faultsLeft()).toBe(3);
    await expect(sendRawMail(smtpPort, "hello@trustloop-demo.example", ["bounce@example.com"], MESSAGE)).rejects.toThrow(/got 550/);
    expect([sandbox.mail.faultsLeft("reject"), sandbox.mail.faultsLeft("tempfail")]).toEqual([0, 2]);
    sandbox.mail.clearFaults();
    sandbox.mail.clear();
  });

  it("waitFor times out when nothing matches", async () => {
    await expect(sandbox.mail.waitFor(() => false, 50)).rejects.toThrow(/no matching email/);
  });
});
