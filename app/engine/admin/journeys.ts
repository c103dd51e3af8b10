// The Journeys pages: the list with each journey's figures, and the builder's form (flat fields,
// "steps.N.subject" for each step) read into the engine's input and back. Scoped to one shop id.
import type { Flow, Journey, PrismaClient } from "@prisma/client";
import { parseConditions } from "../flows/conditions";
import { waitOf } from "../journeys/input";
import type { ProductTagLookup } from "../journeys/preview";
import { fetchProducts, type ShopGraphql } from "../shopify/products";
import { formatMinorUnits, toMinorUnits } from "../util/money";
import { emptyStats, flowStats } from "./flow-stats";
import type { TestEmailResult } from "./preview";

export const TRIGGER_LABELS = {
  order_placed: "Order placed",
  delivered: "Delivered (last shipment of the kept items)",
  first_order: "First order",
  nth_order: "Nth order",
  anniversary: "Anniversary of the first order (every year)",
  tier_reached: "Loyalty tier reached",
  win_back: "No order for a number of days (win-back)",
} as const;

export function describeTrigger(j: Pick<Journey, "trigger" | "orderNumber" | "quietDays" | "tierName">): string {
  if (j.trigger === "nth_order") return `Order number ${j.orderNumber ?? "?"}`;
  if (j.trigger === "win_back") return `No order for ${j.quietDays ?? "?"} days`;
  if (j.trigger === "tier_reached") return j.tierName ? `Loyalty tier ${j.tierName} reached` : "Any loyalty tier reached";
  return TRIGGER_LABELS[j.trigger];
}

export async function listJourneys(db: PrismaClient, shopId: string, now: Date) {
  const [journeys, stats] = await Promise.all([
    db.journey.findMany({
      where: { shopId },
      orderBy: { createdAt: "asc" },
      include: { steps: { where: { journeyStep: { not: null } }, select: { id: true } } },
    }),
    flowStats(db, shopId, now),
  ]);
  return journeys.map((j) => {
    const figures = j.steps.map((s) => stats.get(s.id) ?? emptyStats());
    return {
      id: j.id,
      name: j.name,
      trigger: describeTrigger(j),
      steps: j.steps.length,
      status: j.status,
      category: j.category,
      sent: figures.reduce((n, f) => n + f.sent, 0),
      clicks: figures.reduce((n, f) => n + f.clicks, 0),
    };
  });
}

export function findJourney(db: PrismaClient, shopId: string, id: string) {
  return db.journey.findFirst({ where: { id, shopId }, include: { steps: { where: { journeyStep: { not: null } }, orderBy: { journeyStep: "asc" } } } });
}

/**
 * Who would enter the journey now (`preview`, journeys/preview.ts, passed in: this module is also the
 * builder's in the browser), with the products' tags and collections when the Admin API answers; when it fails,
 * counted as if they matched, which the figures say (`productTagsUnchecked`).
 */
export async function entryFigures<T>(preview: (tags?: ProductTagLookup) => Promise<T>, graphql: ShopGraphql, shopDomain: string): Promise<T> {
  const lookup: ProductTagLookup = (ids) => fetchProducts(graphql, shopDomain, ids);
  try {
    return await preview(lookup);
  } catch {
    return preview();
  }
}

/** The shop's products as its mirrored orders know them (distinct product, one title), for the product condition. */
export async function knownProducts(db: PrismaClient, shopId: string): Promise<{ id: string; title: string }[]> {
  const rows = await db.lineItem.findMany({
    where: { order: { shopId }, productId: { not: null } },
    distinct: ["productId"],
    select: { productId: true, title: true },
    orderBy: { productId: "asc" },
    take: 500,
  });
  return rows.map((r) => ({ id: r.productId!, title: r.title })).sort((a, b) => a.title.localeCompare(b.title));
}

