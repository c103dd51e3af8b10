// Multi-currency orders. An order placed in another currency than the shop's holds the buyer's
// amounts (its presentment currency, as given at checkout); Shopify reports each amount in the
// shop's currency too (`currency`, the plain amount fields, `shop_money`), converted at the day's
// rate — in the sandbox, one fixed demo rate per currency.
import { type Order, centsToAmount } from "./state";

/** What one unit is worth in US dollars (the demo shop sells in USD): 1 EUR = 1.08 USD. */
const USD_PER_UNIT: Record<string, number> = { USD: 1, EUR: 1.08, JPY: 0.0067 };

/** The currencies an order can be placed in. */
export const SANDBOX_CURRENCIES = Object.keys(USD_PER_UNIT);

export type OrderCurrencies = Pick<Order, "currency" | "presentmentCurrency">;

export const presentmentOf = (order: OrderCurrencies) => order.presentmentCurrency ?? order.currency;

/** `cents` of one currency in another, rounded to the cent. */
export function convertCents(cents: number, from: string, to: string): number {
  return from === to ? cents : Math.round((cents * USD_PER_UNIT[from]) / USD_PER_UNIT[to]);
}

/** One of the order's amounts (the buyer's) in the shop's currency. */
export const shopCents = (order: OrderCurrencies, cents: number) => convertCents(cents, presentmentOf(order), order.currency);

/** The shop's side of one of the order's amounts, as a plain amount field ("12.34"). */
export const shopAmount = (order: OrderCurrencies, cents: number) => centsToAmount(shopCents(order, cents));

/** Both sides of one of the order's amounts; `codeKey` names the currency field (REST `currency_code`, GraphQL `currencyCode`). */
export function bothSides<K extends string>(order: OrderCurrencies, cents: number, codeKey: K) {
  const side = (amount: number, code: string) => ({ amount: centsToAmount(amount), [codeKey]: code }) as { amount: string } & Record<K, string>;
  return { shop: side(shopCents(order, cents), order.currency), presentment: side(cents, presentmentOf(order)) };
}
