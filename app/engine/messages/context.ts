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

/** An amount as the buyer saw it: in the order's presentment currency when mirrored, else the shop's. */
function buyerMoney(order: Order, shopCents: number | null, presentmentCents: number | null, locale: string | null): string {
  if (order.presentmentCurrency && presentmentCents !== null) return formatMoney(presentmentCents, order.presentmentCurrency, locale);
  return formatMoney(shopCents, order.currency, locale);
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
  return {
    shop: { name: shop.name, url: shopUrl(shop) },
    customer: { first_name: customer?.firstName ?? null, last_name: customer?.lastName ?? null },
    order: {
      name: order.name ?? "",
      date: formatDay(order.placedAt, locale, timezone),
      total: buyerMoney(order, order.totalCents, order.presentmentTotalCents, locale),
      status_url: null,
    },
    line_items: order.lineItems.map((li) => ({
      title: li.title,
      variant: li.variant,
      quantity: li.quantity,
      price: buyerMoney(order, li.priceCents, li.presentmentPriceCents, locale),
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
