// The periods admin › NPS offers (client-safe: no server imports).
export const PERIODS = [30, 90, 365] as const;

export function parsePeriod(value: string | null): number {
  const days = Number(value);
  return PERIODS.includes(days as (typeof PERIODS)[number]) ? days : 90;
}
