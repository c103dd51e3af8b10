// Lengths of time in milliseconds, for instant arithmetic (calendar days in a time zone are
// schedule/local-time's business: a local day is not always DAY_MS long).
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
