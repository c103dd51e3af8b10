// /inbox (list, auto-refresh) and /inbox/:id (headers, sandboxed HTML body, text part), plus
// the JSON /_mail/messages endpoints.
import type { Router } from "express";
import { bodyObject, HttpError, route } from "../http";
import type { CapturedMail, MailCatcher } from "./catcher";

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
  body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f7}
  header{background:#1a1a1a;color:#fff;padding:12px 20px}header a{color:#fff}
  main{padding:16px 20px}table{border-collapse:collapse;width:100%;background:#fff}
  th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e3e3e3;vertical-align:top}
  th{background:#fafafa;font-weight:600}a{color:#005bd3}
  .muted{color:#616161}.empty{padding:24px;background:#fff;text-align:center}
  dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;background:#fff;padding:12px;margin:0 0 16px}
  dt{font-weight:600}dd{margin:0;word-break:break-all}
  iframe{width:100%;height:70vh;border:1px solid #e3e3e3;background:#fff}
  pre{white-space:pre-wrap;background:#fff;padding:12px;border:1px solid #e3e3e3}
`;

function layout(title: string, body: string, refresh = false): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">${refresh ? '<meta http-equiv="refresh" content="2">' : ""}
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><strong><a href="/inbox">Sandbox inbox</a></strong> <span class="muted">· every email the app sends locally</span></header>
<main>${body}</main></body></html>`;
}

export function renderInbox(messages: CapturedMail[]): string {
  if (!messages.length) return layout("Inbox (0)", '<div class="empty">No emails yet. This page refreshes every 2 seconds.</div>', true);
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<tr><td class="muted">${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to.join(", "))}</td>
<td><a href="/inbox/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || "(no subject)")}</a></td><td>${escapeHtml(m.from)}</td></tr>`,
    )
    .join("\n");
  return layout(
    `Inbox (${messages.length})`,
    `<table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th>From</th></tr></thead><tbody>${rows}</tbody></table>`,
    true,
  );
}

export function renderMessage(m: CapturedMail): string {
  const headers = Object.entries(m.headers)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join("");
  const html = m.html ? `<h3>HTML</h3><iframe sandbox="" title="HTML body" srcdoc="${escapeHtml(m.html)}"></iframe>` : '<p class="muted">No HTML part.</p>';
  const text = m.text ? `<h3>Text</h3><pre>${escapeHtml(m.text)}</pre>` : '<p class="muted">No text part.</p>';
  return layout(
    m.subject || "(no subject)",
    `<p><a href="/inbox">← All messages</a></p><h2>${escapeHtml(m.subject || "(no subject)")}</h2>
<dl><dt>Received</dt><dd>${escapeHtml(m.receivedAt)}</dd><dt>Envelope to</dt><dd>${escapeHtml(m.to.join(", "))}</dd>${headers}</dl>${html}${text}`,
  );
}

export function registerMailRoutes(router: Router, mail: MailCatcher): void {
  router
    .get(
      "/_mail/messages",
      route(() => ({ json: mail.messages() })),
    )
    .delete(
      "/_mail/messages",
      route(() => {
        mail.clear();
        return { json: { ok: true } };
      }),
    )
    .post(
      "/_mail/faults",
      route((ctx) => {
        const body = bodyObject(ctx) as { mode?: string; times?: number; to?: string };
        if (body.mode !== "tempfail" && body.mode !== "unavailable" && body.mode !== "reject" && body.mode !== "drop-after-data") {
          throw new HttpError(400, "mode must be tempfail, unavailable, reject or drop-after-data");
        }
        mail.injectFault(body.mode, Number(body.times ?? 1), body.to);
        return { json: { ok: true } };
      }),
    )
    .delete(
      "/_mail/faults",
      route(() => {
        mail.clearFaults();
        return { json: { ok: true } };
      }),
    )
    .get(
      "/inbox",
      route(() => ({ html: renderInbox(mail.messages()) })),
    )
    .get(
      "/inbox/:id",
      route((ctx) => {
        const m = mail.message(ctx.params.id);
        if (!m) throw new HttpError(404, "message not found");
        return { html: renderMessage(m) };
      }),
    );
}
