import { hex as contrastRatio } from "wcag-contrast";
import { bodyToHtml, escapeHtml } from "./escape";
import type { EmailParts } from "./parts";

// The app-owned MJML layout. Every interpolated value goes through a slot (`v`): escaped in place
// (escapeHtml), or — for the compiled layouts of compiled.ts — replaced by a numbered mark that
// is filled in after MJML ran, so one conversion serves every email of the same shape. URLs come
// from EmailParts, which only holds http(s) URLs.
// Every text meets WCAG AA (4.5:1) against its background (contrast.test.ts checks the rendered
// HTML): the greys are dark enough for the page background too, and the merchant's brand colour
// is only ever a background (header, button) or a border, never a text colour.

const PAGE = "#f3f4f6";
const MUTED = "#4b5563"; // 6.9:1 on PAGE, 7.6:1 on white
const TEXT = "#1f2937";

/**
 * Black or white, whichever contrasts more with the brand colour. One of the two always reaches
 * 4.58:1, so any colour a merchant picks keeps its header and button text readable.
 */
export function contrastColor(background: string): string {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "#000000" : "#ffffff";
}

// Left and right as the language reads: the start of a line is the right edge in Arabic or Hebrew.
const start = (p: Pick<EmailParts, "dir">) => (p.dir === "rtl" ? "right" : "left");
const end = (p: Pick<EmailParts, "dir">) => (p.dir === "rtl" ? "left" : "right");

/** Where a value goes into the layout: `v(text)` escapes it, `v.html(markup)` takes markup already safe. */
export interface Slot {
  (value: unknown): string;
  html(markup: string): string;
}

/** The values in place. */
export const direct: Slot = Object.assign((value: unknown) => escapeHtml(value), { html: (markup: string) => markup });

/**
 * The inbox preview line, hidden in the body. Not <mj-preview>: that one is white text on our grey
 * page, which spam filters score as hidden low-contrast text (SpamAssassin HTML_FONT_LOW_CONTRAST).
 */
function preheader(p: EmailParts, v: Slot): string {
  if (!p.preview) return "";
  return (
    `<mj-raw><div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;color:${TEXT};">` +
    `${v(p.preview)}</div></mj-raw>`
  );
}

function header(p: EmailParts, v: Slot): string {
  const fg = contrastColor(p.brandColor);
  const href = p.shopUrl ? ` href="${v(p.shopUrl)}"` : "";
  const inner = p.logoUrl
    ? `<mj-image src="${v(p.logoUrl)}" alt="${v(p.shopName)}" width="160px" align="${start(p)}" padding="0"${href} />`
    : `<mj-text color="${fg}" font-size="20px" font-weight="bold" padding="0">${v(p.shopName)}</mj-text>`;
  return `<mj-section background-color="${p.brandColor}" padding="16px 24px"><mj-column>${inner}</mj-column></mj-section>`;
}

function button(p: EmailParts, v: Slot): string {
  if (!p.cta) return "";
  return `<mj-button href="${v(p.cta.url)}" background-color="${p.brandColor}" color="${contrastColor(p.brandColor)}" align="${start(p)}" font-size="15px" border-radius="6px" inner-padding="12px 24px" padding="8px 24px 24px">${v(p.cta.label)}</mj-button>`;
}

/**
 * The numbered scale (NPS 0–10): inline-block buttons in one centred line that wraps on narrow
 * screens, the low/high labels underneath. Each button is a plain link (no script, no form).
 */
function scale(p: EmailParts, v: Slot): string {
  if (!p.scale) return "";
  const { links, low, high } = p.scale;
  const first = links[0].value;
  const last = links[links.length - 1].value;
  const buttons = links
    .map((l) => {
      const hint = l.value === first && low ? ` (${low})` : l.value === last && high ? ` (${high})` : "";
      return (
        `<a href="${v(l.url)}" title="${v(`${l.value}${hint}`)}" style="display:inline-block;box-sizing:border-box;width:40px;height:40px;` +
        `line-height:36px;margin:0 2px 6px;border:2px solid ${p.brandColor};border-radius:6px;color:${TEXT};font-size:15px;` +
        `font-weight:bold;text-align:center;text-decoration:none;">${v(l.value)}</a>`
      );
    })
    .join("");
  const question = p.scale.question ? `<mj-text font-weight="bold" padding="0 24px 12px">${v(p.scale.question)}</mj-text>` : "";
  const labels =
    low || high
      ? `<mj-table padding="0 24px" font-size="13px" color="${MUTED}"><tr><td style="text-align:${start(p)};">${low ? `${v(first)} = ${v(low)}` : ""}</td>` +
        `<td style="text-align:${end(p)};">${high ? `${v(last)} = ${v(high)}` : ""}</td></tr></mj-table>`
      : "";
  return (
    `<mj-section background-color="#ffffff" padding="0 0 16px"><mj-column>${question}` +
    `<mj-text align="center" padding="0 18px">${buttons}</mj-text>${labels}</mj-column></mj-section>`
  );
}

