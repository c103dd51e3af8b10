// The NPS survey email: the question, and a row of 0–10 buttons, each a signed link to the hosted
// page with that score pre-selected. Registered under the "nps" flow key; the dispatcher already
// skips customers surveyed within the flow's throttle (90 days).
import { translator, type Translator } from "../i18n/translate";
import type { FlowExtension } from "../messages/extensions";
import type { LinkKeys } from "../links/tokens";
import { npsScoreUrl, npsToken, SCORES } from "./links";

/** The question and the words at both ends of the scale, in the reader's language. */
export function npsWording(shopName: string, t: Translator["t"]) {
  return { question: t("nps.question", { shop: shopName }), low: t("nps.low"), high: t("nps.high") };
}

export function npsSurvey(deps: { appUrl: string; secret: LinkKeys }): FlowExtension {
  return {
    async prepare({ clock, message, shop, locale }) {
      const token = npsToken(deps.secret, message.id, clock.now());
      const wording = npsWording(shop.name, translator(locale).t);
      return {
        ok: true,
        context: { nps: { question: wording.question } },
        scale: { ...wording, links: SCORES.map((value) => ({ value, url: npsScoreUrl(deps.appUrl, token, value) })) },
      };
    },
  };
}

/**
 * The scale for the flow editor's preview and test email: the same buttons, pointing at a page
 * that answers 404 (a preview has no survey message behind it).
 */
export function npsPreviewScale(appUrl: string, shopName: string, locale = "en") {
  return { ...npsWording(shopName, translator(locale).t), links: SCORES.map((value) => ({ value, url: npsScoreUrl(appUrl, "preview", value) })) };
}
