import { textLocaleFor } from "../../i18n/translate";
import { cleanSubject, normalizeBody } from "./escape";
import { layoutHtml } from "./compiled";
import { buildMjml } from "./layout";
import { LIQUID_OPTIONS, renderedTooLargeError, tooLongError, toTemplateError } from "./liquid";
import { buildParts } from "./parts";
import { buildText } from "./text";
import { runInThread } from "./thread";
import type { RenderInput, RenderResult, TemplateError } from "./types";

export type { Brand, RenderInput, RenderedEmail, RenderResult, TemplateContext, TemplateError } from "./types";
export { validateTemplate } from "./liquid";
export { sampleContext } from "./sample";
export { stopRenderThread, warmRenderThread } from "./thread";

export const MAX_HTML_BYTES = 100_000; // Gmail clips messages at ~102 KB
const DEFAULT_TIMEOUT_MS = 2_000;

const fail = (error: TemplateError): RenderResult => ({ ok: false, error });
const emailTooLarge = (bytes: number, atLeast: boolean): TemplateError => ({
  kind: "too_large",
  field: "body",
  message:
    `The email with its layout, order items and tracking is ${atLeast ? "at least " : ""}${bytes.toLocaleString("en-US")} bytes; ` +
    `the limit is ${MAX_HTML_BYTES.toLocaleString("en-US")} (Gmail clips larger emails)`,
});

/**
 * Renders merchant Liquid in a worker thread (hard timeout), then our MJML layout here (converted
 * once per layout shape: compiled.ts).
 * Template problems come back as { ok: false }; infrastructure failures (the thread cannot
 * start, a context that cannot be cloned) throw.
 */
export async function renderEmail(input: RenderInput, options?: { timeoutMs?: number }): Promise<RenderResult> {
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const field of ["subject", "body"] as const) {
    const source = field === "subject" ? input.subjectTemplate : input.bodyTemplate;
    if (source.length > LIQUID_OPTIONS.parseLimit) return fail(tooLongError(field));
  }

  const textLocale = textLocaleFor(input.locale);
  const reply = await runInThread({ subject: input.subjectTemplate, body: input.bodyTemplate, context: input.context, textLocale }, timeoutMs);
  if (!reply.ok) {
    if ("timeout" in reply) return fail({ kind: "timeout", message: `Template did not finish within ${timeoutMs} ms` });
    if ("outOfMemory" in reply) return fail({ kind: "too_large", message: "Template used too much memory" });
    if ("tooLarge" in reply) return fail(renderedTooLargeError(reply.field, reply.tooLarge.size));
    return fail(toTemplateError(reply.error, reply.field));
  }

  const parts = buildParts(input, cleanSubject(reply.subject), normalizeBody(reply.body));
  const mjml = buildMjml(parts);
  // MJML only adds markup: a source already over the cap (body + order items + tracking) cannot
  // fit, so it is refused before the costly conversion.
  const mjmlBytes = Buffer.byteLength(mjml, "utf8");
  if (mjmlBytes > MAX_HTML_BYTES) return fail(emailTooLarge(mjmlBytes, true));
  const html = await layoutHtml(parts);
  const htmlBytes = Buffer.byteLength(html, "utf8");
  if (htmlBytes > MAX_HTML_BYTES) return fail(emailTooLarge(htmlBytes, false));
  return { ok: true, email: { subject: parts.subject, html, text: buildText(parts), htmlBytes } };
}
