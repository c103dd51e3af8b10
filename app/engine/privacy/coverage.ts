// Every table, classified. Adding a model without classifying it here fails
// tests/integration/privacy.test.ts, so compliance webhooks can never silently miss a table.
export type Coverage =
  | { holds: "customer data"; redactedBy: string }
  | { holds: "shop data"; redactedBy: string }
  | { holds: "no personal data"; why: string };

export const TABLE_COVERAGE: Record<string, Coverage> = {
  Customer: { holds: "customer data", redactedBy: "deleted by customer gid or email" },
  Order: { holds: "customer data", redactedBy: "deleted: orders_to_redact, the customer's orders, orders with their email" },
  LineItem: { holds: "customer data", redactedBy: "cascade from Order" },
  Fulfillment: { holds: "customer data", redactedBy: "cascade from Order" },
  FulfillmentEvent: { holds: "customer data", redactedBy: "cascade from Fulfillment" },
  Refund: { holds: "customer data", redactedBy: "cascade from Order" },
  DataRequest: { holds: "customer data", redactedBy: "deleted by customer gid or email" },
  Message: { holds: "customer data", redactedBy: "kept as cancelled with recipient, subject and order link cleared" },
  MessageEvent: { holds: "no personal data", why: "status, time and reason of a message transition" },
  Suppression: { holds: "customer data", redactedBy: "deleted by email" },
  LinkClick: { holds: "customer data", redactedBy: "deleted with the customer's messages' clicks" },
  Attribution: { holds: "customer data", redactedBy: "cascade from Order" },
  DelayIncident: { holds: "customer data", redactedBy: "cascade from Order" },
  DiscountCode: { holds: "customer data", redactedBy: "kept for budgets with order, customer and redemption order cleared" },
  DelaySettings: { holds: "shop data", redactedBy: "cascade from Shop" },
  Review: { holds: "customer data", redactedBy: "deleted for the customer and their orders" },
  ReviewAsk: { holds: "customer data", redactedBy: "deleted by customer gid or email" },
  ProductRating: { holds: "no personal data", why: "per-product averages; recomputed when reviews are deleted" },
  NpsResponse: { holds: "customer data", redactedBy: "deleted for the customer and their orders" },
  NpsCase: { holds: "customer data", redactedBy: "cascade from NpsResponse" },
  LoyaltySettings: { holds: "shop data", redactedBy: "cascade from Shop" },
  LoyaltyMember: { holds: "customer data", redactedBy: "deleted by customer gid or email" },
  PointsEntry: { holds: "customer data", redactedBy: "cascade from LoyaltyMember" },
  OfferRule: { holds: "shop data", redactedBy: "cascade from Shop" },
  OfferGrant: { holds: "customer data", redactedBy: "deleted for the customer and their orders" },
  CustomerStat: { holds: "customer data", redactedBy: "recomputed from the remaining orders (deleted when none is left); cascade from Shop" },
  DailyRollup: { holds: "no personal data", why: "anonymous per-day counts; the redacted customer's days are rebuilt without them" },
  RollupDirty: { holds: "no personal data", why: "which days need a rebuild; deleted by shop/redact" },
  HistoryImport: { holds: "shop data", redactedBy: "cascade from Shop" },
  Session: { holds: "shop data", redactedBy: "deleted on app/uninstalled and shop/redact (staff, not customers)" },
  Shop: { holds: "shop data", redactedBy: "deleted by shop/redact" },
  Flow: { holds: "shop data", redactedBy: "cascade from Shop" },
  Job: { holds: "shop data", redactedBy: "cascade from Shop; payloads hold row ids only" },
  WebhookDelivery: { holds: "shop data", redactedBy: "deleted by shop/redact; holds no payloads" },
  WorkerHeartbeat: { holds: "no personal data", why: "process ids and times" },
  AppState: { holds: "no personal data", why: "sandbox clock and similar process state" },
  RateLimit: { holds: "no personal data", why: "counters keyed by shop id (test emails per hour)" },
};
