const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and double- or single-quoted attributes alike. */
export function escapeHtml(value: unknown): string {
  return str(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Context values arrive from stored JSON: anything that is not a string or number prints as nothing. */
export function str(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

/** Single line, no control characters: for titles, names, carriers. */
export function oneLine(value: unknown): string {
  return stripControl(str(value).replace(/\s+/g, " ")).trim();
}

/** Only absolute http(s) URLs survive (no javascript:, data:, relative or malformed URLs). */
export function safeUrl(value: unknown): string | null {
  const raw = str(value).trim();
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

export function stripControl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");
}

/** Normalises rendered body text: unix newlines, no control chars, at most one blank line in a row. */
export function normalizeBody(text: string): string {
  return stripControl(text.replace(/\r\n?/g, "\n"))
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function paragraphs(text: string): string[] {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Body text → escaped HTML: blank-line paragraphs become <p>, single newlines <br>. */
export function bodyToHtml(text: string): string {
  return paragraphs(text)
    .map((p) => `<p style="margin:0 0 16px 0;">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

export const SUBJECT_MAX = 200;

/** A subject is a header: one line, no control chars, not HTML-escaped, at most 200 characters. */
export function cleanSubject(rendered: string): string {
  const line = stripControl(rendered.replace(/\s+/g, " ")).trim();
  const chars = Array.from(line); // code points, so an emoji is never cut in half
  return chars.length > SUBJECT_MAX ? chars.slice(0, SUBJECT_MAX).join("").trimEnd() : line;
}
