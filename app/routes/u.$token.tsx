// /u/<token>: unsubscribe and email preferences, reached from emails.
// POST List-Unsubscribe=One-Click (RFC 8058, sent by mail providers) → 200 "Unsubscribed".
// GET → the preferences page (never changes anything: mail scanners fetch every link).
// POST intent=preferences (the page's form) → applies the checkboxes, shows the page again.
// A resource route rendering static HTML: no scripts, no Remix runtime, React escapes the text.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { htmlPage, linkNotValid, PUBLIC_PAGE_HEADERS, PublicShell, publicPageCss } from "~/public-page.server";
import type { Clock } from "~/engine/clock";
import { publicContext } from "~/route-context.server";
import { log } from "~/log.server";
import { loadPreferences, oneClickUnsubscribe, savePreferences, type PreferencesView } from "~/engine/consent/preferences";
import { linkKeysOf } from "~/links.server";
import { readUnsubscribeToken } from "~/engine/links/urls";
import { translator } from "~/engine/i18n/translate";

async function messageIdFrom(token: string | undefined): Promise<{ messageId: string; clock: Clock } | null> {
  const { config, clock } = await publicContext();
  const payload = readUnsubscribeToken(linkKeysOf(config), token ?? "", clock.now());
  return payload ? { messageId: payload.m, clock } : null;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const found = await messageIdFrom(params.token);
  const page = found ? await loadPreferences(db, found.messageId) : null;
  return page ? htmlPage(<PreferencesPage page={page} saved={false} />) : linkNotValid(request);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST" } });
  const found = await messageIdFrom(params.token);
  if (!found) return linkNotValid(request);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new Response("Bad request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", ...PUBLIC_PAGE_HEADERS } });
  }

  if (form.get("intent") === "preferences") {
    const page = await savePreferences(db, found.clock, found.messageId, {
      surveys: form.get("surveys") === "on",
      marketing: form.get("marketing") === "on",
    });
    if (!page) return linkNotValid(request);
    log({ msg: "preferences saved", messageId: found.messageId });
    return htmlPage(<PreferencesPage page={page} saved />);
  }

  if (form.get("List-Unsubscribe") === "One-Click") {
    // Both categories or neither: one transaction.
    if (!(await db.$transaction((tx) => oneClickUnsubscribe(tx, found.clock, found.messageId)))) return linkNotValid(request);
    log({ msg: "one-click unsubscribe", messageId: found.messageId });
    // Read by the mail provider that sent the POST, not by a person: plain English.
    return new Response("Unsubscribed", { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8", ...PUBLIC_PAGE_HEADERS } });
  }

  return new Response("Bad request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", ...PUBLIC_PAGE_HEADERS } });
};

const CSS = `${publicPageCss(480)}
  .muted { color: #6d7175; margin-top: 0; }
  .note { background: #f1f2f3; border-radius: 8px; padding: 12px 14px; font-size: 14px; }
  .saved { background: #e3f1df; color: #1a512e; border-radius: 8px; padding: 12px 14px; font-weight: 600; }
  fieldset { border: 0; padding: 0; margin: 20px 0; }
  label { display: flex; gap: 10px; align-items: center; padding: 10px 0; border-bottom: 1px solid #e1e3e5; cursor: pointer; }
  input[type=checkbox] { width: 18px; height: 18px; }
  button { border: 0; border-radius: 8px; padding: 10px 18px; font-size: 15px; font-weight: 600; color: #fff; cursor: pointer; }
`;

function PreferencesPage({ page, saved }: { page: PreferencesView; saved: boolean }) {
  const { t } = translator(page.locale);
  const shop = page.shopName;
  return (
    <PublicShell title={t("preferences_page.title")} locale={page.locale} shopName={shop} css={CSS} headerStyle={{ background: page.brandColor }}>
      <h1>{t("preferences_page.title")}</h1>
      <p className="muted">{t("preferences_page.for", { email: page.maskedEmail })}</p>
      {saved ? (
        <p className="saved" role="status">
          {t("preferences_page.saved")}
        </p>
      ) : null}
      {page.category === "service" ? <p className="note">{t("preferences_page.service_note")}</p> : null}
      {page.blockedAll ? <p className="note">{t("preferences_page.blocked", { shop })}</p> : null}
      <form method="post">
        <input type="hidden" name="intent" value="preferences" />
        <fieldset>
          <legend>{t("preferences_page.legend", { shop })}</legend>
          <label>
            <input type="checkbox" name="surveys" value="on" defaultChecked={page.surveys} />
            {t("preferences_page.surveys")}
          </label>
          <label>
            <input type="checkbox" name="marketing" value="on" defaultChecked={page.marketing} />
            {t("preferences_page.marketing")}
          </label>
        </fieldset>
        <button type="submit" style={{ background: page.brandColor }}>
          {t("preferences_page.save")}
        </button>
      </form>
    </PublicShell>
  );
}
