// Stage 5, render: the merchant's template inside the layout. A template that fails to render (or
// renders an empty subject) fails the message with the error's place, for the merchant to fix.
import type { Customer, Message } from "@prisma/client";
import type { RenderedEmail, RenderResult } from "../../email/render";
import type { ProductInfo } from "../../shopify/products";
import { templateFor } from "../../flows/templates";
import { renderInput } from "../compose";
import type { PreparedOk } from "./extension";
import { settle } from "./settle";
import type { DispatchDeps, Facts } from "./types";

export interface RenderJob {
  message: Message;
  facts: Facts;
  customer: Customer | null;
  timezone: string;
  /** The message's language: which of the flow's templates it is written with. */
  language: string;
  /** What its words and formats are for (the language, in the customer's region when it speaks it). */
  locale: string;
  products: Map<string, ProductInfo>;
  prepared: PreparedOk | null;
}

/** The rendered email, or null when the message failed. */
export async function render(deps: DispatchDeps, job: RenderJob): Promise<RenderedEmail | null> {
  const { message, facts, customer, timezone, language, locale, products, prepared } = job;
  const { shop, flow, templates } = facts;
  const template = { ...templateFor(flow, templates, language), category: flow.category };
  // The order is there: a message without one was cancelled by the eligibility stage.
  const result = await deps.render(renderInput(deps, message, shop, template, facts.order!, customer, { timezone, locale }, products, prepared));
  const rendered: RenderResult =
    result.ok && !result.email.subject ? { ok: false, error: { kind: "render", field: "subject", message: "the subject renders empty" } } : result;
  if (rendered.ok) return rendered.email;
  const e = rendered.error;
  await settle(deps, message, {
    to: "failed",
    reason: `template ${e.kind} error${e.field ? ` in ${e.field}` : ""}${e.line ? ` (line ${e.line})` : ""}: ${e.message}`,
  });
  return null;
}
