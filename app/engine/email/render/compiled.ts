// MJML → HTML once per layout shape, not once per email. The layout is built with a numbered mark
// in place of every value (layout.ts slots); emails of the same shape (the same sections, items,
// brand colour…) give the same marked MJML, which is converted once and kept. Each email then
// only fills its escaped values into the kept HTML. The marks are filled in one pass over the
// kept HTML, which holds no value of any email, so a value can never be taken for a mark.
import mjml2html from "mjml";
import { LRUCache } from "lru-cache";
import { escapeHtml } from "./escape";
import { buildMjml, type Slot } from "./layout";
import type { EmailParts } from "./parts";

const MARK = /tlslot(\d+)x/g;
const shapes = new LRUCache<string, Promise<string>>({ max: 500 });
let conversions = 0;

/** MJML conversions run so far in this process (the tests count them). */
export const conversionCount = () => conversions;

/** The email's HTML: the same as mjml2html(buildMjml(parts)), with one conversion per shape. */
export async function layoutHtml(parts: EmailParts): Promise<string> {
  const values: string[] = [];
  const mark = (value: string) => `tlslot${values.push(value) - 1}x`;
  const slot: Slot = Object.assign((value: unknown) => mark(escapeHtml(value)), { html: mark });
  const marked = buildMjml(parts, slot);
  let html = shapes.get(marked);
  if (!html) {
    conversions++;
    html = mjml2html(marked, { validationLevel: "soft", keepComments: false }).then((r) => r.html);
    shapes.set(marked, html);
    html.catch(() => shapes.delete(marked));
  }
  return (await html).replace(MARK, (_, i: string) => values[Number(i)]);
}
