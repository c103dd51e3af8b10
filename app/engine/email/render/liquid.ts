import { Liquid, type FS } from "liquidjs";
import { formatMessage } from "../../i18n/translate";
import type { TemplateError } from "./types";

/** Options shared by the main-thread validator and the render thread (serialised into its source). */
export const LIQUID_OPTIONS = {
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  relativeReference: false,
  dynamicPartials: false,
  root: [] as string[],
  partials: [] as string[],
  layouts: [] as string[],
  parseLimit: 50_000, // characters of template
  renderLimit: 1_000, // ms; the worker's hard timeout is the backstop
  memoryLimit: 10_000_000,
};

/**
 * Caps on what a template renders to, checked inside the render thread: an oversized result (a
 * `{% for %}` building megabytes) is dropped there and never reaches the main thread.
 * The body cap is the email cap: a body this large cannot fit once the layout is added.
 */
export const RENDER_LIMITS = { subjectChars: 500, bodyBytes: 100_000 };

/** Tags that would read other templates (files): refused at parse time, so also on save. */
export const BLOCKED_TAGS = ["include", "render", "layout"] as const;
export const blockedTagMessage = (name: string) => `{% ${name} %} is not available in email templates`;

const NO_FILES: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => {
    throw new Error("templates cannot read files");
  },
  readFileSync: () => {
    throw new Error("templates cannot read files");
  },
  resolve: (_dir, file) => file,
  contains: async () => false,
  containsSync: () => false,
};

let engine: Liquid | null = null;

export function mainThreadLiquid(): Liquid {
  if (engine) return engine;
  engine = new Liquid({ ...LIQUID_OPTIONS, fs: NO_FILES });
  // The main thread only parses (validation on save); the filter is here so strictFilters knows it.
  engine.registerFilter("t", (key: string, ...args: unknown[]) =>
    formatMessage("en", key, Object.fromEntries(args.filter((a): a is [string, string] => Array.isArray(a)))),
  );
  for (const name of BLOCKED_TAGS) {
    engine.registerTag(name, {
      parse() {
        throw new Error(blockedTagMessage(name));
      },
      render() {
        return "";
      },
    });
  }
  return engine;
}

/** What crosses the thread boundary for a failed render. */
export interface RawLiquidError {
  name: string;
  message: string;
  line?: number;
}

export function describeLiquidError(err: unknown): RawLiquidError {
  const e = err as { name?: unknown; message?: unknown; token?: { getPosition?: () => number[] } };
  const message = typeof e?.message === "string" ? e.message : String(err);
  let line: number | undefined;
  try {
    line = e?.token?.getPosition?.()[0];
  } catch {
    line = undefined;
  }
  line ??= Number(/line:(\d+)/.exec(message)?.[1]) || undefined;
  return { name: typeof e?.name === "string" ? e.name : "Error", message, line };
}

export function toTemplateError(raw: RawLiquidError, field: "subject" | "body"): TemplateError {
  // liquidjs appends ", line:N, col:M"; the line is returned separately.
  const message = raw.message.replace(/,( file:[^,]*,)? line:\d+, col:\d+$/, "");
  const base = { message, field, ...(raw.line ? { line: raw.line } : {}) };
  if (/template render limit exceeded|memory alloc limit exceeded/.test(message)) {
    return { ...base, kind: "timeout", message: `Template took too long or produced too much output (${message})` };
  }
  if (/parse length limit exceeded/.test(message)) return { ...base, kind: "too_large" };
  const isParse = raw.name === "ParseError" || raw.name === "TokenizationError";
  return { ...base, kind: isParse ? "parse" : "render" };
}

export function tooLongError(field: "subject" | "body"): TemplateError {
  const kb = Math.round(LIQUID_OPTIONS.parseLimit / 1000);
  return { kind: "too_large", field, message: `Template is longer than ${kb} KB` };
}

const kb = (bytes: number) => `${Math.ceil(bytes / 1000).toLocaleString("en-US")} KB`;

/** The rendered subject or body is over RENDER_LIMITS: the editor shows which limit and by how much. */
export function renderedTooLargeError(field: "subject" | "body", size: number): TemplateError {
  const message =
    field === "subject"
      ? `The subject is ${size.toLocaleString("en-US")} characters once rendered; the limit is ${RENDER_LIMITS.subjectChars}`
      : `The body is ${kb(size)} once rendered; the limit is ${kb(RENDER_LIMITS.bodyBytes)} (Gmail clips larger emails)`;
  return { kind: "too_large", field, message };
}

/** Synchronous parse check for "refuse on save". */
export function validateTemplate(source: string, field: "subject" | "body"): TemplateError | null {
  if (source.length > LIQUID_OPTIONS.parseLimit) return tooLongError(field);
  try {
    mainThreadLiquid().parse(source);
    return null;
  } catch (err) {
    return toTemplateError(describeLiquidError(err), field);
  }
}
