import type { Shop } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { orderRow } from "../../../tests/support/order-rows";
import { buildContext } from "./context";

const shop = { name: "Lumen", domain: "lumen.myshopify.com", primaryDomain: null } as Shop;
/** Intl's French spacing (narrow no-break spaces) as plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

function amounts(extra: Parameters<typeof orderRow>[0]["extra"], presentmentPriceCents: number | null) {
  const order = orderRow({ placedAt: new Date("2026-12-01T10:00:00Z"), lineItems: [{ priceCents: 133326, presentmentPriceCents }], extra });
  const context = buildContext({ shop, order, customer: null, timezone: "Europe/Paris", locale: "fr" });
  return { total: plain(context.order.total), price: plain(context.line_items[0].price) };
}

describe("amounts in the email context", () => {
  it("are the buyer's: the order's presentment currency when it has one", () => {
    const extra = { currency: "USD", totalCents: 133326, presentmentCurrency: "EUR", presentmentTotalCents: 123450 };
    expect(amounts(extra, 123450)).toEqual({ total: "1 234,50 €", price: "1 234,50 €" });
  });

  it("are the shop's when the order has no presentment amounts", () => {
    expect(amounts({ currency: "USD", totalCents: 133326 }, null)).toEqual({ total: "1 333,26 $US", price: "1 333,26 $US" });
  });

  it("are all the shop's when one of them has no buyer's side (mirrored before it was kept): one currency per email", () => {
    const extra = { currency: "USD", totalCents: 133326, presentmentCurrency: "EUR", presentmentTotalCents: 123450 };
    expect(amounts(extra, null)).toEqual({ total: "1 333,26 $US", price: "1 333,26 $US" });
  });
});
