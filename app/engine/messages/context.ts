// The variables a template sees, built from the order mirror. Amounts and dates are formatted
// for the recipient (locale, currency, timezone) so templates never format anything. Amounts are
// the buyer's (the order's presentment currency), not the shop's the dashboard counts in.
import type { Customer, Fulfillment, LineItem, Order, Shop } from "@prisma/client";
import type { TemplateContext } from "../email/render";
import { formatDay, formatMoney } from "../i18n/format";
import { storedStrings } from "../util/stored-json";

export function shopUrl(shop: Pick<Shop, "primaryDomain" | "domain">): string {
  return `https://${shop.primaryDomain ?? shop.domain}`;
}

/**
 * How one email shows the order's amounts: as the buyer saw them (the presentment currency) when
 * every amount it shows has its buyer's side mirrored, else all in the shop's currency — never a
 * total in euros beside prices in dollars (an order mirrored before the buyer's side was kept).
 */
function buyerMoney(order: Order & { lineItems: LineItem[] }, locale: string | null) {
  const buyerSide =
    order.presentmentCurrency !== null && order.presentmentTotalCents !== null && order.lineItems.every((li) => li.presentmentPriceCents !== null);
  return (shopCents: number | null, presentmentCents: number | null) =>
    buyerSide ? formatMoney(presentmentCents, order.presentmentCurrency, locale) : formatMoney(shopCents, order.currency, locale);
}

export function buildContext(input: {
  shop: Shop;
  order: Order & { lineItems: LineItem[]; fulfillments: Fulfillment[] };
  customer: Customer | null;
  timezone: string;
  /** What to format for (the message's locale); default the order's or the customer's. */
  locale?: string | null;
  links?: Record<string, string>;
}): TemplateContext {
  const { shop, order, customer, timezone } = input;
  const locale = input.locale ?? order.locale ?? customer?.locale ?? null;
  const money = buyerMoney(order, locale);
  return {
    shop: { name: shop.name, url: shopUrl(shop) },
    customer: { first_name: customer?.firstName ?? null, last_name: customer?.lastName ?? null },
    order: {
      name: order.name ?? "",
      date: formatDay(order.placedAt, locale, timezone),
      total: money(order.totalCents, order.presentmentTotalCents),
      status_url: null,
    },
    line_items: order.lineItems.map((li) => ({
      title: li.title,
      variant: li.variant,
      quantity: li.quantity,
      price: money(li.priceCents, li.presentmentPriceCents),
      image_url: null,
      url: li.productId ? `${shopUrl(shop)}/products/${li.productId.split("/").pop()}` : null,
    })),
    tracking: order.fulfillments.flatMap((f) => {
      const urls = storedStrings(f.trackingUrls);
      return storedStrings(f.trackingNumbers).map((number, i) => ({ company: f.trackingCompany, number, url: urls[i] ?? null }));
    }),
    links: input.links ?? {},
  };
}
