// The export's file, read from where the import left it: a run that resumes asks for the rest of the
// file only (`Range`, as Shopify's file storage serves it); a server that sends the whole file anyway
// is read from the start, skipping the applied lines.
import { Readable } from "node:stream";
import type { HistoryImport } from "@prisma/client";
import { fileLines, readOrders, type FileOrder } from "./jsonl";

/** How the bulk operation's file is fetched (default: fetch; the file's URL is signed, no token goes with it). */
export type Download = (url: string, signal?: AbortSignal, fromByte?: number) => Promise<Response>;

export type ExportFile =
  /** The file's orders after the applied lines; `close` ends the download. */
  | { orders: AsyncGenerator<FileOrder>; close: () => void }
  /** A signed URL that expired (or a file that is gone) answers 4xx: the export must run again. */
  | { refused: number };

const fetchFile: Download = (url, signal, fromByte) => fetch(url, { signal, headers: fromByte ? { range: `bytes=${fromByte}-` } : {} });

export async function openExportFile(url: string, row: Pick<HistoryImport, "lines" | "bytes">, download: Download = fetchFile): Promise<ExportFile> {
  const controller = new AbortController();
  const from = row.lines > 0 ? Number(row.bytes) : 0;
  let response = await download(url, controller.signal, from || undefined);
  // Nothing left after that byte (only line breaks were): the whole file, skipping the applied lines.
  if (from > 0 && response.status === 416) response = await download(url, controller.signal);
  if (response.status >= 400 && response.status < 500) return { refused: response.status };
  if (!response.ok || !response.body) throw new Error(`Downloading the export failed: HTTP ${response.status}`);
  const ranged = from > 0 && response.status === 206;
  if (ranged && !response.headers.get("content-range")?.startsWith(`bytes ${from}-`))
    throw new Error(`Downloading the export failed: asked for the file from byte ${from}, got ${response.headers.get("content-range")}`);
  const input = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
  const lines = fileLines(input, ranged ? from : 0);
  const close = () => {
    input.destroy();
    controller.abort();
  };
  return { orders: readOrders(lines, ranged ? 0 : row.lines, ranged ? row.lines : 0), close };
}
