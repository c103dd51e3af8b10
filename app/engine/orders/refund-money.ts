// A refund's amount in the shop's currency. Shopify refunds a multi-currency order in the buyer's
// (presentment) currency: the refund transactions of a `refunds/create` payload are in that
// currency, while every amount Trustloop stores for the order is the shop's. A transaction in the
// presentment currency is converted at the order's own rate (its shop total over its buyer total,
// the rate Shopify charged it at); one in an unknown currency falls back to the line items' shop side.
import { toMinorUnits } from "../util/money";

/** The order's currencies and totals, both sides: what a refund's amounts convert by. */
export interface RefundMoney {
  currency: string | null;
  presentmentCurrency: string | null;
  totalCents: number | null;
  presentmentTotalCents: number | null;
}

type Amount = string | number | null | undefined;

/** One amount of `currency` in the shop's minor units; null when no rate is known for it. */
export function shopCentsOf(amount: Amount, currency: string | null | undefined, money: RefundMoney): number | null {
  if (!currency || !money.currency || currency === money.currency) return toMinorUnits(amount, money.currency);
  const buyerCents = toMinorUnits(amount, currency);
  if (currency !== money.presentmentCurrency || buyerCents === null) return null;
  if (money.totalCents === null || !money.presentmentTotalCents) return null;
  return Math.round((buyerCents * money.totalCents) / money.presentmentTotalCents);
}

interface RefundAmounts {
  transactions: { amount?: Amount; currency?: string | null }[];
  lineItems: { subtotal?: Amount; shopSubtotal?: Amount }[];
}

/**
 * The refunded amount in the shop's minor units: the successful refund transactions' sum when each
 * converts, else the line items' subtotals (their shop side when the payload gives it).
 */
export function refundedShopCents({ transactions, lineItems }: RefundAmounts, money: RefundMoney): number {
  const converted = transactions.map((t) => shopCentsOf(t.amount, t.currency, money));
  if (converted.length && converted.every((c) => c !== null)) return converted.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  return lineItems.reduce((sum, li) => sum + (toMinorUnits(li.shopSubtotal ?? li.subtotal, money.currency) ?? 0), 0);
}
