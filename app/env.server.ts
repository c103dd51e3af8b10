// One schema for the whole configuration, checked once at start-up (web server and worker).
import { z } from "zod";
import { parseLinkKeys, type LinkKeySpec } from "./engine/links/tokens";
import { isLoopbackHostname } from "./sandbox/loopback";

const flag = z
  .enum(["", "0", "1", "true", "false"], { message: 'must be "1" or "0"' })
  .default("0")
  .transform((v) => v === "1" || v === "true");

/** A whole number from `min` up, with a default. */
const count = (fallback: number, min = 0) => z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(min).default(fallback);

// Express's `trust proxy`: "true"/"false", a number of proxy hops, or addresses / CIDR ranges /
// the names loopback, linklocal, uniquelocal, comma-separated (decision 018).
const PROXY_TRUST = /^(true|false|\d+|((loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d+)?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d+)?))*))$/i;
const proxyTrust = z
  .string()
  .trim()
  .default("loopback")
  .refine((v) => PROXY_TRUST.test(v), "must be true, false, a number of hops, or addresses/CIDR ranges/loopback,linklocal,uniquelocal")
  .transform((v): boolean | number | string => (/^(true|false)$/i.test(v) ? v.toLowerCase() === "true" : /^\d+$/.test(v) ? Number(v) : v));

/** Pino's levels: lines below the chosen one are not written. */
export const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { message: "must be fatal, error, warn, info, debug, trace or silent" })
  .default("info");

