import { sampleContext } from "./sample";
import type { RenderInput } from "./types";

export const REASON = "You receive this email because you ordered from Trustloop Demo Outfitters.";

/** A thank-you email as the preset flow would send it. */
export function thankYouInput(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    subjectTemplate: "Thanks for your order {{ order.name }}, {{ customer.first_name }}!",
    bodyTemplate: [
      "Hi {{ customer.first_name }},",
      "",
      "Thanks for shopping at {{ shop.name }}.\nYour order {{ order.name }} from {{ order.date }} ({{ order.total }}) is being packed.",
      "",
      "We will write again when it ships.",
    ].join("\n"),
    context: sampleContext(),
    brand: {
      shopName: "Trustloop Demo Outfitters",
      brandColor: "#0f766e",
      logoUrl: null,
      address: "12 Harbour Street\nPortland, ME 04101",
      primaryDomain: "demo-outfitters.example.com",
    },
    reason: REASON,
    ...overrides,
  };
}