export interface StepValues {
  /** The step's flow id ("" for a step not saved yet): steps are matched by it, whatever their position. */
  id: string;
  waitValue: string;
  waitUnit: string;
  sendAtLocalTime: string;
  subject: string;
  body: string;
}
export interface JourneyValues {
  name: string;
  trigger: string;
  orderNumber: string;
  quietDays: string;
  tierName: string;
  category: string;
  holdoutPercent: string;
  stopOnReorder: boolean;
  productIds: string[];
  productTags: string;
  collections: string;
  vendors: string;
  customerTags: string;
  countries: string;
  minTotal: string;
  minOrders: string;
  maxOrders: string;
  subscribed: boolean;
  steps: StepValues[];
}

export const BLANK_STEP: StepValues = { id: "", waitValue: "1", waitUnit: "days", sendAtLocalTime: "10:00", subject: "", body: "" };
export const BLANK_JOURNEY: JourneyValues = {
  name: "",
  trigger: "delivered",
  orderNumber: "",
  quietDays: "",
  tierName: "",
  category: "service",
  holdoutPercent: "0",
  stopOnReorder: true,
  productIds: [],
  productTags: "",
  collections: "",
  vendors: "",
  customerTags: "",
  countries: "",
  minTotal: "",
  minOrders: "",
  maxOrders: "",
  subscribed: false,
  steps: [BLANK_STEP],
};

/** The builder's values of a stored journey. */
export function journeyValues(j: Journey & { steps: Flow[] }, currency: string): JourneyValues {
  const c = parseConditions(j.conditions);
  return {
    name: j.name,
    trigger: j.trigger,
    orderNumber: j.orderNumber != null ? String(j.orderNumber) : "",
    quietDays: j.quietDays != null ? String(j.quietDays) : "",
    tierName: j.tierName ?? "",
    category: j.category,
    holdoutPercent: String(j.holdoutPercent),
    stopOnReorder: j.stopOnReorder,
    productIds: c.productIds,
    productTags: c.productTags.join(", "),
    collections: c.collections.join(", "),
    vendors: c.vendors.join(", "),
    customerTags: c.customerTags.join(", "),
    countries: c.countries.join(", "),
    minTotal: c.minTotalCents != null ? formatMinorUnits(c.minTotalCents, currency) : "",
    minOrders: c.minOrders != null ? String(c.minOrders) : "",
    maxOrders: c.maxOrders != null ? String(c.maxOrders) : "",
    subscribed: c.subscribed,
    steps: j.steps.map((s) => {
      const wait = waitOf(s.delayMinutes, j);
      return {
        id: s.id,
        waitValue: String(wait.waitValue),
        waitUnit: wait.waitUnit,
        sendAtLocalTime: s.sendAtLocalTime ?? "",
        subject: s.subject,
        body: s.body,
      };
    }),
  };
}

/** The engine's input from the posted form (fields "steps.N.x"); a malformed amount is left for the schema to refuse. */
export function journeyInputFromForm(form: Record<string, unknown>, currency: string) {
  const steps: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(form)) {
    const m = /^steps\.(\d{1,2})\.(\w+)$/.exec(key);
    if (m) (steps[Number(m[1])] ??= {})[m[2]] = value;
  }
  const minTotal = typeof form.minTotal === "string" ? form.minTotal.trim() : "";
  return {
    ...form,
    stopOnReorder: form.stopOnReorder ?? "false",
    subscribed: form.subscribed ?? "false",
    minTotalCents: minTotal === "" ? "" : /^\d+(\.\d+)?$/.test(minTotal) ? toMinorUnits(minTotal, currency) : "not an amount",
    steps: steps.filter(Boolean),
  };
}

/** Engine error keys as the builder's field names. */
export function formErrors(errors: Record<string, string>): Record<string, string> {
  const { minTotalCents, ...rest } = errors;
  return minTotalCents ? { ...rest, minTotal: minTotalCents } : rest;
}

/** What the builder's actions answer. */
export type JourneyActionResult = {
  intent: string;
  errors: Record<string, string>;
  saved?: boolean;
  step?: string;
  /** Past entries are being planned by a job (journeys/history.ts). */
  historyQueued?: boolean;
  preview?: { subject: string; html: string; source: string };
  test?: TestEmailResult;
};
