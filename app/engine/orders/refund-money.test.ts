import { describe, expect, it } from "vitest";
import { refundedShopCents, shopCentsOf, type RefundMoney } from "./refund-money";

// 1 234,50 € at checkout, 1 333,26 $ to the shop.
const EUR_ORDER: RefundMoney = { currency: "USD", presentmentCurrency: "EUR", totalCents: 133326, presentmentTotalCents: 123450 };
const USD_ORDER: RefundMoney = { currency: "USD", presentmentCurrency: "USD", totalCents: 5000, presentmentTotalCents: 5000 };

describe("shopCentsOf", () => {
  it("reads an amount in the shop's currency (or with none named) as it is", () => {
    expect(shopCentsOf("12.34", "USD", EUR_ORDER)).toBe(1234);
    expect(shopCentsOf("12.34", null, EUR_ORDER)).toBe(1234);
  });

  it("converts the buyer's currency at the order's own rate", () => {
    expect(shopCentsOf("100.00", "EUR", EUR_ORDER)).toBe(10800);
    expect(shopCentsOf("1234.50", "EUR", EUR_ORDER)).toBe(133326);
    expect(shopCentsOf("0.01", "EUR", EUR_ORDER)).toBe(1);
  });

  it("knows no rate for another currency, or without the buyer's total", () => {
    expect(shopCentsOf("10.00", "GBP", EUR_ORDER)).toBeNull();
    expect(shopCentsOf("10.00", "EUR", { ...EUR_ORDER, presentmentTotalCents: null })).toBeNull();
    expect(shopCentsOf("10.00", "EUR", { ...EUR_ORDER, presentmentTotalCents: 0 })).toBeNull();
  });

  it("counts a zero-decimal buyer currency in whole units", () => {
    const jpy: RefundMoney = { currency: "USD", presentmentCurrency: "JPY", totalCents: 1005, presentmentTotalCents: 1500 };
    expect(shopCentsOf("1500", "JPY", jpy)).toBe(1005);
  });
});

describe("refundedShopCents", () => {
  it("sums the transactions in the shop's currency", () => {
    const transactions = [
      { amount: "100.00", currency: "EUR" },
      { amount: "50.00", currency: "EUR" },
    ];
    expect(refundedShopCents({ transactions, lineItems: [] }, EUR_ORDER)).toBe(16200);
    expect(refundedShopCents({ transactions: [{ amount: "25.00", currency: "USD" }], lineItems: [] }, USD_ORDER)).toBe(2500);
  });

  it("falls back to the line items' shop side when a transaction cannot be converted", () => {
    const lineItems = [
      { subtotal: "90.00", shopSubtotal: "97.20" },
      { subtotal: "10.00", shopSubtotal: null },
    ];
    expect(refundedShopCents({ transactions: [{ amount: "100.00", currency: "GBP" }], lineItems }, EUR_ORDER)).toBe(10720);
    expect(refundedShopCents({ transactions: [], lineItems }, EUR_ORDER)).toBe(10720);
  });
});
