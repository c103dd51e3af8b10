// The NPS survey email: the question, and a row of 0–10 buttons, each a signed link to the hosted
// page with that score pre-selected. Registered under the "nps" flow key; the dispatcher already
// skips customers surveyed within the flow's throttle (90 days).
import type { FlowExtension } from "../messages/extensions";
import type { LinkKeys } from "../links/tokens";
import { npsScoreUrl, npsToken, SCORES } from "./links";

export const LOW_LABEL = "Not likely";
export const HIGH_LABEL = "Extremely likely";

export function npsQuestion(shopName: string): string {
  return `How likely are you to recommend ${shopName} to a friend or colleague?`;
}

export function npsSurvey(deps: { appUrl: string; secret: LinkKeys }): FlowExtension {
  return {
    async prepare({ clock, message, shop }) {
      const token = npsToken(deps.secret, message.id, clock.now());
      const question = npsQuestion(shop.name);
      return {
        ok: true,
        context: { nps: { question } },
        scale: { question, low: LOW_LABEL, high: HIGH_LABEL, links: SCORES.map((value) => ({ value, url: npsScoreUrl(deps.appUrl, token, value) })) },
      };
    },
  };
}

/**
 * The scale for the flow editor's preview and test email: the same buttons, pointing at a page
 * that answers 404 (a preview has no survey message behind it).
 */
export function npsPreviewScale(appUrl: string, shopName: string) {
  const question = npsQuestion(shopName);
  return { question, low: LOW_LABEL, high: HIGH_LABEL, links: SCORES.map((value) => ({ value, url: npsScoreUrl(appUrl, "preview", value) })) };
}
