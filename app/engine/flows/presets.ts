// The preset flows of docs (product.md › Preset flows), created enabled for every shop at install.
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

export const FLOW_PRESETS: readonly FlowPreset[] = [
  {
    key: "thank_you",
    name: "Thank-you & reassurance",
    trigger: "order_created",
    delayMinutes: 15,
    category: "service",
    subject: "Thank you for your order {{ order.name }}",
    body: [
      "Hi {{ customer.first_name | default: 'there' }},",
      "Thank you for shopping with {{ shop.name }}. Your order {{ order.name }} is confirmed and we are getting it ready.",
      "We will let you know as soon as it ships.",
    ].join("\n\n"),
  },
  {
    key: "check_in",
    name: "Check-in / product tips",
    trigger: "delivered",
    delayMinutes: 2 * DAY,
    fallbackDays: 10,
    category: "service",
    subject: "How is everything with your order {{ order.name }}?",
    body: [
      "Hi {{ customer.first_name | default: 'there' }},",
      "Your order from {{ shop.name }} should have arrived a couple of days ago. How is it working for you?",
      "If anything is not right, just reply to this email: a real person will help.",
    ].join("\n\n"),
  },
  {
    key: "shipping_delay",
    name: "Shipping-delay notice + apology code",
    trigger: "delay_detected",
    delayMinutes: 0,
    category: "service",
    subject: "An update on your order {{ order.name }}",
    body: [
      "Hi {{ customer.first_name | default: 'there' }},",
      "We want to be upfront with you: your order {{ order.name }} is running late, because {{ delay.reason }}.{% if delay.expected_on %} The new expected delivery date is {{ delay.expected_on }}.{% endif %}",
      "{% if discount.code %}We are sorry for the wait. Here is {{ discount.value }} off your next order with the code {{ discount.code }}, valid until {{ discount.expires_on }}.{% else %}We are sorry for the wait, and we are keeping an eye on it for you.{% endif %}",
      "If you have any question, just reply to this email.",
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
    subject: "How do you like your purchase from {{ shop.name }}?",
    body: [
      "Hi {{ customer.first_name | default: 'there' }},",
      "Would you take a minute to review what you bought? Your honest opinion helps other shoppers.",
    ].join("\n\n"),
  },
  {
    key: "nps",
    name: "NPS survey",
    trigger: "delivered",
    delayMinutes: 14 * DAY,
    fallbackDays: 21,
    throttleDays: 90,
    category: "survey",
    subject: "One quick question from {{ shop.name }}",
    body: "How likely are you to recommend {{ shop.name }} to a friend or colleague?",
  },
  {
    key: "points_earned",
    name: "Points earned",
    trigger: "points_approved",
    delayMinutes: 0,
    category: "marketing",
    subject: "Your {{ points.approved }} points are ready",
    body: [
      "Hi {{ customer.first_name | default: 'there' }},",
      "{{ points.approved }} points from order {{ order.name }} are now yours. Your balance is {{ points.balance }}.",
    ].join("\n\n"),
  },
];
