// The sandbox's HTTP endpoints on Express routers. A handler takes a small context and returns what
// to send (JSON, HTML or text), or HANDLED when it wrote the response itself (streams, held requests).
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from "express";

export interface HttpResult {
  status?: number;
  json?: unknown;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
}

/** A handler returns a result to send, or HANDLED when it wrote (or deliberately withheld) the response itself. */
export const HANDLED = Symbol("handled");
export type RouteHandler = (ctx: RouteContext) => Promise<HttpResult | typeof HANDLED> | HttpResult | typeof HANDLED;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

// Every body is read raw, whatever its type, once the route matched (10 MB at most: 413 past that).
const rawBody = express.raw({ type: () => true, limit: 10 * 1024 * 1024 });

/** Express handlers for a route: its body read, then the handler, its result sent and its errors passed on. */
export function route(handler: RouteHandler): RequestHandler[] {
  const run: RequestHandler = (req, res, next) => {
    const url = new URL(req.originalUrl, "http://localhost");
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    Promise.resolve()
      .then(() => handler({ req, res, url, params: req.params, query: url.searchParams, body }))
      .then((result) => result === HANDLED || send(res, result), next);
  };
  return [rawBody, run];
}

/** A router matching paths case-sensitively, as the hand-written one did. */
export function createRouter(): Router {
  return express.Router({ caseSensitive: true });
}

/** The sandbox's app: the router, then a JSON 404 for any other path and JSON errors. */
export function createApp(router: Router): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(router);
  app.use((req, res) => send(res, { status: 404, json: { error: "not_found", path: new URL(req.originalUrl, "http://localhost").pathname } }));
  app.use(((err, _req, res, _next) => {
    if (err instanceof HttpError) send(res, { status: err.status, json: err.body ?? { error: err.message } });
    else if ((err as { type?: unknown })?.type === "entity.too.large") send(res, { status: 413, json: { error: "payload_too_large" } });
    else send(res, { status: 500, json: { error: "internal_error", message: String((err as Error)?.message ?? err) } });
  }) satisfies ErrorRequestHandler);
  return app;
}

function send(res: ServerResponse, r: HttpResult): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload = "";
  if (r.html !== undefined) {
    headers["content-type"] ??= "text/html; charset=utf-8";
    payload = r.html;
  } else if (r.text !== undefined) {
    headers["content-type"] ??= "text/plain; charset=utf-8";
    payload = r.text;
  } else if (r.json !== undefined) {
    headers["content-type"] ??= "application/json; charset=utf-8";
    payload = JSON.stringify(r.json);
  }
  res.writeHead(r.status ?? 200, headers);
  res.end(payload);
}

/** JSON or application/x-www-form-urlencoded body as a plain object ({} when empty). */
export function bodyObject(ctx: RouteContext): Record<string, unknown> {
  const raw = ctx.body.toString("utf8").trim();
  if (!raw) return {};
  const type = String(ctx.req.headers["content-type"] ?? "");
  if (type.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    if (!type.includes("json") && raw.includes("=")) return Object.fromEntries(new URLSearchParams(raw));
  }
  throw new HttpError(400, "invalid_body");
}
