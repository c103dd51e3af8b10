// A tiny router on node:http: enough for the sandbox's JSON and HTML endpoints.
import type { IncomingMessage, ServerResponse } from "node:http";

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

interface Route {
  method: string;
  parts: string[];
  handler: RouteHandler;
}

const MAX_BODY = 10 * 1024 * 1024;

export class Router {
  private routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), parts: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    const segs = path.split("/").filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      route.parts.forEach((p, i) => {
        if (p.startsWith(":")) params[p.slice(1)] = decodeURIComponent(segs[i]);
        else if (p !== segs[i]) ok = false;
      });
      if (ok) return { route, params };
    }
    return null;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      const found = this.match(req.method ?? "GET", url.pathname);
      if (!found) return send(res, { status: 404, json: { error: "not_found", path: url.pathname } });
      const body = await readBody(req);
      const ctx: RouteContext = { req, res, url, params: found.params, query: url.searchParams, body };
      const result = await found.route.handler(ctx);
      if (result !== HANDLED) send(res, result);
    } catch (err) {
      if (err instanceof HttpError) {
        send(res, { status: err.status, json: err.body ?? { error: err.message } });
      } else {
        send(res, { status: 500, json: { error: "internal_error", message: String((err as Error)?.message ?? err) } });
      }
    }
  }
}

export function send(res: ServerResponse, r: HttpResult): void {
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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, "payload_too_large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
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
