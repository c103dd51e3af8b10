// GET /_bulk/:id.jsonl?signature=… — the file of a completed bulk operation, streamed as it is
// generated (Shopify serves it from cloud storage through a signed URL that expires).
import { once } from "node:events";
import { HANDLED, type HttpResult, type RouteContext } from "../http";
import { bulkDownload, bulkFile } from "./bulk";
import { bulkDeps } from "./resolvers";
import type { EmulatorState } from "./state";

export function bulkFileHandler(state: EmulatorState) {
  return async (ctx: RouteContext): Promise<HttpResult | typeof HANDLED> => {
    const found = bulkDownload(state, ctx.params.file.replace(/\.jsonl$/, ""), ctx.query.get("signature"));
    if ("status" in found) return { status: found.status, text: found.message };
    const shop = state.shop(found.op.shop);
    if (!shop) return { status: 404, text: "NoSuchKey" };
    ctx.res.writeHead(200, { "content-type": "application/jsonl", ...(found.op.fileSize !== null ? { "content-length": String(found.op.fileSize) } : {}) });
    for (const text of bulkFile(bulkDeps(state, shop), found.op)) {
      if (ctx.res.destroyed) return HANDLED; // the client stopped reading
      if (!ctx.res.write(text)) await Promise.race([once(ctx.res, "drain"), once(ctx.res, "close")]);
    }
    ctx.res.end();
    return HANDLED;
  };
}
