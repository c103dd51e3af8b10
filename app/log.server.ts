// Structured logs by pino: one JSON line per event, `{"level":"info","at":"…","msg":"…",…}`, on
// stdout (errors and worse on stderr), or pretty-printed with LOG_PRETTY=1 (the demo sets it).
// Callers pass identifiers and outcomes, never payloads or email addresses; should such a field
// slip into an event anyway, the redact list below censors it before the line is written.
import { createRequire } from "node:module";
import pino, { type DestinationStream, type Level, type LevelWithSilent, type LoggerOptions } from "pino";
import type PinoPretty from "pino-pretty";
import { logLevel } from "./env.server";

export type LogEvent = { msg: string } & Record<string, unknown>;

/** Field names whose values never reach the logs. */
const CENSORED_FIELDS = [
  // Email addresses.
  "email",
  "customerEmail",
  "contact_email",
  "recipient",
  "to",
  "from",
  "replyTo",
  "reply_to",
  // Postal addresses and names.
  "address",
  "address1",
  "address2",
  "city",
  "zip",
  "phone",
  "latitude",
  "longitude",
  "name",
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "shipping_address",
  "billing_address",
  "default_address",
  "shippingAddress",
  "billingAddress",
  // Credentials.
  "token",
  "accessToken",
  "access_token",
  "idToken",
  "id_token",
  "refresh_token",
  "secret",
  "apiSecret",
  "password",
  "signature",
  "hmac",
  "authorization",
  "cookie",
  "set-cookie",
  "x-shopify-access-token",
  "x-shopify-hmac-sha256",
  // Bodies and payloads.
  "body",
  "rawBody",
  "payload",
  "html",
  "text",
];

/** pino names each level of nesting in a path: every field at the top and up to three objects or arrays deep. */
const REDACT_DEPTH = 3;
const pathTo = (prefix: string, field: string) => (/^[A-Za-z_$][\w$]*$/.test(field) ? (prefix ? `${prefix}.${field}` : field) : `${prefix}["${field}"]`);
export const REDACT_PATHS = CENSORED_FIELDS.flatMap((field) =>
  Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => pathTo(Array(depth).fill("*").join("."), field)),
);
// pino runs its wildcard paths on every field, even a string or a number (about 2 µs a path, a
// hundredfold the cost of the line). An event of plain values holds nothing nested: the top-level
// paths alone cover it.
const TOP_LEVEL_PATHS = CENSORED_FIELDS.map((field) => pathTo("", field));

const LEVELS = new Set<string>(["fatal", "error", "warn", "info", "debug", "trace"]);

export interface LogSettings {
  level?: LevelWithSilent;
  pretty?: boolean;
  /** Where the lines go (tests); by default stdout, and stderr from `error` up. */
  destination?: DestinationStream;
}

/** `log({ msg, level?, ...fields })`: `level` picks pino's method (default info), the rest is the line. */
export function createLog(settings: LogSettings = {}): (event: LogEvent) => void {
  const destination = settings.pretty ? prettyStreams(settings.destination) : (settings.destination ?? jsonStreams());
  const options = (paths: string[]): LoggerOptions => ({
    level: settings.level ?? "info",
    base: undefined,
    redact: { paths, censor: "[redacted]" },
    ...(settings.pretty ? {} : { formatters: { level: (label: string) => ({ level: label }) }, timestamp: () => `,"at":"${new Date().toISOString()}"` }),
  });
  const flat = pino(options(TOP_LEVEL_PATHS), destination);
  const nested = pino(options(REDACT_PATHS), destination);
  return (event) => {
    const { level, ...fields } = event;
    const method = typeof level === "string" && LEVELS.has(level) ? (level as Level) : "info";
    const logger = Object.values(fields).some((value) => typeof value === "object" && value !== null) ? nested : flat;
    logger[method](fields);
  };
}

// Synchronous writes: the worker logs its last line just before it exits.
function jsonStreams() {
  return byLevel(pino.destination({ dest: 1, sync: true }), pino.destination({ dest: 2, sync: true }));
}

function prettyStreams(destination?: DestinationStream) {
  // Loaded only when asked for: the processes that write JSON do not pay for its start-up.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  const to = (dest: DestinationStream | number) => pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", sync: true, destination: dest });
  return destination ? to(destination) : byLevel(to(1), to(2));
}

/** Lines below `error` to the first stream, the others to the second. */
function byLevel(out: DestinationStream, err: DestinationStream) {
  return pino.multistream(
    [
      { level: "trace", stream: out },
      { level: "error", stream: err },
    ],
    { dedupe: true },
  );
}

let write: ((event: LogEvent) => void) | undefined;

/** Logs with the process's settings: LOG_LEVEL (default info) and LOG_PRETTY. */
export function log(event: LogEvent) {
  const level = logLevel.safeParse(process.env.LOG_LEVEL);
  write ??= createLog({ level: level.success ? level.data : undefined, pretty: ["1", "true"].includes(process.env.LOG_PRETTY ?? "") });
  write(event);
}
