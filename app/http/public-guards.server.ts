// Guards of the public endpoints, in Express before the Remix build reads anything (decision 018):
// a request-rate limit per client, kept in the database so every web process shares the counts, and a
// body cap that answers 413 on the Content-Length alone and stops reading a chunked body at the cap.
import { createHmac } from "node:crypto";
import { PassThrough } from "node:stream";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import getRawBody from "raw-body";
import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "~/db.server";

export const KB = 1024;

/** What each public path gets: a body cap, and the rate limit it counts against (if any). */
export interface Guard {
  prefix: string;
  bodyBytes: number;
  limit: "links" | "checkout" | null;
}

export const PUBLIC_GUARDS: readonly Guard[] = [
  // Signed email links: redirect, unsubscribe, review and NPS pages. A review form holds up to a few
  // items of 5 000 characters each, URL-encoded.
  { prefix: "/c/", bodyBytes: 256 * KB, limit: "links" },
  { prefix: "/u/", bodyBytes: 256 * KB, limit: "links" },
  { prefix: "/r/", bodyBytes: 256 * KB, limit: "links" },
  { prefix: "/n/", bodyBytes: 256 * KB, limit: "links" },
  // The checkout extension's small JSON calls.
  { prefix: "/api/checkout/order", bodyBytes: 64 * KB, limit: "checkout" },
  // Shopify's webhooks: signed, from Shopify's shared addresses, retried on any non-2xx — capped, never
  // rate-limited (a 429 only brings the same delivery back). Order payloads stay far below 1 MB.
  { prefix: "/webhooks/", bodyBytes: 1024 * KB, limit: null },
  // Shopify Flow's lifecycle callbacks and action runs: signed, small JSON, retried by Flow on a 429.
  { prefix: "/flow/", bodyBytes: 64 * KB, limit: null },
];

export function guardFor(path: string): Guard | null {
  return PUBLIC_GUARDS.find((g) => path === g.prefix.replace(/\/$/, "") || path.startsWith(g.prefix)) ?? null;
}

export interface GuardOptions {
  db: Db;
  /** Requests per minute per client for each limit; 0 turns that limit off. */
  perMinute: Record<"links" | "checkout", number>;
  /** Keys the client address before it is stored (the rows hold no address). */
  secret: string;
  log: (entry: { msg: string } & Record<string, unknown>) => void;
}

/** The rate limiters of the two public limits, counting in the RateLimit table (rate-limiter-flexible's Prisma store). */
function limiters(options: GuardOptions) {
  const make = (name: "links" | "checkout") => {
    const points = options.perMinute[name];
    if (points <= 0) return null;
    return new RateLimiterPrisma({
      storeClient: options.db,
      tableName: "rateLimit", // the Prisma client's delegate of model RateLimit
      keyPrefix: name,
      points,
      duration: 60,
      // Once a client is over, refuse it from memory until its window ends: no database write per refused request.
      inMemoryBlockOnConsumed: points + 1,
      // When the database does not answer, count in this process rather than refuse everyone.
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${name}-insurance`, points, duration: 60 }),
    });
  };
  return { links: make("links"), checkout: make("checkout") };
}

/** How long a refused request's connection stays open, unread, before it is closed. */
const LINGER_MS = 2_000;

/**
 * Refuses without reading the rest of the body. The answer is complete on the wire at once (it has a
 * Content-Length); the connection is closed LINGER_MS later, and nothing more is read meanwhile, so
 * TCP flow control stops the sender. Closing at once, with bytes still arriving, would reset the
 * connection and the client would lose the answer.
 */
function refuse(req: Request, res: Response, status: number, text: string, headers: Record<string, string> = {}) {
  const body = Buffer.from(text);
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": String(body.length),
    "Cache-Control": "no-store",
    Connection: "close",
    ...headers,
  });
  if (req.complete) return void res.end(body);
  res.write(body);
  req.pause();
  setTimeout(() => res.end(), LINGER_MS).unref();
}

const hasBody = (req: Request) =>
  req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");

/**
 * The Express middleware: rate limit, then the body cap. A body within the cap is read here and handed
 * on as `res.locals.body` (see `withBody`), so Remix never reads the socket for a guarded path.
 */
export function publicGuards(options: GuardOptions): RequestHandler {
  const byName = limiters(options);
  return async (req: Request, res: Response, next: NextFunction) => {
    const guard = guardFor(req.path);
    if (!guard) return next();
    const limiter = guard.limit ? byName[guard.limit] : null;
    if (limiter) {
      try {
        await limiter.consume(clientKey(req.ip ?? "", options.secret));
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          // Logged once per client and window in each process: later refusals come from memory (0 points counted).
          if (rejection.consumedPoints > 0) options.log({ level: "warn", msg: "rate limited", limit: guard.limit, path: guard.prefix });
          return refuse(req, res, 429, "Too many requests. Try again shortly.\n", { "Retry-After": String(retryAfter), ...corsFor(guard, req) });
        }
        // Neither the store nor the insurance limiter answered: serve rather than fail closed.
        options.log({ level: "error", msg: "rate limiter unavailable", error: (rejection as Error).message });
      }
    }
    if (!hasBody(req)) return next();
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > guard.bodyBytes) return refuse(req, res, 413, "Request body too large.\n", corsFor(guard, req));
    try {
      // raw-body stops reading (unpipes and pauses) as soon as the count passes the limit.
      res.locals.body = await getRawBody(req, { limit: guard.bodyBytes, length: req.headers["content-length"] });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) return refuse(req, res, 413, "Request body too large.\n", corsFor(guard, req));
      if (!res.headersSent && !req.destroyed) refuse(req, res, status && status >= 400 && status < 500 ? status : 400, "Bad request body.\n");
      return;
    }
    next();
  };
}

/**
 * The checkout extension runs on Shopify's origin: without CORS headers a refusal reaches its code as
 * an opaque network error, and the block could not tell "slow down" (Retry-After) from a failure.
 */
function corsFor(guard: Guard, req: Request): Record<string, string> {
  if (guard.limit !== "checkout" || typeof req.headers.origin !== "string") return {};
  return { "Access-Control-Allow-Origin": req.headers.origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" };
}

/** A keyed hash of the client address: the rate-limit rows identify no one. */
export function clientKey(ip: string, secret: string): string {
  return createHmac("sha256", secret).update(`rate-limit:${ip}`).digest("base64url").slice(0, 22);
}

/**
 * The request as @remix-run/express reads it, with the body the guard already read. The adapter uses
 * the request's method, headers, URL parts and `get`, and reads the body as a Node stream.
 */
export function withBody(req: Request, body: Buffer): Request {
  const stream = new PassThrough();
  stream.end(body);
  return Object.assign(stream, {
    method: req.method,
    headers: req.headers,
    originalUrl: req.originalUrl,
    hostname: req.hostname,
    protocol: req.protocol,
    get: req.get.bind(req),
  }) as unknown as Request;
}
