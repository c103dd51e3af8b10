// The shipping-delay notice: says plainly what is late and why, the new expectation when known,
// and carries a unique apology code unless the monthly budget is spent.
import { DiscountRetryLater, delaySettingsFor, ensureApologyCode } from "../discounts/apology";
import { RetryLater, type FlowExtension, type PrepareInput } from "../messages/extensions";
import { recordDelayDetected } from "../flow/triggers";
import { orderStopReason } from "../flows/anchors";
import { isDelivered, type DelayCause } from "./detect";
import { formatDay } from "../i18n/format";
import { translator, type Translator } from "../i18n/translate";

/** Why the order is late, as the notice's sentence continues ("…, because {reason}."). */
export function describeDelay(cause: DelayCause, detail: string | null, t: Translator["t"]): string {
  switch (cause) {
    case "not_shipped":
      return t("delay.not_shipped");
    case "late_in_transit":
      return t("delay.late_in_transit");
    case "carrier_exception":
      if (detail?.includes("attempted delivery")) return t("delay.attempted_delivery");
      if (detail?.includes("failure")) return t("delay.delivery_problem");
      return t("delay.carrier_delay");
    case "reported":
      return t("delay.reported");
  }
}

/** Why the notice is no longer due, or null. */
function skipReason(order: PrepareInput["order"], cause: DelayCause, resolvedAt: Date | null): string | null {
  const stop = orderStopReason(order);
  if (stop) return stop;
  if (isDelivered(order)) return "order already delivered";
  if (cause === "not_shipped" && resolvedAt) return "the order shipped before the notice went out";
  return null;
}

const dayOrNull = (date: Date | null, locale: string, timeZone: string) => (date ? formatDay(date, locale, timeZone) : null);

export const delayNotice: FlowExtension = {
  async prepare({ db, clock, graphql, message, shop, order, timezone, locale }) {
    const { t } = translator(locale);
    const cause = message.step as DelayCause;
    const incident = await db.delayIncident.findUnique({ where: { orderId_cause: { orderId: order.id, cause } } });
    if (!incident) return { ok: false, status: "skipped", reason: "no delay recorded for this order" };
    // The delay's Flow trigger goes with the notice's apology code ("" without one); once per incident.
    const trigger = (code: string) => recordDelayDetected(db, clock, incident, order, code);
    const skip = skipReason(order, cause, incident.resolvedAt);
    if (skip) {
      await trigger("");
      return { ok: false, status: "skipped", reason: skip };
    }

    const settings = await delaySettingsFor(db, shop.id);
    let discount: Record<string, unknown> = { code: null };
    let cta = null;
    let note: string | null = null;
    try {
      const outcome = await ensureApologyCode({ db, clock, graphql }, { shop, settings, messageId: message.id, order, locale });
      await trigger(outcome.kind === "code" ? outcome.code : "");
      if (outcome.kind === "failed") return { ok: false, status: "failed", reason: `apology code refused by Shopify: ${outcome.reason}` };
      if (outcome.kind === "none") note = `sent without a code: ${outcome.reason}`;
      else {
        discount = { code: outcome.code, value: outcome.valueLabel, expires_on: formatDay(outcome.endsAt, locale, timezone), url: outcome.url };
        cta = { label: t("shipping_delay.use_code"), url: outcome.url };
      }
    } catch (error) {
      if (error instanceof DiscountRetryLater) throw new RetryLater(`apology code: ${error.message}`);
      throw error;
    }
    const expected = incident.expectedAt && incident.expectedAt > clock.now() ? incident.expectedAt : null;
    return {
      ok: true,
      context: {
        delay: { cause, reason: describeDelay(cause, incident.detail, t), expected_on: dayOrNull(expected, locale, timezone) },
        discount,
      },
      cta,
      note,
    };
  },
};
