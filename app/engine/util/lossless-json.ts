/**
 * JSON.parse that keeps integers too large for a double (Shopify ids above 2^53) as strings.
 * Shopify's REST payloads carry ids as bare numbers; JSON.parse silently rounds them.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteLargeIntegers(text));
}

const SAFE_DIGITS = 15; // every integer with at most 15 digits is exact in a double

export function quoteLargeIntegers(text: string): string {
  let out = "";
  let i = 0;
  let copyFrom = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = skipString(text, i);
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      const start = i;
      if (text[i] === "-") i++;
      while (i < text.length && text[i] >= "0" && text[i] <= "9") i++;
      const isInteger = !/[.eE]/.test(text[i] ?? "");
      const digits = i - start - (text[start] === "-" ? 1 : 0);
      if (isInteger && digits > SAFE_DIGITS && !Number.isSafeInteger(Number(text.slice(start, i)))) {
        out += text.slice(copyFrom, start) + `"${text.slice(start, i)}"`;
        copyFrom = i;
      }
      while (i < text.length && /[0-9.eE+-]/.test(text[i])) i++;
      continue;
    }
    i++;
  }
  return out + text.slice(copyFrom);
}

function skipString(text: string, openQuote: number): number {
  let i = openQuote + 1;
  while (i < text.length) {
    if (text[i] === "\\") i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return i;
}
