// Admin › Delays: orders currently delayed (by cause and age), this month's notices and apology codes
// against the budget, and the delay settings form. Every query is scoped to one shop id.
import type { DelaySettings, DiscountCode, Message, PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import { APOLOGY_PURPOSE, delaySettingsFor, monthBounds, monthlyUsage } from "../discounts/apology";
import { discountValueLabel, formatMoney } from "../i18n/format";
import { formatMinorUnits, toMinorUnits } from "../util/money";
import { storedStrings } from "../util/stored-json";
import { firstErrors, type FieldErrors } from "./flow-form";
import { formatInZone, formatReason } from "./format";

const DAY_MS = 86_400_000;
export const DELAY_FLOW_KEY = "shipping_delay";

export const CAUSE_LABELS: Record<string, string> = {
  not_shipped: "Not shipped",
  late_in_transit: "Late in transit",
  carrier_exception: "Carrier exception",
  reported: "Reported through Shopify Flow",
};
export const causeLabel = (cause: string) => CAUSE_LABELS[cause] ?? cause.replace(/_/g, " ");

/** The ledger key of the notice of one incident (see the delay detector). */
export const noticeKey = (shopId: string, orderGid: string, cause: string) => `${shopId}:${orderGid}:${DELAY_FLOW_KEY}:${cause}`;

type ShopView = Pick<Shop, "id" | "timezone" | "currency">;

function noticeView(message: Pick<Message, "id" | "status" | "reason" | "sentAt"> | undefined, timezone: string) {
  if (!message) return null;
  return {
    id: message.id,
    status: message.status,
    reason: formatReason(message.reason, timezone),
    sentAt: message.sentAt ? formatInZone(message.sentAt, timezone) : null,
  };
}

function codeView(code: DiscountCode | undefined, shop: ShopView) {
  if (!code) return null;
  return {
    code: code.code,
    status: code.status, // pending | created | failed
    error: code.error,
    value: discountValueLabel(code.valueType, code.value, code.currency ?? shop.currency),
    endsAt: formatInZone(code.endsAt, shop.timezone),
    redeemedAt: code.redeemedAt ? formatInZone(code.redeemedAt, shop.timezone) : null,
    redeemedRevenue: code.redeemedRevenueCents !== null ? formatMoney(code.redeemedRevenueCents, code.currency ?? shop.currency, "en") : null,
  };
}

/** Incidents with their notice (by dedupe key) and code (by message id), shaped for display. */
async function incidentRows(db: PrismaClient, shop: ShopView, now: Date, where: { orderId?: string; open?: boolean }) {
  const incidents = await db.delayIncident.findMany({
    where: { shopId: shop.id, ...(where.orderId ? { orderId: where.orderId } : {}), ...(where.open ? { resolvedAt: null } : {}) },
    include: { order: { select: { id: true, name: true, shopifyId: true, shopId: true, placedAt: true } } },
    orderBy: [{ detectedAt: "asc" }, { createdAt: "asc" }],
  });
  const owned = incidents.filter((i) => i.order.shopId === shop.id);
  const keys = owned.map((i) => noticeKey(shop.id, i.order.shopifyId, i.cause));
  const messages = keys.length
    ? await db.message.findMany({
        where: { shopId: shop.id, dedupeKey: { in: keys } },
        select: { id: true, dedupeKey: true, status: true, reason: true, sentAt: true },
      })
    : [];
  const byKey = new Map(messages.map((m) => [m.dedupeKey, m]));
  const codes = messages.length ? await db.discountCode.findMany({ where: { shopId: shop.id, messageId: { in: messages.map((m) => m.id) } } }) : [];
  const byMessage = new Map(codes.map((c) => [c.messageId!, c]));
  return owned.map((i) => {
    const message = byKey.get(noticeKey(shop.id, i.order.shopifyId, i.cause));
    return {
      id: i.id,
      orderId: i.order.id,
      orderName: i.order.name ?? "(details pending)",
      cause: i.cause,
      causeLabel: causeLabel(i.cause),
      detail: i.detail,
      expectedAt: i.expectedAt ? formatInZone(i.expectedAt, shop.timezone) : null,
      detectedAt: formatInZone(i.detectedAt, shop.timezone),
      ageDays: Math.max(0, Math.floor((now.getTime() - i.detectedAt.getTime()) / DAY_MS)),
      resolvedAt: i.resolvedAt ? formatInZone(i.resolvedAt, shop.timezone) : null,
      notice: noticeView(message, shop.timezone),
      code: codeView(message ? byMessage.get(message.id) : undefined, shop),
    };
  });
}

export type DelayIncidentRow = Awaited<ReturnType<typeof incidentRows>>[number];

/** The Delays page: open incidents, this month's figures (shop timezone) and the settings form. */
export async function delaysPage(db: PrismaClient, shop: ShopView, now: Date) {
  const settings = await delaySettingsFor(db, shop.id);
  const { start, end } = monthBounds(now, shop.timezone);
  const open = await incidentRows(db, shop, now, { open: true });
  const byCause = Object.keys(CAUSE_LABELS).map((cause) => ({ cause, label: causeLabel(cause), count: open.filter((r) => r.cause === cause).length }));
  const [noticesSent, issued, redeemed, usage] = await Promise.all([
    db.message.count({ where: { shopId: shop.id, flow: { key: DELAY_FLOW_KEY }, status: "sent", sentAt: { gte: start, lt: end } } }),
    db.discountCode.count({ where: { shopId: shop.id, purpose: APOLOGY_PURPOSE, status: "created", createdAt: { gte: start, lt: end } } }),
    db.discountCode.aggregate({
      where: { shopId: shop.id, purpose: APOLOGY_PURPOSE, redeemedAt: { gte: start, lt: end } },
      _count: { _all: true },
      _sum: { redeemedRevenueCents: true },
    }),
    monthlyUsage(db, shop, now),
  ]);
  const money = (cents: number) => formatMoney(cents, shop.currency, "en");
  return {
    month: new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: shop.timezone }).format(now),
    open,
    byCause,
    figures: {
      noticesSent,
      codesIssued: issued,
      codesRedeemed: redeemed._count._all,
      redeemedRevenue: money(redeemed._sum.redeemedRevenueCents ?? 0),
      budgetCodesLeft: settings.monthlyMaxCodes === null ? null : Math.max(0, settings.monthlyMaxCodes - usage.codes),
      budgetValueLeft: settings.monthlyMaxValueCents === null ? null : money(Math.max(0, settings.monthlyMaxValueCents - usage.valueCents)),
      budgetValueUsed: money(usage.valueCents),
      budgetExhausted:
        (settings.monthlyMaxCodes !== null && usage.codes >= settings.monthlyMaxCodes) ||
        (settings.monthlyMaxValueCents !== null && usage.valueCents >= settings.monthlyMaxValueCents),
    },
    values: delaySettingsValues(settings, shop.currency),
    currency: shop.currency,
  };
}

