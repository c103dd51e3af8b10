// What Shopify Flow sends to an action's runtime URL, checked before anything is read or written:
// the envelope (shop, run id, handle) and the properties the action declares in definitions.ts.
// Every refusal is one sentence the merchant reads in the workflow run, naming the property.
import { z } from "zod";
import { FLOW_ACTIONS, type FlowActionKey } from "./definitions";

export const MAX_POINTS = 100_000;
export const MAX_PAUSE_DAYS = 365;
export const MAX_REASON_LENGTH = 200;

export interface FlowActionEnvelope {
  shopId: string;
  shopDomain: string;
  actionRunId: string;
  handle: string;
  properties: Record<string, unknown>;
}

export type FlowActionProperties =
  | { action: "awardPoints"; customerGid: string; points: number; reason: string | null }
  | { action: "sendDelayApology"; orderGid: string }
  | { action: "pauseEmails"; customerGid: string; days: number };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const field = (name: string, kind: string) => ({ required_error: `${name} is missing`, invalid_type_error: `${name} must be ${kind}` });

const envelopeSchema = z.object({
  shop_id: z.union([z.number().int(), z.string().min(1)], { errorMap: () => ({ message: "shop_id must be the shop's numeric id" }) }).transform(String),
  shopify_domain: z.string(field("shopify_domain", "text")).min(1, "shopify_domain is missing"),
  action_run_id: z.string(field("action_run_id", "text")).trim().min(1, "action_run_id is empty").max(255, "action_run_id is longer than 255 characters"),
  handle: z.string(field("handle", "text")).min(1, "handle is missing"),
  properties: z.record(z.string(), z.unknown(), field("properties", "an object")),
});

/** The first issue's message: ours name the field; zod's generic ones ("Required") get the field's name. */
function firstMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "the request is not a Flow action run";
  return /^[a-z_]+ /.test(issue.message) ? issue.message : `${issue.path.join(".") || "the request"} is not valid`;
}

/** The request's envelope; `routeHandle` is the action whose URL was called (the body must name the same one). */
export function parseEnvelope(payload: unknown, routeHandle: string): Parsed<FlowActionEnvelope> {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return { ok: false, message: "the request body must be a JSON object" };
  const parsed = envelopeSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, message: firstMessage(parsed.error) };
  const { shop_id, shopify_domain, action_run_id, handle, properties } = parsed.data;
  if (handle !== routeHandle) return { ok: false, message: `this run is for the action "${handle}", sent to the URL of "${routeHandle}"` };
  return { ok: true, value: { shopId: shop_id, shopDomain: shopify_domain, actionRunId: action_run_id, handle, properties } };
}

/** A Shopify id as Flow sends a reference (a number, its digits, or the gid) → the gid; null when it is none of these. */
export function shopifyGid(kind: "Customer" | "Order", value: unknown): string | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? `gid://shopify/${kind}/${value}` : null;
  if (typeof value !== "string") return null;
  const text = value.trim();
  const digits = /^\d+$/.test(text) ? text : new RegExp(`^gid://shopify/${kind}/(\\d+)$`).exec(text)?.[1];
  return digits && !/^0+$/.test(digits) ? `gid://shopify/${kind}/${digits}` : null;
}

/** The numeric id of a gid, as the merchant knows it ("customer 123"). */
export const numericId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/** A whole number from `min` to `max` (Flow sends numbers; digits as text are taken too), else null. */
export function wholeNumber(value: unknown, min: number, max: number): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");

const idMessage = (property: string, kind: string) => `${property} must be a Shopify ${kind.toLowerCase()} id (a number or gid://shopify/${kind}/…)`;
export const POINTS_MESSAGE = `points must be a whole number from 1 to ${grouped(MAX_POINTS)}`;
export const DAYS_MESSAGE = `days must be a whole number from 1 to ${MAX_PAUSE_DAYS}`;
export const REASON_MESSAGE = `reason must be text of at most ${MAX_REASON_LENGTH} characters`;

type Reader<T> = (properties: Record<string, unknown>) => Parsed<T>;

function reference(kind: "Customer" | "Order", properties: Record<string, unknown>): Parsed<string> {
  const property = kind === "Customer" ? "customer_id" : "order_id";
  if (properties[property] === undefined || properties[property] === null || properties[property] === "")
    return { ok: false, message: `${property} is missing` };
  const gid = shopifyGid(kind, properties[property]);
  return gid ? { ok: true, value: gid } : { ok: false, message: idMessage(property, kind) };
}

function optionalReason(value: unknown): Parsed<string | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== "string" || value.trim().length > MAX_REASON_LENGTH) return { ok: false, message: REASON_MESSAGE };
  return { ok: true, value: value.trim() || null };
}

const READERS: { [K in FlowActionKey]: Reader<Extract<FlowActionProperties, { action: K }>> } = {
  awardPoints: (p) => {
    const customer = reference("Customer", p);
    if (!customer.ok) return customer;
    const points = wholeNumber(p.points, 1, MAX_POINTS);
    if (points === null) return { ok: false, message: POINTS_MESSAGE };
    const reason = optionalReason(p.reason);
    if (!reason.ok) return reason;
    return { ok: true, value: { action: "awardPoints", customerGid: customer.value, points, reason: reason.value } };
  },
  sendDelayApology: (p) => {
    const order = reference("Order", p);
    return order.ok ? { ok: true, value: { action: "sendDelayApology", orderGid: order.value } } : order;
  },
  pauseEmails: (p) => {
    const customer = reference("Customer", p);
    if (!customer.ok) return customer;
    const days = wholeNumber(p.days, 1, MAX_PAUSE_DAYS);
    if (days === null) return { ok: false, message: DAYS_MESSAGE };
    return { ok: true, value: { action: "pauseEmails", customerGid: customer.value, days } };
  },
};

/** The action whose handle this is (definitions.ts), or null. */
export function actionKeyOf(handle: string): FlowActionKey | null {
  return (Object.keys(FLOW_ACTIONS) as FlowActionKey[]).find((key) => FLOW_ACTIONS[key].handle === handle) ?? null;
}

/** The properties of one run of `action`, checked and normalised (ids as gids); unknown extra keys are ignored. */
export function parseProperties(action: FlowActionKey, properties: Record<string, unknown>): Parsed<FlowActionProperties> {
  return READERS[action](properties);
}
