// Email addresses are stored in one form — trimmed and lower-cased — by every write that takes
// one from outside (webhooks, reconciliation, the history import, compliance requests), so every
// comparison (suppression, the frequency cap, loyalty, redaction, lookups) is a plain equality.
// Local parts are case-sensitive in theory; no mail provider treats them so, and Shopify doesn't.

/** " Jo@Example.COM " → "jo@example.com" */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The normalised address, or null when there is none (missing or blank). */
export function normalizedEmailOrNull(email: string | null | undefined): string | null {
  return email ? normalizeEmail(email) || null : null;
}
