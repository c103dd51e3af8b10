// /r/<token>: the hosted review page, reached from review-request emails.
// GET → the form, one block per item asked about (stars 1–5, title, text). It never records
//   anything: mail scanners fetch every link.
// POST → records one review per rated item, once (a repeat shows the same thank-you), cancels the
//   reminder, recomputes the ratings, and thanks the customer.
// A resource route rendering static HTML: no scripts, no Remix runtime, React escapes the text.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { htmlPage, linkNotValid, PUBLIC_PAGE_HEADERS, PublicShell, publicPageCss } from "~/public-page.server";
import { FormAlert } from "~/components/FormAlert";
import { publicContext } from "~/route-context.server";
import { log } from "~/log.server";
import { linkKeysOf } from "~/links.server";
import { translator, type Translator } from "~/engine/i18n/translate";
import { readReviewToken } from "~/engine/reviews/links";
import { BODY_MAX, TITLE_MAX, loadReviewPage, readForm, submitReviews, type ItemErrors, type ItemInput, type ReviewPageView } from "~/engine/reviews/submit";

async function fromToken(token: string | undefined) {
  const { config, clock } = await publicContext();
  const messageId = readReviewToken(linkKeysOf(config), token ?? "", clock.now());
  return messageId ? { messageId, clock } : null;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const found = await fromToken(params.token);
  const page = found ? await loadReviewPage(db, found.messageId) : null;
  if (!page) return linkNotValid(request);
  return page.submitted ? htmlPage(<ThankYou page={page} already />) : htmlPage(<ReviewForm page={page} />);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST", ...PUBLIC_PAGE_HEADERS } });
  const found = await fromToken(params.token);
  const page = found ? await loadReviewPage(db, found.messageId) : null;
  if (!found || !page) return linkNotValid(request);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new Response("Bad request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", ...PUBLIC_PAGE_HEADERS } });
  }
  const inputs = readForm(form, page.items.length);
  const result = await submitReviews(db, found.clock, found.messageId, inputs);
  switch (result.kind) {
    case "gone":
      return linkNotValid(request);
    case "invalid":
      return htmlPage(<ReviewForm page={page} values={inputs} errors={result.errors} formError={result.formError} />, 422);
    case "already":
      return htmlPage(<ThankYou page={page} already />);
    case "recorded":
      log({ msg: "reviews recorded", messageId: found.messageId, count: result.count });
      return htmlPage(<ThankYou page={page} already={false} />);
  }
};

