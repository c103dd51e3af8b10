import { formatDay, formatMoney } from "../../i18n/format";
import type { TemplateContext } from "./types";

/** A realistic context for previews and the template editor, its amounts and date formatted for `locale`. */
export function sampleContext(locale = "en"): TemplateContext {
  const shop = "https://demo-outfitters.example.com";
  const usd = (cents: number) => formatMoney(cents, "USD", locale);
  return {
    shop: { name: "Trustloop Demo Outfitters", url: shop },
    customer: { first_name: "Maya", last_name: "Lindqvist" },
    order: {
      name: "#1042",
      date: formatDay(new Date("2026-11-22T12:00:00Z"), locale, "UTC"),
      total: usd(6400),
      status_url: `${shop}/account/orders/1042`,
    },
    line_items: [
      {
        title: "Merino Trail Socks",
        variant: "Charcoal / M",
        quantity: 2,
        price: usd(2000),
        image_url: "https://cdn.shopify.com/s/files/1/demo/merino-socks.jpg",
        url: `${shop}/products/merino-trail-socks`,
      },
      {
        title: "Canvas Field Cap",
        variant: null,
        quantity: 1,
        price: usd(2400),
        image_url: "https://cdn.shopify.com/s/files/1/demo/field-cap.jpg",
        url: `${shop}/products/canvas-field-cap`,
      },
    ],
    tracking: [{ company: "UPS", number: "1Z999AA10123456784", url: "https://www.ups.com/track?tracknum=1Z999AA10123456784" }],
    links: { review_url: `${shop}/apps/trustloop/review/sample-token` },
  };
}
