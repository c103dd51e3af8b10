import { isInteger, isSafeNumber, parse } from "lossless-json";

/**
 * JSON.parse that keeps integers too large for a double (Shopify ids above 2^53) as strings.
 * Shopify's REST payloads carry ids as bare numbers; JSON.parse silently rounds them.
 * Other numbers become plain numbers, and a repeated key keeps its last value, as with JSON.parse.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, {
    parseNumber: (digits) => (isInteger(digits) && !isSafeNumber(digits) ? digits : Number(digits)),
    onDuplicateKey: ({ newValue }) => newValue,
  });
}
