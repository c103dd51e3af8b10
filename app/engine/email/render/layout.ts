import { hex as contrastRatio } from "wcag-contrast";
import { bodyToHtml, escapeHtml as e } from "./escape";
import type { EmailParts } from "./parts";

// The app-owned MJML layout. Every interpolated value goes through escapeHtml (e); URLs come
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

/**
 * The inbox preview line, hidden in the body. Not <mj-preview>: that one is white text on our grey
 * page, which spam filters score as hidden low-contrast text (SpamAssassin HTML_FONT_LOW_CONTRAST).
 */
function preheader(p: EmailParts): string {
  if (!p.preview) return "";
  return `<mj-raw><div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;color:${TEXT};">`
    + `${e(p.preview)}</div></mj-raw>`;
}

function header(p: EmailParts): string {
  const fg = contrastColor(p.brandColor);
  const href = p.shopUrl ? ` href="${e(p.shopUrl)}"` : "";
  const inner = p.logoUrl
    ? `<mj-image src="${e(p.logoUrl)}" alt="${e(p.shopName)}" width="160px" align="left" padding="0"${href} />`
    : `<mj-text color="${fg}" font-size="20px" font-weight="bold" padding="0">${e(p.shopName)}</mj-text>`;
  return `<mj-section background-color="${p.brandColor}" padding="16px 24px"><mj-column>${inner}</mj-column></mj-section>`;
}

function button(p: EmailParts): string {
  if (!p.cta) return "";
  return `<mj-button href="${e(p.cta.url)}" background-color="${p.brandColor}" color="${contrastColor(p.brandColor)}" align="left" font-size="15px" border-radius="6px" inner-padding="12px 24px" padding="8px 24px 24px">${e(p.cta.label)}</mj-button>`;
}

/**
 * The numbered scale (NPS 0–10): inline-block buttons in one centred line that wraps on narrow
 * screens, the low/high labels underneath. Each button is a plain link (no script, no form).
 */
function scale(p: EmailParts): string {
  if (!p.scale) return "";
  const { links, low, high } = p.scale;
  const first = links[0].value;
  const last = links[links.length - 1].value;
  const buttons = links.map((l) => {
    const hint = l.value === first && low ? ` (${low})` : l.value === last && high ? ` (${high})` : "";
    return `<a href="${e(l.url)}" title="${e(`${l.value}${hint}`)}" style="display:inline-block;box-sizing:border-box;width:40px;height:40px;`
      + `line-height:36px;margin:0 2px 6px;border:2px solid ${p.brandColor};border-radius:6px;color:${TEXT};font-size:15px;`
      + `font-weight:bold;text-align:center;text-decoration:none;">${e(l.value)}</a>`;
  }).join("");
  const question = p.scale.question ? `<mj-text font-weight="bold" padding="0 24px 12px">${e(p.scale.question)}</mj-text>` : "";
  const labels = low || high
    ? `<mj-table padding="0 24px" font-size="13px" color="${MUTED}"><tr><td style="text-align:left;">${low ? `${e(first)} = ${e(low)}` : ""}</td>`
      + `<td style="text-align:right;">${high ? `${e(last)} = ${e(high)}` : ""}</td></tr></mj-table>`
    : "";
  return `<mj-section background-color="#ffffff" padding="0 0 16px"><mj-column>${question}`
    + `<mj-text align="center" padding="0 18px">${buttons}</mj-text>${labels}</mj-column></mj-section>`;
}