/** The order page's "Delays" card: every incident of the order (open or resolved), notice and code. Empty for another shop's order. */
export async function orderDelays(db: PrismaClient, shop: ShopView, orderId: string, now: Date) {
  const order = await db.order.findFirst({ where: { id: orderId, shopId: shop.id }, select: { id: true } });
  if (!order) return [];
  return incidentRows(db, shop, now, { orderId: order.id });
}

// ── Settings form ───────────────────────────────────────────────────────────────────────────

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (d: string) => {
  const date = new Date(`${d}T00:00:00Z`);
  return DATE.test(d) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === d;
};
const wholeNumber = (min: number, max: number, unit: string) =>
  z.coerce
    .number({ invalid_type_error: "Enter a number" })
    .int(`Whole ${unit} only`)
    .min(min, min === 0 ? "Must not be negative" : `At least ${min}`)
    .max(max, `At most ${max}`);
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/** One schema for the whole form; money fields are read in the shop currency's minor units. */
export function delaySettingsSchema(currency: string) {
  const money = (label: string) =>
    z
      .string()
      .trim()
      .refine((v) => /^\d+(\.\d+)?$/.test(v), `Enter ${label} like 5.00`)
      .transform((v) => toMinorUnits(v, currency) ?? 0);
  return z
    .object({
      notShippedDomesticDays: wholeNumber(1, 60, "days"),
      notShippedInternationalDays: wholeNumber(1, 60, "days"),
      lateInTransitDays: wholeNumber(0, 60, "days"),
      holidays: z
        .string()
        .max(5000, "Too many holidays")
        .transform((text) =>
          text
            .split(/[\s,]+/)
            .map((l) => l.trim())
            .filter(Boolean),
        )
        .superRefine((dates, ctx) => {
          const bad = dates.find((d) => !isRealDate(d));
          if (bad) ctx.addIssue({ code: "custom", message: `"${bad.slice(0, 20)}" is not a date: use YYYY-MM-DD, one per line` });
          if (dates.length > 200) ctx.addIssue({ code: "custom", message: "At most 200 holidays" });
        })
        .transform((dates) => [...new Set(dates)].sort()),
      discountType: z.enum(["percentage", "fixed_amount"], { errorMap: () => ({ message: "Choose percentage or fixed amount" }) }),
      discountValue: z.string().trim().min(1, "Enter a value"),
      discountExpiryDays: wholeNumber(1, 365, "days"),
      monthlyMaxCodes: z.preprocess(blankToNull, wholeNumber(0, 100_000, "codes").nullable()),
      monthlyMaxValue: z.preprocess(blankToNull, money("an amount").nullable()),
    })
    .transform((f, ctx) => {
      let discountValue: number;
      if (f.discountType === "percentage") {
        const n = Number(f.discountValue);
        if (!/^\d+$/.test(f.discountValue) || n < 1 || n > 100) {
          ctx.addIssue({ code: "custom", path: ["discountValue"], message: "A whole percentage from 1 to 100" });
          return z.NEVER;
        }
        discountValue = n;
      } else {
        const cents = /^\d+(\.\d+)?$/.test(f.discountValue) ? toMinorUnits(f.discountValue, currency) : null;
        if (!cents || cents <= 0) {
          ctx.addIssue({ code: "custom", path: ["discountValue"], message: "Enter an amount above 0, like 5.00" });
          return z.NEVER;
        }
        discountValue = cents;
      }
      return {
        notShippedDomesticDays: f.notShippedDomesticDays,
        notShippedInternationalDays: f.notShippedInternationalDays,
        lateInTransitDays: f.lateInTransitDays,
        holidays: f.holidays,
        discountType: f.discountType,
        discountValue,
        discountExpiryDays: f.discountExpiryDays,
        monthlyMaxCodes: f.monthlyMaxCodes,
        monthlyMaxValueCents: f.monthlyMaxValue,
      };
    });
}

