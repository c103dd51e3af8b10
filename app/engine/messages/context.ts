// The variables a template sees, built from the order mirror. Amounts and dates are formatted
// for the recipient (locale, currency, timezone) so templates never format anything.
import type { Customer, Fulfillment, LineItem, Order, Shop } from "@prisma/client";
import type { TemplateContext } from "../email/render";
import { formatMinorUnits } from "../util/money";
import { storedStrings } from "../util/stored-json";

export function formatMoney(cents: number | null, currency: string | null, locale: string | null): string {
  if (cents === null) return "";
  const amount = Number(formatMinorUnits(cents, currency));
  try {
    return new Intl.NumberFormat(locale ?? "en", { style: "currency", currency: currency ?? "USD" }).format(amount);
  } catch {
    return `${formatMinorUnits(cents, currency)} ${currency ?? ""}`.trim();
  }
}

function formatDate(date: Date | null, locale: string | null, timeZone: string): string {
  if (!date) return "";
  try {
    return new Intl.DateTimeFormat(locale ?? "en", { dateStyle: "long", timeZone }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

export function shopUrl(shop: Pick<Shop, "primaryDomain" | "domain">): string {
  return `https://${shop.primaryDomain ?? shop.domain}`;
}

export function buildContext(input: {
  shop: Shop;
  order: Order & { lineItems: LineItem[]; fulfillments: Fulfillment[] };
  customer: Customer | null;
  timezone: string;
  links?: Record<string, string>;
}): TemplateContext {
  const { shop, order, customer, timezone } = input;
  const locale = order.locale ?? customer?.locale ?? null;
  return {
    shop: { name: shop.name, url: shopUrl(shop) },
    customer: { first_name: customer?.firstName ?? null, last_name: customer?.lastName ?? null },
    order: {
      name: order.name ?? "",
      date: formatDate(order.placedAt, locale, timezone),
      total: formatMoney(order.totalCents, order.currency, locale),
      status_url: null,
    },
    line_items: order.lineItems.map((li) => ({
      title: li.title,
      variant: li.variant,
      quantity: li.quantity,
      price: formatMoney(li.priceCents, order.currency, locale),
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