function items(p: EmailParts): string {
  if (p.items.length === 0) return "";
  const withImages = p.items.some((li) => li.imageUrl);
  const cell = "padding:8px 0;vertical-align:top;";
  const rows = p.items.map((li) => {
    const image = li.imageUrl
      ? `<img src="${e(li.imageUrl)}" width="64" height="64" alt="${e(li.title)}" style="display:block;border-radius:4px;">`
      : "";
    const title = li.url ? `<a href="${e(li.url)}" style="color:${TEXT};">${e(li.title)}</a>` : e(li.title);
    const variant = li.variant ? `<br><span style="color:${MUTED};font-size:13px;">${e(li.variant)}</span>` : "";
    return `<tr>${withImages ? `<td style="${cell}width:64px;">${image}</td>` : ""}`
      + `<td style="${cell}padding-left:${withImages ? 12 : 0}px;">${title}${variant}</td>`
      + `<td style="${cell}white-space:nowrap;color:${MUTED};">${li.quantity ? `× ${e(li.quantity)}` : ""}</td>`
      + `<td style="${cell}white-space:nowrap;text-align:right;">${e(li.price)}</td></tr>`;
  });
  const span = withImages ? 4 : 3;
  if (p.total) {
    rows.push(`<tr><td colspan="${span - 1}" style="padding:12px 0 0;border-top:1px solid #e5e7eb;font-weight:bold;">Total</td>`
      + `<td style="padding:12px 0 0;border-top:1px solid #e5e7eb;font-weight:bold;text-align:right;white-space:nowrap;">${e(p.total)}</td></tr>`);
  }
  const heading = p.orderName ? `<mj-text font-weight="bold" padding="8px 24px 0">Order ${e(p.orderName)}</mj-text>` : "";
  return `<mj-section background-color="#ffffff" padding="0 0 16px"><mj-column>${heading}`
    + `<mj-table padding="8px 24px" font-size="14px" color="${TEXT}">${rows.join("")}</mj-table></mj-column></mj-section>`;
}

function tracking(p: EmailParts): string {
  if (p.tracking.length === 0) return "";
  const lines = p.tracking.map((t) => {
    const label = [t.company, t.number].filter(Boolean).map((s) => e(s)).join(" · ");
    const track = t.url ? `<a href="${e(t.url)}" style="color:${TEXT};font-weight:bold;">Track</a>` : "";
    return `<p style="margin:0 0 8px 0;">${[label, track].filter(Boolean).join(" — ")}</p>`;
  });
  return `<mj-section background-color="#ffffff" padding="0 0 16px"><mj-column>`
    + `<mj-text font-weight="bold" padding="8px 24px 0">Shipment</mj-text>`
    + `<mj-text padding="8px 24px">${lines.join("")}</mj-text></mj-column></mj-section>`;
}

function footer(p: EmailParts): string {
  const links = [
    p.unsubscribeUrl ? `<a href="${e(p.unsubscribeUrl)}" style="color:${MUTED};">Unsubscribe</a>` : "",
    p.preferencesUrl ? `<a href="${e(p.preferencesUrl)}" style="color:${MUTED};">Manage preferences</a>` : "",
  ].filter(Boolean);
  const lines = [`<strong>${e(p.shopName)}</strong>`, e(p.address), e(p.reason), links.join(" · ")]
    .filter(Boolean).map((l) => `<p style="margin:0 0 6px 0;">${l}</p>`);
  return `<mj-section padding="16px 24px"><mj-column>`
    + `<mj-text align="center" font-size="12px" line-height="1.5" color="${MUTED}" padding="0">${lines.join("")}</mj-text>`
    + `</mj-column></mj-section>`;
}

export function buildMjml(p: EmailParts): string {
  return `<mjml>
<mj-head>
<mj-title>${e(p.subject)}</mj-title>
<mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /><mj-text font-size="15px" line-height="1.55" color="${TEXT}" /></mj-attributes>
</mj-head>
<mj-body width="600px" background-color="${PAGE}">
${preheader(p)}
${header(p)}
<mj-section background-color="#ffffff" padding="24px 0 8px"><mj-column><mj-text padding="0 24px">${bodyToHtml(p.body)}</mj-text>${button(p)}</mj-column></mj-section>
${scale(p)}
${items(p)}
${tracking(p)}
${footer(p)}
</mj-body>
</mjml>`;
}
