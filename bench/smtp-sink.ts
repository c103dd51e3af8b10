// A local SMTP server for the benchmarks (bench/dispatch.ts, bench/scale.ts), in its own process so
// it does not share the event loop with the sender being measured: accepts every message (no auth,
// no STARTTLS) and discards the data. Prints {"port":…} once listening; answers each "count" line
// on stdin with {"received":…,"bytes":…,"distinctIds":…,"duplicateIds":…} and each "ids" line with
// {"ids":[…]}, the Message-ID header of every message received (in order of arrival, repeats kept).
//
// TCP_NODELAY on every accepted socket: nodemailer pipelines MAIL FROM / RCPT TO / DATA, and
// smtp-server writes one small reply per command. With Nagle on, the second reply waits for
// the client's delayed ACK (~40 ms on Linux loopback), a fixed ~44 ms stall per message that
// would dwarf everything the benchmark compares. BENCH_SMTP_NAGLE=1 keeps the default.
//
// BENCH_SMTP_DELAY_MS (default 0): the final reply to each message's data comes that long after
// its last byte, as a real relay takes its time (queueing, spam checks, writing to disk) before
// it answers 250. Each connection waits for its own messages only: many connections at once are
// served in parallel (up to 200 clients).
import readline from "node:readline";
import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";

const DELAY_MS = Number(process.env.BENCH_SMTP_DELAY_MS ?? 0);
if (!Number.isFinite(DELAY_MS) || DELAY_MS < 0)
  throw new Error(`BENCH_SMTP_DELAY_MS must be a number of milliseconds ≥ 0 (got ${process.env.BENCH_SMTP_DELAY_MS})`);

let received = 0;
let bytes = 0;
const ids: string[] = [];
const seen = new Set<string>();
let duplicateIds = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  size: 10 * 1024 * 1024,
  maxClients: 200,
  onData(stream, _session, callback) {
    // The header block is read for its Message-ID; the rest is only counted.
    let head = "";
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (head.length < 64 * 1024 && !head.includes("\r\n\r\n")) head += chunk.toString("latin1");
    });
    stream.on("end", () => {
      received++;
      const header = head.split("\r\n\r\n")[0].replace(/\r\n[ \t]+/g, " ");
      const id = /^message-id:\s*(\S+)/im.exec(header)?.[1] ?? "";
      ids.push(id);
      if (seen.has(id)) duplicateIds++;
      else seen.add(id);
      if (DELAY_MS > 0) setTimeout(() => callback(), DELAY_MS);
      else callback();
    });
  },
});

if (process.env.BENCH_SMTP_NAGLE !== "1") server.server.on("connection", (socket: Socket) => socket.setNoDelay(true));

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.server.address() as AddressInfo).port }));
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = line.trim();
  if (command === "count") console.log(JSON.stringify({ received, bytes, distinctIds: seen.size, duplicateIds }));
  else if (command === "ids") console.log(JSON.stringify({ ids }));
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
