// /n/<token>: the hosted NPS survey, reached from the 0–10 buttons of the survey email.
// GET → the form with ?score pre-selected and a comment box; records NOTHING (mail scanners
// follow every link). POST → records one answer per survey email (a second POST shows the same
// thank-you and records nothing), opens a case for detractors and, when the shop wants it,
// emails the shop's contact address. Tampered or expired token → 404.
// A resource route rendering static HTML: no scripts, no Remix runtime, React escapes the text.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ReactNode } from "react";
import { db } from "~/db.server";
import { htmlPage, linkNotValid, PUBLIC_PAGE_HEADERS, PublicShell } from "~/public-page.server";
import { FormAlert } from "~/components/FormAlert";
import { publicContext } from "~/route-context.server";
import { log } from "~/log.server";
import { contrastColor } from "~/engine/email/render/layout";
import { linkKeysOf } from "~/links.server";
import { parseScore, readNpsToken, reviewPageUrl, SCORES } from "~/engine/nps/links";
import {
  cleanComment,
  COMMENT_MAX,
  existingAnswer,
  findSurvey,
  reviewRequestFor,
  submitAnswer,
  type RecordedAnswer,
  type SurveyTarget,
} from "~/engine/nps/respond";
import { npsWording } from "~/engine/nps/survey";
import { translator } from "~/engine/i18n/translate";

async function surveyFrom(token: string | undefined) {
  const { config, clock } = await publicContext();
  const secret = linkKeysOf(config);
  const payload = readNpsToken(secret, token ?? "", clock.now());
  const survey = payload ? await findSurvey(db, payload.m) : null;
  return survey ? { survey, clock, config, secret } : null;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const found = await surveyFrom(params.token);
  if (!found) return linkNotValid(request);
  const answered = await existingAnswer(db, found.survey.messageId);
  if (answered) return htmlPage(<ThankYou survey={found.survey} answer={answered} reviewUrl={await reviewLink(found, answered)} />);
  const score = parseScore(new URL(request.url).searchParams.get("score"));
  return htmlPage(<SurveyForm survey={found.survey} score={score} comment="" error={null} />);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST" } });
  const found = await surveyFrom(params.token);
  if (!found) return linkNotValid(request);
  const { survey, clock } = found;
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new Response("Bad request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", ...PUBLIC_PAGE_HEADERS } });
  }
  const score = parseScore(form.get("score"));
  const comment = cleanComment(form.get("comment"));
  if (score === null) {
    const answered = await existingAnswer(db, survey.messageId);
    if (answered) return htmlPage(<ThankYou survey={survey} answer={answered} reviewUrl={null} />);
    return htmlPage(
      <SurveyForm survey={survey} score={null} comment={comment ?? ""} error={translator(survey.locale).t("nps_page.error.choose_score")} />,
      400,
    );
  }

  const { created, answer } = await submitAnswer(db, clock, survey, { score, comment });
  if (created) {
    log({ msg: "nps answer", messageId: survey.messageId, segment: answer.segment, caseId: answer.caseId });
  }
  return htmlPage(<ThankYou survey={survey} answer={answer} reviewUrl={await reviewLink(found, answer)} />);
};

/** Promoters are invited to the order's review page, when a review request went out and has no review yet. */
async function reviewLink(found: NonNullable<Awaited<ReturnType<typeof surveyFrom>>>, answer: RecordedAnswer): Promise<string | null> {
  if (answer.segment !== "promoter") return null;
  const review = await reviewRequestFor(db, found.survey);
  return review ? reviewPageUrl(found.config.SHOPIFY_APP_URL, found.secret, review.messageId, found.clock.now()) : null;
}

