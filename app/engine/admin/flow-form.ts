// The flow editor's form: one schema for what the browser posts, turned into the Flow columns.
// Conditions are validated again with the engine's own schema before they are stored.
import { z } from "zod";
import type { Flow } from "@prisma/client";
import { flowConditions, parseConditions } from "../flows/conditions";
import { formatMinorUnits, toMinorUnits } from "../util/money";

export const DELAY_UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
export type DelayUnit = keyof typeof DELAY_UNITS;
export const DELIVERY_TRIGGERS = new Set(["delivered"]);

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A recipient-local time of day, "HH:MM", or "" for none: one rule for flows and journey steps. */
export const localTimeField = z
  .string()
  .trim()
  .refine((v) => v === "" || HHMM.test(v), "Use HH:MM, e.g. 10:00");
const list = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
export const intField = (label: string, min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);
const moneyField = z
  .string()
  .trim()
  .refine((v) => v === "" || /^\d+(\.\d+)?$/.test(v), "Enter an amount like 25 or 25.50");

export const flowFormSchema = z
  .object({
    delayValue: intField("Delay", 0, 100_000),
    delayUnit: z.enum(["minutes", "hours", "days"]),
    sendAtLocalTime: localTimeField,
    fallbackDays: z
      .string()
      .trim()
      .refine((v) => v === "" || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 90), "Between 1 and 90 days")
      .default(""),
    customer: z.enum(["any", "first", "returning"]),
    minTotal: moneyField,
    maxTotal: moneyField,
    countries: z
      .string()
      .transform((v) => list(v).map((c) => c.toUpperCase()))
      .refine((cs) => cs.every((c) => /^[A-Z]{2}$/.test(c)), "Two-letter ISO codes separated by commas, e.g. US, CA"),
    productIds: z.string().transform(list),
    productTags: z.string().transform(list),
    customerTags: z.string().transform(list),
    holdoutPercent: intField("Holdout", 0, 50),
    subject: z.string().trim().min(1, "A subject is required").max(500),
    body: z.string().min(1, "A body is required"),
  })
  .superRefine((f, ctx) => {
    if (f.delayValue * DELAY_UNITS[f.delayUnit] > 365 * 1440) ctx.addIssue({ code: "custom", path: ["delayValue"], message: "At most 365 days" });
    if (f.minTotal && f.maxTotal && Number(f.minTotal) > Number(f.maxTotal)) {
      ctx.addIssue({ code: "custom", path: ["maxTotal"], message: "Must not be below the minimum" });
    }
  });

export type FlowForm = z.infer<typeof flowFormSchema>;
export type FieldErrors = Record<string, string>;

export function firstErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

/** The Flow columns a valid form sets (conditions re-validated with the engine's schema). */
export function flowUpdateFromForm(form: FlowForm, flow: Pick<Flow, "trigger">, currency: string) {
  const conditions = flowConditions.parse({
    customer: form.customer,
    minTotalCents: form.minTotal ? toMinorUnits(form.minTotal, currency) : null,
    maxTotalCents: form.maxTotal ? toMinorUnits(form.maxTotal, currency) : null,
    countries: form.countries,
    productIds: form.productIds,
    productTags: form.productTags,
    customerTags: form.customerTags,
  });
  return {
    delayMinutes: form.delayValue * DELAY_UNITS[form.delayUnit],
    sendAtLocalTime: form.sendAtLocalTime || null,
    ...(DELIVERY_TRIGGERS.has(flow.trigger) ? { fallbackDays: form.fallbackDays ? Number(form.fallbackDays) : null } : {}),
    holdoutPercent: form.holdoutPercent,
    conditions,
    subject: form.subject,
    body: form.body,
  };
}

/** The form's initial values from a stored flow. */
export function formValuesFromFlow(flow: Flow, currency: string): Record<keyof FlowForm, string> {
  const unit: DelayUnit =
    flow.delayMinutes > 0 && flow.delayMinutes % 1440 === 0 ? "days" : flow.delayMinutes > 0 && flow.delayMinutes % 60 === 0 ? "hours" : "minutes";
  const c = parseConditions(flow.conditions);
  return {
    delayValue: String(flow.delayMinutes / DELAY_UNITS[unit]),
    delayUnit: unit,
    sendAtLocalTime: flow.sendAtLocalTime ?? "",
    fallbackDays: flow.fallbackDays != null ? String(flow.fallbackDays) : "",
    customer: c.customer,
    minTotal: c.minTotalCents != null ? formatMinorUnits(c.minTotalCents, currency) : "",
    maxTotal: c.maxTotalCents != null ? formatMinorUnits(c.maxTotalCents, currency) : "",
    countries: c.countries.join(", "),
    productIds: c.productIds.join(", "),
    productTags: c.productTags.join(", "),
    customerTags: c.customerTags.join(", "),
    holdoutPercent: String(flow.holdoutPercent),
    subject: flow.subject,
    body: flow.body,
  };
}

/** "15 minutes after the order", "2 days after delivery at 10:00 recipient-local". */
export function describeTiming(flow: Pick<Flow, "trigger" | "delayMinutes" | "sendAtLocalTime" | "fallbackDays">): string {
  const anchor: Record<string, string> = {
    order_created: "the order",
    order_paid: "payment",
    fulfilled: "shipping",
    delivered: "delivery",
    delay_detected: "a delay is detected",
    points_approved: "points are approved",
    win_back: "the last order",
    anniversary: "the first-order anniversary begins",
    tier_reached: "the tier is reached",
  };
  const what = anchor[flow.trigger] ?? flow.trigger.replace(/_/g, " ");
  const m = flow.delayMinutes;
  const amount = m === 0 ? null : m % 1440 === 0 ? plural(m / 1440, "day") : m % 60 === 0 ? plural(m / 60, "hour") : plural(m, "minute");
  const immediately: Record<string, string> = {
    order_created: "right after the order",
    delivered: "on delivery",
    fulfilled: "when it ships",
    order_paid: "on payment",
  };
  let text = amount ? `${amount} after ${what}` : (immediately[flow.trigger] ?? `as soon as ${what}`);
  if (flow.sendAtLocalTime) text += `, at ${flow.sendAtLocalTime} recipient-local`;
  if (flow.fallbackDays != null && DELIVERY_TRIGGERS.has(flow.trigger))
    text += ` (no delivery scan: ${plural(flow.fallbackDays, "day")} after the last shipment)`;
  return text;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
