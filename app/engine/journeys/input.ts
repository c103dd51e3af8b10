// What a merchant submits for a journey, validated with field errors ("steps.1.subject"), and the
// Journey and step-Flow columns it becomes. Waits are counted from the trigger, not from the step before.
import type { JourneyTrigger } from "@prisma/client";
import { z } from "zod";
import { intField } from "../admin/flow-form";
import { flowConditions, type FlowConditions } from "../flows/conditions";

export const JOURNEY_TRIGGERS = ["order_placed", "delivered", "first_order", "nth_order"] as const satisfies readonly JourneyTrigger[];
export const WAIT_UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
export const MAX_WAIT_MINUTES = 180 * 1440;
export const MAX_STEPS = 10;
/** Delivered journeys without a carrier scan start this many days after the last shipment, like the check-in preset. */
export const DELIVERY_FALLBACK_DAYS = 10;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const PRODUCT_GID = /^gid:\/\/shopify\/Product\/\d+$/;
const flag = z.union([z.boolean(), z.enum(["true", "false", "on", ""])]).transform((v) => v === true || v === "true" || v === "on");
/** An optional count: an empty field is no condition, anything else must be a whole number (its message on the field). */
const ordersCount = (label: string) => z.preprocess((v) => (v === "" || v == null ? undefined : v), intField(label, 1, 100_000).optional());
const list = z
  .union([z.string(), z.array(z.string())])
  .default([])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean));
export const journeyStepInput = z
  .object({
    waitValue: intField("Wait", 0, 259_200),
    waitUnit: z.enum(["minutes", "hours", "days"]),
    sendAtLocalTime: z
      .string()
      .trim()
      .default("")
      .refine((v) => v === "" || HHMM.test(v), "Use HH:MM, e.g. 10:00"),
    subject: z.string().trim().min(1, "A subject is required").max(500),
    body: z.string().min(1, "A body is required").max(50_000),
  })
  .refine((s) => s.waitValue * WAIT_UNITS[s.waitUnit] <= MAX_WAIT_MINUTES, { path: ["waitValue"], message: "At most 180 days after the trigger" });

export const journeyInput = z
  .object({
    name: z.string().trim().min(1, "A name is required").max(200),
    trigger: z.enum(JOURNEY_TRIGGERS),
    orderNumber: z.union([z.literal(""), intField("Order number", 2, 1000)]).optional(),
    category: z.enum(["service", "survey", "marketing"]),
    holdoutPercent: intField("Holdout", 0, 50).default(0),
    stopOnReorder: flag,
    productIds: list.refine((ids) => ids.every((id) => PRODUCT_GID.test(id)), "Pick products from the list"),
    productTags: list,
    collections: list,
    vendors: list,
    customerTags: list,
    countries: list
      .transform((cs) => cs.map((c) => c.toUpperCase()))
      .refine((cs) => cs.every((c) => /^[A-Z]{2}$/.test(c)), "Two-letter ISO codes separated by commas, e.g. US, CA"),
    minTotalCents: z.union([z.literal(""), intField("Minimum total", 0, 100_000_000)]).optional(),
    minOrders: ordersCount("Minimum orders"),
    maxOrders: ordersCount("Maximum orders"),
    subscribed: flag.default(false),
    steps: z.array(journeyStepInput).min(1, "Add at least one step").max(MAX_STEPS, `At most ${MAX_STEPS} steps`),
  })
  .superRefine((j, ctx) => {
    if (j.trigger === "nth_order" && (j.orderNumber === undefined || j.orderNumber === "")) {
      ctx.addIssue({ code: "custom", path: ["orderNumber"], message: "Which order? 2 for the second" });
    }
    if (j.minOrders !== undefined && j.maxOrders !== undefined && j.maxOrders < j.minOrders) {
      ctx.addIssue({ code: "custom", path: ["maxOrders"], message: "Maximum orders cannot be below the minimum" });
    }
  });

export type JourneyInput = z.infer<typeof journeyInput>;
export type FieldErrors = Record<string, string>;

/** The first error of each field, keyed by its path ("name", "steps.1.subject"). */
export function journeyFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.join(".") || "form"] ??= issue.message;
  return out;
}

/** The preset trigger the planner knows (flows/anchors.ts) for a journey trigger. */
export function stepTrigger(trigger: JourneyTrigger): "order_created" | "delivered" {
  return trigger === "delivered" ? "delivered" : "order_created";
}

/** The conditions every step carries: the journey's, plus what its trigger implies (first order, Nth order). */
export function journeyConditions(j: JourneyInput): FlowConditions {
  return flowConditions.parse({
    customer: j.trigger === "first_order" ? "first" : "any",
    orderNumber: j.trigger === "nth_order" ? Number(j.orderNumber) : null,
    productIds: j.productIds,
    productTags: j.productTags,
    collections: j.collections,
    vendors: j.vendors,
    customerTags: j.customerTags,
    countries: j.countries,
    minTotalCents: j.minTotalCents === "" || j.minTotalCents === undefined ? null : j.minTotalCents,
    minOrders: j.minOrders ?? null,
    maxOrders: j.maxOrders ?? null,
    subscribed: j.subscribed,
  });
}

export const stepKey = (journeyId: string, step: number) => `journey:${journeyId}:${step}`;
export const stepName = (journeyName: string, step: number) => `${journeyName} · step ${step}`;

/** The step flows' columns shared by every step of the journey. */
export function sharedStepColumns(j: JourneyInput) {
  return {
    trigger: stepTrigger(j.trigger),
    fallbackDays: j.trigger === "delivered" ? DELIVERY_FALLBACK_DAYS : null,
    category: j.category,
    holdoutPercent: j.holdoutPercent,
    conditions: journeyConditions(j),
  };
}

/** One step's own columns. */
export function stepColumns(s: JourneyInput["steps"][number]) {
  return { delayMinutes: s.waitValue * WAIT_UNITS[s.waitUnit], sendAtLocalTime: s.sendAtLocalTime || null, subject: s.subject, body: s.body };
}

/** The form's values of a stored step's wait: whole days or hours when it is one. */
export function waitOf(delayMinutes: number): { waitValue: number; waitUnit: keyof typeof WAIT_UNITS } {
  if (delayMinutes > 0 && delayMinutes % 1440 === 0) return { waitValue: delayMinutes / 1440, waitUnit: "days" };
  if (delayMinutes > 0 && delayMinutes % 60 === 0) return { waitValue: delayMinutes / 60, waitUnit: "hours" };
  return { waitValue: delayMinutes, waitUnit: "minutes" };
}
