// A local SMTP server for bench/dispatch.ts, in its own process so it does not share the event
// loop with the sender being measured: accepts every message (no auth, no STARTTLS) and discards
// the data. Prints {"port":…} once listening; answers each "count" line on stdin with
// {"received":…,"bytes":…}.
//
// TCP_NODELAY on every accepted socket: nodemailer pipelines MAIL FROM / RCPT TO / DATA, and
// smtp-server writes one small reply per command. With Nagle on, the second reply waits for
// the client's delayed ACK (~40 ms on Linux loopback), a fixed ~44 ms stall per message that
// would dwarf everything the benchmark compares. BENCH_SMTP_NAGLE=1 keeps the default.
import readline from "node:readline";
import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";

let received = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  size: 10 * 1024 * 1024,
  maxClients: 100,
  onData(stream, _session, callback) {
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on("end", () => {
      received++;
      callback();
    });
  },
});

if (process.env.BENCH_SMTP_NAGLE !== "1") server.server.on("connection", (socket: Socket) => socket.setNoDelay(true));

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.server.address() as AddressInfo).port }));
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "count") console.log(JSON.stringify({ received, bytes }));
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
