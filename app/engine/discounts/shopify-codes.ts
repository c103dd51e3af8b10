// The two Admin API operations behind every code Trustloop creates (apology, reward, offer): look
// a code up, and create a basic code discount. Each caller names its own operation so the admin
// call log tells them apart; the shapes are shared. Also what every such code has in common: a
// code derived from what it is for, and single use by one customer until it expires.
import { createHash } from "node:crypto";
import type { DiscountCode } from "@prisma/client";
import { z } from "zod";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `prefix-` + `length` Crockford base32 characters of sha256(seed): the same seed gives the same code. */
export function derivedCode(prefix: string, seed: string, length: number): string {
  const digest = createHash("sha256").update(seed).digest();
  let bits = 0n;
  for (let i = 0; i < Math.ceil((length * 5) / 8); i++) bits = (bits << 8n) | BigInt(digest[i]);
  let out = "";
  for (let i = length - 1; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${prefix}-${out}`;
}

/** The DiscountCodeBasicInput fields every Trustloop code shares: single use, by its customer (or anyone), from now until it expires, combining with nothing. */
export function singleUseCodeInput(row: Pick<DiscountCode, "code" | "endsAt" | "customerShopifyId">, now: Date) {
  return {
    code: row.code,
    startsAt: now.toISOString(),
    endsAt: row.endsAt.toISOString(),
    usageLimit: 1,
    appliesOncePerCustomer: true,
    customerSelection: row.customerShopifyId ? { customers: { add: [row.customerShopifyId] } } : { all: true },
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
  };
}

export const lookupByCodeQuery = (operation: string) => `#graphql
  query ${operation}($code: String!) {
    codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic { title endsAt } } }
  }`;

export const lookupByCodeResponse = z.object({
  codeDiscountNodeByCode: z.object({ id: z.string(), codeDiscount: z.object({ title: z.string().optional() }).passthrough().nullish() }).nullable(),
});

export const createBasicCodeMutation = (operation: string) => `#graphql
  mutation ${operation}($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

export const createBasicCodeResponse = z.object({
  discountCodeBasicCreate: z
    .object({
      codeDiscountNode: z.object({ id: z.string() }).nullish(),
      userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string(), code: z.string().nullish() })),
    })
    .nullable(),
});
