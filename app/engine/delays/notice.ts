// The shipping-delay notice: says plainly what is late and why, the new expectation when known,
// and carries a unique apology code unless the monthly budget is spent.
import { DiscountRetryLater, delaySettingsFor, ensureApologyCode } from "../discounts/apology";
import { RetryLater, type FlowExtension } from "../messages/extensions";
import { orderStopReason } from "../flows/anchors";
import { isDelivered, type DelayCause } from "./detect";

export function describeDelay(cause: DelayCause, detail: string | null): string {
  switch (cause) {
    case "not_shipped":
      return "it has not left our warehouse yet";
    case "late_in_transit":
      return "the parcel is later than the carrier's estimate";
    case "carrier_exception":
      if (detail?.includes("attempted delivery")) return "the carrier tried to deliver it but could not";
      if (detail?.includes("failure")) return "the carrier reports a delivery problem";
      return "the carrier reports a delay";
  }
}

function formatDay(date: Date | null, locale: string | null, timeZone: string): string | null {
  if (!date) return null;
  try {
    return new Intl.DateTimeFormat(locale ?? "en", { dateStyle: "long", timeZone }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

export const delayNotice: FlowExtension = {
  async prepare({ db, clock, graphql, message, shop, order, timezone, locale }) {
    const cause = message.step as DelayCause;
    const incident = await db.delayIncident.findUnique({ where: { orderId_cause: { orderId: order.id, cause } } });
    if (!incident) return { ok: false, status: "skipped", reason: "no delay recorded for this order" };
    const stop = orderStopReason(order);
    if (stop) return { ok: false, status: "skipped", reason: stop };
    if (isDelivered(order)) return { ok: false, status: "skipped", reason: "order already delivered" };
    if (cause === "not_shipped" && incident.resolvedAt) return { ok: false, status: "skipped", reason: "the order shipped before the notice went out" };

    const settings = await delaySettingsFor(db, shop.id);
    let discount: Record<string, unknown> = { code: null };
    let cta = null;
    let note: string | null = null;
    try {
      const outcome = await ensureApologyCode({ db, clock, graphql }, { shop, settings, messageId: message.id, order });
      if (outcome.kind === "failed") return { ok: false, status: "failed", reason: `apology code refused by Shopify: ${outcome.reason}` };
      if (outcome.kind === "none") note = `sent without a code: ${outcome.reason}`;
      else {
        discount = { code: outcome.code, value: outcome.valueLabel, expires_on: formatDay(outcome.endsAt, locale, timezone), url: outcome.url };
        cta = { label: "Use your code", url: outcome.url };
      }
    } catch (error) {
      if (error instanceof DiscountRetryLater) throw new RetryLater(`apology code: ${error.message}`);
      throw error;
    }
    const expected = incident.expectedAt && incident.expectedAt > clock.now() ? incident.expectedAt : null;
    return {
      ok: true,
      context: {
        delay: { cause, reason: describeDelay(cause, incident.detail), expected_on: formatDay(expected, locale, timezone) },
        discount,
      },
      cta,
      note,
    };
  },
};