const CSS = `${publicPageCss(560)}
  h2 { font-size: 18px; margin: 0 0 8px; }
  .muted { color: #6d7175; margin-top: 0; }
  .item { border: 1px solid #e1e3e5; border-radius: 10px; padding: 16px 18px; margin: 18px 0; }
  .stars { position: relative; display: inline-flex; flex-direction: row-reverse; gap: 2px; border: 0; padding: 0; margin: 0 0 10px; }
  .stars legend { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .stars input { position: absolute; opacity: 0; width: 1px; height: 1px; }
  .stars label { font-size: 32px; line-height: 1; color: #c9cccf; cursor: pointer; padding: 0 2px; }
  .stars input:checked ~ label, .stars label:hover, .stars label:hover ~ label { color: #ffb800; }
  .stars input:focus-visible + label { outline: 2px solid #005bd3; outline-offset: 2px; border-radius: 4px; }
  .field { display: block; margin: 10px 0 4px; font-weight: 600; font-size: 14px; }
  input[type=text], textarea { box-sizing: border-box; width: 100%; border: 1px solid #8c9196; border-radius: 8px; padding: 8px 10px; font: inherit; }
  textarea { min-height: 110px; resize: vertical; }
  .error { color: #8e1f0b; background: #fee9e8; border-radius: 8px; padding: 8px 12px; font-size: 14px; margin: 8px 0; }
  .thanks { background: #e3f1df; color: #1a512e; border-radius: 8px; padding: 12px 14px; font-weight: 600; }
  button { border: 0; border-radius: 8px; padding: 10px 18px; font-size: 15px; font-weight: 600; color: #fff; cursor: pointer; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** A field's error in the page's language; the length limits are the fields' own. */
const errorText = (t: Translator["t"], key: NonNullable<ItemErrors[keyof ItemErrors]>) =>
  t(key, { max: key === "review_page.error.title_too_long" ? TITLE_MAX : BODY_MAX });

function ReviewForm({
  page,
  values,
  errors,
  formError,
}: {
  page: ReviewPageView;
  values?: ItemInput[];
  errors?: ItemErrors[];
  formError?: ItemErrors["rating"] | null;
}) {
  const { t } = translator(page.locale);
  const items = page.items.length;
  return (
    <PublicShell title={t("review_page.title")} locale={page.locale} shopName={page.shopName} css={CSS} headerStyle={{ background: page.brandColor }}>
      <h1>{t("review_page.heading", { items })}</h1>
      <p className="muted">{t("review_page.intro", { items })}</p>
      <FormAlert message={formError ? errorText(t, formError) : null} />
      <form method="post">
        {page.items.map((item, i) => {
          const n = i + 1;
          const v = values?.[i];
          const e = errors?.[i] ?? {};
          return (
            <div className="item" id={`item-${n}`} key={item.productId}>
              <h2>{item.title}</h2>
              <fieldset className="stars" aria-describedby={e.rating ? `rating-${n}-error` : undefined}>
                <legend>{t("review_page.rating_for", { item: item.title })}</legend>
                {[5, 4, 3, 2, 1].map((stars) => (
                  <StarInput key={stars} n={n} stars={stars} label={t("review_page.stars", { stars })} checked={v?.rating === String(stars)} />
                ))}
              </fieldset>
              {e.rating ? (
                <p className="error" id={`rating-${n}-error`}>
                  {errorText(t, e.rating)}
                </p>
              ) : null}
              <label className="field" htmlFor={`title-${n}`}>
                {t("review_page.review_title")}
              </label>
              <input type="text" id={`title-${n}`} name={`title-${n}`} maxLength={TITLE_MAX} defaultValue={v?.title ?? ""} />
              {e.title ? <p className="error">{errorText(t, e.title)}</p> : null}
              <label className="field" htmlFor={`body-${n}`}>
                {t("review_page.review_body")}
              </label>
              <textarea id={`body-${n}`} name={`body-${n}`} maxLength={BODY_MAX} defaultValue={v?.body ?? ""} />
              {e.body ? <p className="error">{errorText(t, e.body)}</p> : null}
            </div>
          );
        })}
        <button type="submit" style={{ background: page.brandColor }}>
          {t("review_page.submit")}
        </button>
      </form>
    </PublicShell>
  );
}

function StarInput({ n, stars, label, checked }: { n: number; stars: number; label: string; checked: boolean }) {
  const id = `rating-${n}-${stars}`;
  return (
    <>
      <input type="radio" id={id} name={`rating-${n}`} value={String(stars)} defaultChecked={checked} aria-label={label} />
      <label htmlFor={id} title={label}>
        <span aria-hidden="true">★</span>
        <span className="sr">{label}</span>
      </label>
    </>
  );
}

function ThankYou({ page, already }: { page: ReviewPageView; already: boolean }) {
  const { t } = translator(page.locale);
  return (
    <PublicShell title={t("page.thank_you")} locale={page.locale} shopName={page.shopName} css={CSS} headerStyle={{ background: page.brandColor }}>
      <h1>{t("review_page.thanks")}</h1>
      <p className="thanks" role="status">
        {already ? t("review_page.already") : t("review_page.received")}
      </p>
      <p>{t("review_page.appreciate", { shop: page.shopName })}</p>
    </PublicShell>
  );
}