const css = (brand: string) => `
  body { margin: 0; background: #f6f6f7; color: #202223; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
  main { max-width: 600px; margin: 40px auto; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.12); overflow: hidden; }
  header { padding: 18px 28px; background: ${brand}; color: ${contrastColor(brand)}; font-weight: 600; font-size: 18px; min-height: 28px; }
  header img { display: block; max-height: 40px; max-width: 200px; }
  section { padding: 8px 28px 28px; }
  h1 { font-size: 21px; line-height: 1.35; margin: 18px 0 16px; }
  fieldset { border: 0; padding: 0; margin: 0 0 20px; min-width: 0; }
  legend { padding: 0; font-weight: 600; margin-bottom: 10px; }
  .scale { display: flex; flex-wrap: wrap; gap: 6px; }
  .opt { position: relative; }
  .opt input { position: absolute; opacity: 0; width: 100%; height: 100%; margin: 0; cursor: pointer; }
  .opt span { display: inline-flex; align-items: center; justify-content: center; width: 42px; height: 42px; box-sizing: border-box;
    border: 2px solid ${brand}; border-radius: 8px; font-weight: 700; background: #fff; color: #202223; }
  .opt input:checked + span { background: ${brand}; color: ${contrastColor(brand)}; }
  .opt input:focus-visible + span { outline: 3px solid #2c6ecb; outline-offset: 2px; }
  .ends { display: flex; justify-content: space-between; color: #6d7175; font-size: 13px; margin-top: 6px; }
  label.comment { display: block; font-weight: 600; margin-bottom: 6px; }
  textarea { width: 100%; box-sizing: border-box; border: 1px solid #8c9196; border-radius: 8px; padding: 10px; font: inherit; resize: vertical; }
  .error { background: #fed3d1; color: #8e1f0b; border-radius: 8px; padding: 10px 14px; font-weight: 600; }
  .muted { color: #6d7175; }
  button, .button { display: inline-block; border: 0; border-radius: 8px; padding: 11px 22px; font-size: 15px; font-weight: 600; cursor: pointer;
    background: ${brand}; color: ${contrastColor(brand)}; text-decoration: none; margin-top: 16px; }
  @media (max-width: 480px) { main { margin: 0; border-radius: 0; } section { padding: 8px 18px 24px; } .opt span { width: 38px; height: 38px; } }
`;

type Brand = { name: string; brandColor: string; logoUrl: string | null };

function Shell({ title, locale, brand, children }: { title: string; locale: string; brand: Brand; children: ReactNode }) {
  const header = brand.logoUrl ? <img src={brand.logoUrl} alt={brand.name} /> : brand.name || "\u00a0";
  return (
    <PublicShell title={title} locale={locale} shopName={brand.name || undefined} css={css(brand.brandColor)} header={header}>
      {children}
    </PublicShell>
  );
}

function SurveyForm({ survey, score, comment, error }: { survey: SurveyTarget; score: number | null; comment: string; error: string | null }) {
  const brand = survey.shop;
  const { t } = translator(survey.locale);
  const wording = npsWording(brand.name, t);
  return (
    <Shell title={t("nps_page.title")} locale={survey.locale} brand={brand}>
      <form method="post">
        <fieldset>
          <legend>
            <h1>{wording.question}</h1>
          </legend>
          <FormAlert message={error} />
          <div className="scale">
            {SCORES.map((n) => (
              <label className="opt" key={n}>
                <input
                  type="radio"
                  name="score"
                  value={n}
                  defaultChecked={n === score}
                  required
                  aria-label={`${n}${n === 0 ? ` (${wording.low})` : n === 10 ? ` (${wording.high})` : ""}`}
                />
                <span aria-hidden="true">{n}</span>
              </label>
            ))}
          </div>
          <div className="ends" aria-hidden="true">
            <span>0 = {wording.low}</span>
            <span>10 = {wording.high}</span>
          </div>
        </fieldset>
        <label className="comment" htmlFor="comment">
          {t("nps_page.reason")} <span className="muted">{t("nps_page.optional")}</span>
        </label>
        <textarea id="comment" name="comment" rows={5} maxLength={COMMENT_MAX} defaultValue={comment} />
        <button type="submit">{t("nps_page.send")}</button>
      </form>
    </Shell>
  );
}

function ThankYou({ survey, answer, reviewUrl }: { survey: SurveyTarget; answer: RecordedAnswer; reviewUrl: string | null }) {
  const brand = survey.shop;
  const { t } = translator(survey.locale);
  const shop = brand.name;
  return (
    <Shell title={t("page.thank_you")} locale={survey.locale} brand={brand}>
      <h1 role="status">{t("nps_page.thanks")}</h1>
      <p className="muted">{t("nps_page.you_answered", { score: answer.score })}</p>
      {answer.segment === "promoter" ? (
        reviewUrl ? (
          <>
            <p>{t("nps_page.promoter_review", { shop })}</p>
            <a className="button" href={reviewUrl}>
              {t("review_request.write_review")}
            </a>
          </>
        ) : (
          <p>{t("nps_page.promoter", { shop })}</p>
        )
      ) : answer.segment === "passive" ? (
        <p>{t("nps_page.passive", { shop })}</p>
      ) : (
        <p>{t("nps_page.detractor", { shop })}</p>
      )}
    </Shell>
  );
}
