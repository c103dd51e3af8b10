import fs from "node:fs";
import path from "node:path";

/** Where the embedded SQLite database lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/trustloop.sqlite";

/** SQLite cannot create the folder of its file; create it so a fresh clone just works. */
export function ensureDirectoryFor(url: string) {
  if (!url.startsWith("file:")) return;
  const file = url.slice("file:".length).split("?")[0];
  if (file && file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
}
