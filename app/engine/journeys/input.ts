// What a merchant submits for a journey, validated with field errors ("steps.1.subject"), and the
// Journey and step-Flow columns it becomes. Waits are counted from the trigger, not from the step before.
import type { JourneyTrigger } from "@prisma/client";
import { z } from "zod";
import { intField, localTimeField } from "../admin/flow-form";
import { flowConditions, type FlowConditions } from "../flows/conditions";

export const JOURNEY_TRIGGERS = [
  "order_placed",
  "delivered",
  "first_order",
  "nth_order",
  "anniversary",
  "tier_reached",
  "win_back",
] as const satisfies readonly JourneyTrigger[];
export const WAIT_UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
export const MAX_WAIT_MINUTES = 180 * 1440;
export const MAX_STEPS = 10;
/** Delivered journeys without a carrier scan start this many days after the last shipment, like the check-in preset. */
export const DELIVERY_FALLBACK_DAYS = 10;

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
    id: z.string().trim().max(100).default(""), // the stored step's flow id; "" for a new step
    waitValue: intField("Wait", 0, 259_200),
    waitUnit: z.enum(["minutes", "hours", "days"]),
    sendAtLocalTime: localTimeField.default(""),
    subject: z.string().trim().min(1, "A subject is required").max(500),
    body: z.string().min(1, "A body is required").max(50_000),
  })
  .refine((s) => s.waitValue * WAIT_UNITS[s.waitUnit] <= MAX_WAIT_MINUTES, { path: ["waitValue"], message: "At most 180 days after the trigger" });

export const journeyInput = z
  .object({
    name: z.string().trim().min(1, "A name is required").max(200),
    trigger: z.enum(JOURNEY_TRIGGERS),
    orderNumber: z.union([z.literal(""), intField("Order number", 2, 1000)]).optional(),
    quietDays: z.union([z.literal(""), intField("Days without an order", 7, 730)]).optional(),
    tierName: z.string().trim().max(100).default(""),
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
    if (j.trigger === "win_back" && (j.quietDays === undefined || j.quietDays === "")) {
      ctx.addIssue({ code: "custom", path: ["quietDays"], message: "After how many days without an order? e.g. 90" });
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

/**
 * The step flows' trigger: a preset trigger the planner knows (flows/anchors.ts) for order events,
 * `win_back` (anchored `quietDays` after each order), or the occasion the journey sweep and the
 * loyalty ledger plan (`anniversary`, `tier_reached`).
 */
export function stepTrigger(trigger: JourneyTrigger): string {
  if (trigger === "delivered" || trigger === "anniversary" || trigger === "tier_reached" || trigger === "win_back") return trigger;
  return "order_created";
}

/** The journey's own columns of its trigger. */
export function triggerColumns(j: JourneyInput) {
  return {
    trigger: j.trigger,
    orderNumber: j.trigger === "nth_order" ? Number(j.orderNumber) : null,
    quietDays: j.trigger === "win_back" ? Number(j.quietDays) : null,
    tierName: j.trigger === "tier_reached" && j.tierName ? j.tierName : null,
    // A win-back is over once the customer orders: its later steps must never follow a new order.
    stopOnReorder: j.trigger === "win_back" ? true : j.stopOnReorder,
  };
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

/** Minutes from the order to the win-back's start: its steps wait this long before their own wait. */
export function quietMinutes(j: { trigger: string; quietDays?: number | string | null }): number {
  return j.trigger === "win_back" ? Number(j.quietDays) * 1440 : 0;
}

/** One step's own columns (not its id). A win-back step is anchored on the last order: its delay includes the quiet days. */
export function stepColumns(s: JourneyInput["steps"][number], j: JourneyInput) {
  const delayMinutes = quietMinutes(j) + s.waitValue * WAIT_UNITS[s.waitUnit];
  return { delayMinutes, sendAtLocalTime: s.sendAtLocalTime || null, subject: s.subject, body: s.body };
}

/** The form's values of a stored step's wait (after the quiet days of a win-back): whole days or hours when it is one. */
export function waitOf(
  storedDelayMinutes: number,
  journey: { trigger: string; quietDays: number | null },
): { waitValue: number; waitUnit: keyof typeof WAIT_UNITS } {
  const delayMinutes = storedDelayMinutes - quietMinutes(journey);
  if (delayMinutes > 0 && delayMinutes % 1440 === 0) return { waitValue: delayMinutes / 1440, waitUnit: "days" };
  if (delayMinutes > 0 && delayMinutes % 60 === 0) return { waitValue: delayMinutes / 60, waitUnit: "hours" };
  return { waitValue: delayMinutes, waitUnit: "minutes" };
}
