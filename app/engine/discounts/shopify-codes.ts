// The two Admin API operations behind every code Trustloop creates (apology, reward, offer): look
// a code up, and create a basic code discount. Each caller names its own operation so the admin
// call log tells them apart; the shapes are shared.
import { z } from "zod";

export const lookupByCodeQuery = (operation: string) => `#graphql
  query ${operation}($code: String!) {
    codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic { title endsAt } } }
  }`;

export const lookupByCodeResponse = z.object({
  codeDiscountNodeByCode: z
    .object({ id: z.string(), codeDiscount: z.object({ title: z.string().optional() }).passthrough().nullish() })
    .nullable(),
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
