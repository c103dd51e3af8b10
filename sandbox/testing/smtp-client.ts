// A minimal SMTP client over node:net, for tests (nodemailer is not a dependency).
import { connect } from "node:net";

export async function sendRawMail(port: number, from: string, to: string[], message: string, host = "127.0.0.1"): Promise<void> {
  const socket = connect(port, host);
  socket.setEncoding("utf8");
  let buffer = "";
  const waiters: ((line: string) => void)[] = [];
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let idx: number;
    while ((idx = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      // Multi-line replies use "250-"; the final line has a space after the code.
      if (/^\d{3} /.test(line)) waiters.shift()?.(line);
    }
  });
  const reply = () => new Promise<string>((resolve) => waiters.push(resolve));
  const expect = async (code: string, command?: string) => {
    const pending = reply();
    if (command !== undefined) socket.write(`${command}\r\n`);
    const line = await pending;
    if (!line.startsWith(code)) throw new Error(`SMTP: expected ${code} after ${command ?? "connect"}, got ${line}`);
  };
  try {
    await expect("220");
    await expect("250", "EHLO localhost");
    await expect("250", `MAIL FROM:<${from}>`);
    for (const rcpt of to) await expect("250", `RCPT TO:<${rcpt}>`);
    await expect("354", "DATA");
    const body = message.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..");
    await expect("250", `${body}\r\n.`);
    await expect("221", "QUIT");
  } finally {
    socket.end();
  }
}