function items(p: EmailParts, v: Slot): string {
  if (p.items.length === 0) return "";
  const withImages = p.items.some((li) => li.imageUrl);
  const cell = "padding:8px 0;vertical-align:top;";
  const rows = p.items.map((li) => {
    const image = li.imageUrl ? `<img src="${v(li.imageUrl)}" width="64" height="64" alt="${v(li.title)}" style="display:block;border-radius:4px;">` : "";
    const title = li.url ? `<a href="${v(li.url)}" style="color:${TEXT};">${v(li.title)}</a>` : v(li.title);
    const variant = li.variant ? `<br><span style="color:${MUTED};font-size:13px;">${v(li.variant)}</span>` : "";
    return (
      `<tr>${withImages ? `<td style="${cell}width:64px;">${image}</td>` : ""}` +
      `<td style="${cell}padding-${start(p)}:${withImages ? 12 : 0}px;">${title}${variant}</td>` +
      `<td style="${cell}white-space:nowrap;color:${MUTED};">${li.quantity ? `× ${v(li.quantity)}` : ""}</td>` +
      `<td style="${cell}white-space:nowrap;text-align:${end(p)};">${v(li.price)}</td></tr>`
    );
  });
  const span = withImages ? 4 : 3;
  if (p.total) {
    rows.push(
      `<tr><td colspan="${span - 1}" style="padding:12px 0 0;border-top:1px solid #e5e7eb;font-weight:bold;">${v(p.labels.total)}</td>` +
        `<td style="padding:12px 0 0;border-top:1px solid #e5e7eb;font-weight:bold;text-align:${end(p)};white-space:nowrap;">${v(p.total)}</td></tr>`,
    );
  }
  const heading = p.orderName ? `<mj-text font-weight="bold" padding="8px 24px 0">${v(p.labels.order)}</mj-text>` : "";
  return (
    `<mj-section background-color="#ffffff" padding="0 0 16px"><mj-column>${heading}` +
    `<mj-table padding="8px 24px" font-size="14px" color="${TEXT}">${rows.join("")}</mj-table></mj-column></mj-section>`
  );
}

function tracking(p: EmailParts, v: Slot): string {
  if (p.tracking.length === 0) return "";
  const lines = p.tracking.map((t) => {
    const label = [t.company, t.number]
      .filter(Boolean)
      .map((s) => v(s))
      .join(" · ");
    const track = t.url ? `<a href="${v(t.url)}" style="color:${TEXT};font-weight:bold;">${v(p.labels.track)}</a>` : "";
    return `<p style="margin:0 0 8px 0;">${[label, track].filter(Boolean).join(" — ")}</p>`;
  });
  return (
    `<mj-section background-color="#ffffff" padding="0 0 16px"><mj-column>` +
    `<mj-text font-weight="bold" padding="8px 24px 0">${v(p.labels.shipment)}</mj-text>` +
    `<mj-text padding="8px 24px">${lines.join("")}</mj-text></mj-column></mj-section>`
  );
}

function footer(p: EmailParts, v: Slot): string {
  const links = [
    p.unsubscribeUrl ? `<a href="${v(p.unsubscribeUrl)}" style="color:${MUTED};">${v(p.labels.unsubscribe)}</a>` : "",
    p.preferencesUrl ? `<a href="${v(p.preferencesUrl)}" style="color:${MUTED};">${v(p.labels.preferences)}</a>` : "",
  ].filter(Boolean);
  // Which lines show is decided on the values themselves (a slot is never empty).
  const lines = [`<strong>${v(p.shopName)}</strong>`, p.address && v(p.address), p.reason && v(p.reason), links.join(" · ")]
    .filter(Boolean)
    .map((l) => `<p style="margin:0 0 6px 0;">${l}</p>`);
  return (
    `<mj-section padding="16px 24px"><mj-column>` +
    `<mj-text align="center" font-size="12px" line-height="1.5" color="${MUTED}" padding="0">${lines.join("")}</mj-text>` +
    `</mj-column></mj-section>`
  );
}

export function buildMjml(p: EmailParts, v: Slot = direct): string {
  // lang and dir come from a closed set (canonical tags, ltr/rtl): part of the layout's shape, not slots.
  return `<mjml lang="${escapeHtml(p.lang)}" dir="${p.dir}">
<mj-head>
<mj-title>${v(p.subject)}</mj-title>
<mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /><mj-text align="${start(p)}" font-size="15px" line-height="1.55" color="${TEXT}" /></mj-attributes>
</mj-head>
<mj-body width="600px" background-color="${PAGE}">
${preheader(p, v)}
${header(p, v)}
<mj-section background-color="#ffffff" padding="24px 0 8px"><mj-column><mj-text padding="0 24px">${v.html(bodyToHtml(p.body))}</mj-text>${button(p, v)}</mj-column></mj-section>
${scale(p, v)}
${items(p, v)}
${tracking(p, v)}
${footer(p, v)}
</mj-body>
</mjml>`;
}
