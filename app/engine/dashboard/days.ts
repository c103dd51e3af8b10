// Rollup days are UTC calendar days ("YYYY-MM-DD"). One convention for every shop keeps rollups
// independent of a timezone setting that can change; see docs/decisions/009-dashboard-rollups.md.
export const DAY_MS = 86_400_000;

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function addDays(day: string, n: number): string {
  return dayOf(new Date(startOfDay(day).getTime() + n * DAY_MS));
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The instant range of a day, for `gte` / `lt` filters. */
export function dayRange(day: string) {
  const gte = startOfDay(day);
  return { gte, lt: new Date(gte.getTime() + DAY_MS) };
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}
