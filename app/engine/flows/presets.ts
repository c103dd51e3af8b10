// The preset flows of docs (product.md › Preset flows), created enabled for every shop at install.
// Their words are catalogue messages (i18n/catalogs) called through Liquid's `t` filter, so one
// template writes each email in the message's language; a merchant may replace it with their own text.
import type { EmailCategory } from "@prisma/client";
export type FlowCategory = EmailCategory;
export type FlowTrigger = "order_created" | "delivered" | "delay_detected" | "points_approved";

export interface FlowPreset {
  key: string;
  name: string;
  trigger: FlowTrigger;
  delayMinutes: number;
  fallbackDays?: number;
  reminderDelayMinutes?: number;
  throttleDays?: number;
  category: FlowCategory;
  subject: string;
  body: string;
}

const DAY = 24 * 60;
const GREETING = "{{ 'email.greeting' | t: name: customer.first_name }}";

export const FLOW_PRESETS: readonly FlowPreset[] = [
  {
    key: "thank_you",
    name: "Thank-you & reassurance",
    trigger: "order_created",
    delayMinutes: 15,
    category: "service",
    subject: "{{ 'thank_you.subject' | t: order: order.name }}",
    body: [GREETING, "{{ 'thank_you.confirmed' | t: shop: shop.name, order: order.name }}", "{{ 'thank_you.next' | t }}"].join("\n\n"),
  },
  {
    key: "check_in",
    name: "Check-in / product tips",
    trigger: "delivered",
    delayMinutes: 2 * DAY,
    fallbackDays: 10,
    category: "service",
    subject: "{{ 'check_in.subject' | t: order: order.name }}",
    body: [GREETING, "{{ 'check_in.arrived' | t: shop: shop.name }}", "{{ 'check_in.help' | t }}"].join("\n\n"),
  },
  {
    key: "shipping_delay",
    name: "Shipping-delay notice + apology code",
    trigger: "delay_detected",
    delayMinutes: 0,
    category: "service",
    subject: "{{ 'shipping_delay.subject' | t: order: order.name }}",
    body: [
      GREETING,
      "{{ 'shipping_delay.late' | t: order: order.name, reason: delay.reason }}{% if delay.expected_on %} {{ 'shipping_delay.expected' | t: date: delay.expected_on }}{% endif %}",
      "{% if discount.code %}{{ 'shipping_delay.apology_code' | t: value: discount.value, code: discount.code, expires: discount.expires_on }}{% else %}{{ 'shipping_delay.apology' | t }}{% endif %}",
      "{{ 'email.reply_for_help' | t }}",
    ].join("\n\n"),
  },
  {
    key: "review_request",
    name: "Review request",
    trigger: "delivered",
    delayMinutes: 7 * DAY,
    fallbackDays: 14,
    reminderDelayMinutes: 5 * DAY,
    category: "survey",
    subject: "{{ 'review_request.subject' | t: shop: shop.name }}",
    body: [GREETING, "{{ 'review_request.ask' | t }}"].join("\n\n"),
  },
  {
    key: "nps",
    name: "NPS survey",
    trigger: "delivered",
    delayMinutes: 14 * DAY,
    fallbackDays: 21,
    throttleDays: 90,
    category: "survey",
    subject: "{{ 'nps.subject' | t: shop: shop.name }}",
    body: "{{ 'nps.question' | t: shop: shop.name }}",
  },
  {
    key: "points_earned",
    name: "Points earned",
    trigger: "points_approved",
    delayMinutes: 0,
    category: "marketing",
    subject: "{{ 'points_earned.subject' | t: points: points.approved }}",
    body: [
      GREETING,
      "{{ 'points_earned.approved' | t: points: points.approved, order: order.name }} {{ 'points_earned.balance' | t: balance: points.balance }}",
    ].join("\n\n"),
  },
];