const url = (protocols: string[]) =>
  z
    .string()
    .url("must be a URL")
    .refine((v) => protocols.includes(new URL(v).protocol), `must use ${protocols.join(" or ")}`);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string({ required_error: "is required (the app's client id)" }).min(1, "is required"),
    SHOPIFY_API_SECRET: z.string({ required_error: "is required (the app's client secret)" }).min(1, "is required"),
    SHOPIFY_APP_URL: url(["https:", "http:"]).transform((v) => v.replace(/\/+$/, "")),
    SCOPES: z
      .string({ required_error: "is required (comma-separated access scopes)" })
      .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list like read_orders,read_customers"),
    DATABASE_URL: z
      .string({ required_error: "is required (postgres://user:password@host:5432/database)" })
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a PostgreSQL URL (postgres://user:password@host:5432/database)"),
    TRUSTLOOP_DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
    // The worker (decision 027): jobs it runs at once, how often an idle one looks for due jobs
    // (new jobs arrive by LISTEN/NOTIFY at once), and how long SIGTERM waits for jobs in flight.
    TRUSTLOOP_WORKER_CONCURRENCY: count(10, 1),
    TRUSTLOOP_WORKER_POLL_MS: count(1000, 50),
    TRUSTLOOP_WORKER_SHUTDOWN_MS: count(25_000, 0),
    // SMTP connections a process keeps open (pooled); unset: TRUSTLOOP_WORKER_CONCURRENCY, up to 5 (mail.server.ts).
    TRUSTLOOP_SMTP_CONNECTIONS: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1).max(100).optional(),
    // Keys that sign email links (unsubscribe, clicks, review, NPS): "kid:secret,…", the first signs.
    TRUSTLOOP_LINK_KEYS: z.string({ required_error: 'is required ("kid:secret", e.g. k1:$(openssl rand -base64 32))' }).transform((raw, ctx): LinkKeySpec[] => {
      const parsed = parseLinkKeys(raw);
      if (parsed.ok) return parsed.keys;
      ctx.addIssue({ code: "custom", message: parsed.problem });
      return z.NEVER;
    }),
    SMTP_URL: url(["smtp:", "smtps:"]).optional(),
    MAIL_FROM: z
      .string()
      .regex(/^(.+<[^@\s]+@[^@\s]+>|[^@\s]+@[^@\s]+)$/, 'must be an address, e.g. "Shop <hello@example.com>"')
      .optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: logLevel,
    // Human-readable log lines instead of JSON (the demo sets it).
    LOG_PRETTY: flag,
    TRUSTLOOP_SANDBOX: flag,
    // Public endpoints (decision 018): which proxies' X-Forwarded-For names the client, and requests
    // per minute per client (0 = no limit).
    TRUSTLOOP_TRUST_PROXY: proxyTrust,
    TRUSTLOOP_RATE_LIMIT_LINKS: count(120),
    TRUSTLOOP_RATE_LIMIT_CHECKOUT: count(60),
    // How long after the order the checkout extension may still ask for it (decision 017).
    TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS: count(30, 1),
    SHOPIFY_ADMIN_API_URL: url(["http:", "https:"])
      .transform((v) => v.replace(/\/+$/, ""))
      .optional(),
    // DKIM signing of outgoing mail: all three or none. The key is PEM; "\n" escapes are allowed.
    DKIM_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "must be a domain name, e.g. example.com")
      .optional(),
    DKIM_SELECTOR: z
      .string()
      .regex(/^[a-z0-9._-]+$/i, "must be a DNS label, e.g. trustloop")
      .optional(),
    DKIM_PRIVATE_KEY: z
      .string()
      .transform((v) => v.replace(/\\n/g, "\n").trim())
      .refine(
        (v) => /^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/.test(v),
        "must be a PEM private key (-----BEGIN PRIVATE KEY-----…)",
      )
      .optional(),
  })
  .superRefine((env, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (env.TRUSTLOOP_SANDBOX) {
      if (env.NODE_ENV === "production") problem("TRUSTLOOP_SANDBOX", "cannot be enabled when NODE_ENV=production");
      if (!isLoopback(env.SHOPIFY_APP_URL)) problem("TRUSTLOOP_SANDBOX", "requires SHOPIFY_APP_URL on localhost");
      // The sandbox mints session tokens for any shop: a real secret would make them real.
      if (env.SHOPIFY_API_SECRET.startsWith("shpss_")) {
        problem("SHOPIFY_API_SECRET", "must not be a Shopify client secret (shpss_…) in sandbox mode: the sandbox mints session tokens with it");
      }
    } else {
      if (env.SHOPIFY_ADMIN_API_URL) problem("SHOPIFY_ADMIN_API_URL", "is only allowed in sandbox mode (TRUSTLOOP_SANDBOX=1)");
      if (!env.SMTP_URL) problem("SMTP_URL", "is required outside sandbox mode (e.g. smtps://user:pass@smtp.example.com)");
      if (!env.MAIL_FROM) problem("MAIL_FROM", 'is required outside sandbox mode (e.g. "Trustloop <hello@example.com>")');
    }
    // Links get a key of their own, so the app secret can be rotated without touching them.
    for (const key of Array.isArray(env.TRUSTLOOP_LINK_KEYS) ? env.TRUSTLOOP_LINK_KEYS : []) {
      if (key.secret === env.SHOPIFY_API_SECRET) problem("TRUSTLOOP_LINK_KEYS", `key "${key.kid}" must not reuse SHOPIFY_API_SECRET`);
    }
    const dkim = ["DKIM_DOMAIN", "DKIM_SELECTOR", "DKIM_PRIVATE_KEY"] as const;
    const missingDkim = dkim.filter((name) => !env[name]);
    if (missingDkim.length > 0 && missingDkim.length < dkim.length) {
      const present = dkim.filter((name) => env[name]);
      const verb = present.length > 1 ? "are" : "is";
      for (const name of missingDkim) problem(name, `is required when ${present.join(" and ")} ${verb} set (DKIM signing needs all three)`);
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee README.md › Configuration.`);
    this.name = "EnvError";
  }
}

function isLoopback(appUrl: string | undefined): boolean {
  if (!appUrl) return false;
  try {
    return isLoopbackHostname(new URL(appUrl).hostname);
  } catch {
    return false;
  }
}

/** Parses a raw environment; throws EnvError naming every missing or invalid variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    const message = issue.code === "invalid_type" && issue.received === "undefined" ? "is required" : issue.message;
    return `${name} ${message}`;
  });
  throw new EnvError(problems);
}

let cached: Env | undefined;

/** The validated process environment (parsed on first use). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For entry points: validate, or print every problem and exit. */
export function loadEnvOrExit(processName: string): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`[${processName}] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