export const DELAY_SETTINGS_FIELDS = [
  "notShippedDomesticDays",
  "notShippedInternationalDays",
  "lateInTransitDays",
  "holidays",
  "discountType",
  "discountValue",
  "discountExpiryDays",
  "monthlyMaxCodes",
  "monthlyMaxValue",
] as const;
export type DelaySettingsValues = Record<(typeof DELAY_SETTINGS_FIELDS)[number], string>;

export function delaySettingsValues(s: DelaySettings, currency: string): DelaySettingsValues {
  return {
    notShippedDomesticDays: String(s.notShippedDomesticDays),
    notShippedInternationalDays: String(s.notShippedInternationalDays),
    lateInTransitDays: String(s.lateInTransitDays),
    holidays: storedStrings(s.holidays).join("\n"),
    discountType: s.discountType,
    discountValue: s.discountType === "fixed_amount" ? formatMinorUnits(s.discountValue, currency) : String(s.discountValue),
    discountExpiryDays: String(s.discountExpiryDays),
    monthlyMaxCodes: s.monthlyMaxCodes === null ? "" : String(s.monthlyMaxCodes),
    monthlyMaxValue: s.monthlyMaxValueCents === null ? "" : formatMinorUnits(s.monthlyMaxValueCents, currency),
  };
}

export async function saveDelaySettings(
  db: PrismaClient,
  shop: Pick<Shop, "id" | "currency">,
  input: Record<string, unknown>,
): Promise<{ ok: true; settings: DelaySettings } | { ok: false; errors: FieldErrors }> {
  const parsed = delaySettingsSchema(shop.currency).safeParse(input);
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error) };
  const settings = await db.delaySettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...parsed.data }, update: parsed.data });
  return { ok: true, settings };
}
