// Reads just what the sandbox needs from shopify.app.toml: access scopes, the webhook API version and
// the [[webhooks.subscriptions]] entries. A deliberately tiny TOML subset reader (strings, arrays of
// strings, booleans, numbers, [tables] and [[arrays of tables]]).
import { readFileSync } from "node:fs";

export interface WebhookSubscription {
  topics: string[];
  uri: string;
}

export interface AppToml {
  scopes: string;
  webhookApiVersion?: string;
  subscriptions: WebhookSubscription[];
}

type Value = string | number | boolean | Value[];
type Table = Record<string, Value>;

export function readAppToml(path: string): AppToml {
  return parseAppToml(readFileSync(path, "utf8"));
}

export function parseAppToml(text: string): AppToml {
  const { tables, arrays } = parseTomlSubset(text);
  const subs: WebhookSubscription[] = [];
  for (const entry of arrays["webhooks.subscriptions"] ?? []) {
    const uri = typeof entry.uri === "string" ? entry.uri : "";
    const topics = [...asStrings(entry.topics), ...asStrings(entry.compliance_topics)];
    if (uri && topics.length) subs.push({ topics, uri });
  }
  const scopes = tables["access_scopes"]?.scopes;
  const version = tables["webhooks"]?.api_version;
  return {
    scopes: typeof scopes === "string" ? scopes : "",
    webhookApiVersion: typeof version === "string" ? version : undefined,
    subscriptions: subs,
  };
}

function asStrings(v: Value | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function parseTomlSubset(text: string): { tables: Record<string, Table>; arrays: Record<string, Table[]> } {
  const tables: Record<string, Table> = { "": {} };
  const arrays: Record<string, Table[]> = {};
  let current: Table = tables[""];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = stripComment(lines[i]).trim();
    if (!line) continue;
    const arrayHeader = /^\[\[\s*([^\]]+?)\s*\]\]$/.exec(line);
    if (arrayHeader) {
      current = {};
      (arrays[arrayHeader[1]] ??= []).push(current);
      continue;
    }
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = tables[header[1]] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().replace(/^"|"$/g, "");
    let raw = line.slice(eq + 1).trim();
    // Multi-line arrays: keep reading until brackets balance.
    while (raw.startsWith("[") && depth(raw) > 0 && i + 1 < lines.length) {
      line = stripComment(lines[++i]).trim();
      raw += " " + line;
    }
    current[key] = parseValue(raw);
  }
  return { tables, arrays };
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

function depth(raw: string): number {
  let d = 0;
  let quote: string | null = null;
  for (const c of raw) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") d++;
    else if (c === "]") d--;
  }
  return d;
}

function parseValue(raw: string): Value {
  if (raw.startsWith('"')) return JSON.parse(raw.slice(0, raw.lastIndexOf('"') + 1)) as string;
  if (raw.startsWith("'")) return raw.slice(1, raw.indexOf("'", 1));
  if (raw === "true" || raw === "false") return raw === "true";
  if (raw.startsWith("[")) {
    const inner = raw.slice(1, raw.lastIndexOf("]"));
    const items: Value[] = [];
    const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^,\s]+)/g;
    for (let m = re.exec(inner); m; m = re.exec(inner)) {
      if (m[1] !== undefined) items.push(JSON.parse(`"${m[1]}"`) as string);
      else if (m[2] !== undefined) items.push(m[2]);
      else items.push(parseValue(m[3]));
    }
    return items;
  }
  const n = Number(raw);
  return Number.isNaN(n) ? raw : n;
}
