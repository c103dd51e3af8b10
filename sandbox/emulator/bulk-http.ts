// GET /_bulk/:id.jsonl?signature=… — the file of a completed bulk operation, streamed as it is
// generated (Shopify serves it from cloud storage through a signed URL that expires).
import type { ServerResponse } from "node:http";
import { HANDLED, type HttpResult, type RouteContext } from "../http";
import { bulkDownload, bulkFile, rangeStart } from "./bulk";
import { bulkDeps } from "./resolvers";
import type { EmulatorState } from "./state";

export function bulkFileHandler(state: EmulatorState) {
  return async (ctx: RouteContext): Promise<HttpResult | typeof HANDLED> => {
    const found = bulkDownload(state, ctx.params.file.replace(/\.jsonl$/, ""), ctx.query.get("signature"));
    if ("status" in found) return { status: found.status, text: found.message };
    const shop = state.shop(found.op.shop);
    if (!shop) return { status: 404, text: "NoSuchKey" };
    const size = found.op.fileSize;
    // A ranged request (a resumed import) gets the file from that byte on, as cloud storage serves it.
    const from = size !== null ? rangeStart(ctx.req.headers.range) : null;
    if (from !== null && size !== null && from >= size) return { status: 416, text: "InvalidRange" };
    if (from !== null && size !== null) {
      ctx.res.writeHead(206, {
        "content-type": "application/jsonl",
        "content-length": String(size - from),
        "content-range": `bytes ${from}-${size - 1}/${size}`,
      });
    } else ctx.res.writeHead(200, { "content-type": "application/jsonl", ...(size !== null ? { "content-length": String(size) } : {}) });
    for (const text of bulkFile(bulkDeps(state, shop), found.op, from ?? 0)) {
      if (ctx.res.destroyed) return HANDLED; // the client stopped reading
      if (!ctx.res.write(text)) await drainedOrClosed(ctx.res);
    }
    ctx.res.end();
    return HANDLED;
  };
}

/** Resolves when the response can take more, or is gone; leaves no listener behind (one wait per step of a long file). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
