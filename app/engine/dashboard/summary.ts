// Turns rollup rows into the dashboard's figures. Pure: the loader feeds it rows summed from
// DailyRollup, the scan feeds it rows computed from raw data; both must give the same answer.
import { journeyLines } from "./journey-lines";
import { liftOf } from "./lift";
import { COHORT_METRICS, GAP_METRIC, SEP, type RollupRow } from "./rollups";
import { addDays, daysBetween, monthOf } from "./days";
import { PERIODS, type CohortRow, type DashboardFigures, type FlowFigures, type Period, type PeriodKey } from "./types";

export const COHORT_MONTHS = 12;
const TOP_SKIP_REASONS = 3;

export interface FlowInfo {
  id: string;
  key: string;
  name: string;
  enabled: boolean;
  holdoutPercent: number;
  journeyId: string | null;
}

export interface JourneyInfo {
  id: string;
  name: string;
  status: string;
  holdoutPercent: number;
}

export interface SummaryInput {
  period: Period;
  /** Period totals per (metric, dim); their `day` is ignored. */
  totals: RollupRow[];
  /** Per-day rows of orders, revenue and cust.new inside the period (the chart). */
  series: RollupRow[];
  /** Per-day rows of the cohort metrics since `cohortStart(period.to)`. */
  cohortDays: RollupRow[];
  flows: FlowInfo[];
  /** The shop's journeys: each is one line, its steps (flows with its journeyId) summed. */
  journeys: JourneyInfo[];
}

export function periodEnding(today: string, key: PeriodKey): Period {
  const days = PERIODS[key];
  return { key, from: addDays(today, -(days - 1)), to: today, days };
}

/** First day of the oldest monthly cohort shown. */
export function cohortStart(today: string): string {
  const [y, m] = today.split("-").map(Number);
  const index = y * 12 + (m - 1) - (COHORT_MONTHS - 1);
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

const SERIES_METRICS = ["orders", "revenue", "cust.new"] as const;
export const SERIES_METRIC_LIST: string[] = [...SERIES_METRICS];
export const COHORT_METRIC_LIST: string[] = [...COHORT_METRICS];

class Totals {
  private readonly byMetric = new Map<string, Map<string, number>>();
  constructor(rows: RollupRow[]) {
    for (const r of rows) {
      let dims = this.byMetric.get(r.metric);
      if (!dims) this.byMetric.set(r.metric, (dims = new Map()));
      dims.set(r.dim, (dims.get(r.dim) ?? 0) + r.value);
    }
  }
  get(metric: string, dim = ""): number {
    return this.byMetric.get(metric)?.get(dim) ?? 0;
  }
  dims(metric: string): [string, number][] {
    return [...(this.byMetric.get(metric) ?? new Map<string, number>()).entries()];
  }
  sum(metric: string): number {
    return this.dims(metric).reduce((s, [, v]) => s + v, 0);
  }
}

const share = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

/** Median of whole-day gaps given as a histogram (dim = days). */
export function medianOfHistogram(entries: [string, number][]): number | null {
  const sorted = entries
    .map(([d, n]) => [Number(d), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (!total) return null;
  const at = (rank: number) => {
    let seen = 0;
    for (const [days, n] of sorted) if ((seen += n) > rank) return days;
    return sorted[sorted.length - 1][0];
  };
  return total % 2 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

/** Totals per group of rows (per month, per day). */
function totalsBy(rows: RollupRow[], group: (r: RollupRow) => string): Map<string, Totals> {
  const lists = new Map<string, RollupRow[]>();
  for (const r of rows) {
    const key = group(r);
    const list = lists.get(key);
    if (list) list.push(r);
    else lists.set(key, [r]);
  }
  return new Map([...lists].map(([key, list]) => [key, new Totals(list)]));
}

function cohortRows(rows: RollupRow[], today: string): CohortRow[] {
  const months = totalsBy(rows, (r) => monthOf(r.day));
  const result: CohortRow[] = [];
  for (let month = monthOf(cohortStart(today)); month <= monthOf(today); month = monthOf(addDays(`${month}-28`, 7))) {
    const t = months.get(month) ?? new Totals([]);
    const customers = t.get("cust.new");
    const lastDay = addDays(`${monthOf(addDays(`${month}-28`, 7))}-01`, -1);
    const maturing = (days: number) => addDays(lastDay, days) > today;
    result.push({
      month,
      customers,
      within30: share(t.get("cust.w30"), customers),
      within60: share(t.get("cust.w60"), customers),
      within90: share(t.get("cust.w90"), customers),
      revenue90PerCustomerCents: customers ? Math.round(t.get("cust.rev90") / customers) : null,
      maturing: { d30: maturing(30), d60: maturing(60), d90: maturing(90) },
    });
  }
  return result;
}

/** Lift of a flow, or of a journey (its steps share the journey's id as lift unit: rollups.ts). */
function liftOfUnit(t: Totals, unit: string) {
  const group = (g: string) => ({ n: t.get("lift.n", `${unit}${SEP}${g}`), repeat: t.get("lift.repeat", `${unit}${SEP}${g}`) });
  return liftOf(group("treated"), group("holdout"));
}

/** A flow's figures, with every skip reason (cut to the top ones once journeys are summed). */
function flowFigures(t: Totals, flow: FlowInfo): FlowFigures {
  const reasons = t
    .dims("flow.skipped")
    .filter(([dim]) => dim.startsWith(`${flow.id}${SEP}`))
    .map(([dim, count]) => ({ reason: dim.slice(flow.id.length + 1), count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return {
    flowId: flow.id,
    key: flow.key,
    name: flow.name,
    enabled: flow.enabled,
    holdoutPercent: flow.holdoutPercent,
    scheduled: t.get("flow.scheduled", flow.id),
    sent: t.get("flow.sent", flow.id),
    heldOut: t.get("flow.held_out", flow.id),
    skipped: reasons.reduce((s, r) => s + r.count, 0),
    skipReasons: reasons,
    clicks: t.get("flow.clicks", flow.id),
    attributedOrders: t.get("flow.attributed", flow.id),
    attributedRevenueCents: t.get("flow.attributed_revenue", flow.id),
    lift: liftOfUnit(t, flow.id),
  };
}

function countsBy(entries: [string, number][], part: 0 | 1, label: string) {
  const counts = new Map<string, number>();
  for (const [dim, n] of entries) {
    const key = dim.split(SEP)[part];
    counts.set(key, (counts.get(key) ?? 0) + n);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) // ties by name: the same order from rollups and scans
    .map(([k, count]) => ({ [label]: k, count }) as { count: number } & Record<string, string | number>);
}

export function summarize(input: SummaryInput): DashboardFigures {
  const t = new Totals(input.totals);
  const flows = journeyLines(
    input.flows.map((f) => ({ figures: flowFigures(t, f), journeyId: f.journeyId })),
    input.journeys.map((j) => ({ ...j, lift: liftOfUnit(t, j.id) })),
  ).map((f) => ({ ...f, skipReasons: f.skipReasons.slice(0, TOP_SKIP_REASONS) }));
  const sentOf = (key: string) => flows.filter((f) => f.key === key).reduce((s, f) => s + f.sent, 0);

  const perDay = totalsBy(input.series, (r) => r.day);

  const distribution = Array.from({ length: 11 }, (_, score) => t.get("nps", String(score)));
  const responses = distribution.reduce((s, n) => s + n, 0);
  const promoters = distribution[9] + distribution[10];
  const detractors = distribution.slice(0, 7).reduce((s, n) => s + n, 0);

  const ratings = t.dims("reviews");
  const submitted = ratings.reduce((s, [, n]) => s + n, 0);
  const requestsSent = sentOf("review_request");

  const newCustomers = t.get("cust.new");
  const purposes = [...new Set([...t.dims("codes.issued"), ...t.dims("codes.redeemed")].map(([p]) => p))].sort();
  const delays = t.dims("delays");

  return {
    period: input.period,
    orders: {
      count: t.get("orders"),
      revenueCents: t.get("revenue"),
      series: daysBetween(input.period.from, input.period.to).map((day) => {
        const d = perDay.get(day);
        return { day, orders: d?.get("orders") ?? 0, revenueCents: d?.get("revenue") ?? 0, newCustomers: d?.get("cust.new") ?? 0 };
      }),
    },
    customers: {
      newCustomers,
      repeatRate: { numerator: t.get("cust.repeat"), denominator: newCustomers, rate: share(t.get("cust.repeat"), newCustomers) },
      medianDaysToSecondOrder: medianOfHistogram(t.dims(GAP_METRIC)),
    },
    cohorts: cohortRows(input.cohortDays, input.period.to),
    flows,
    nps: {
      responses,
      promoters,
      passives: distribution[7] + distribution[8],
      detractors,
      score: responses ? Math.round(((promoters - detractors) / responses) * 100) : null,
      distribution,
    },
    reviews: {
      requestsSent,
      submitted,
      rate: share(submitted, requestsSent),
      averageRating: submitted ? Math.round((ratings.reduce((s, [r, n]) => s + Number(r) * n, 0) / submitted) * 100) / 100 : null,
    },
    delays: {
      incidents: delays.reduce((s, [, n]) => s + n, 0),
      noticesSent: sentOf("shipping_delay"),
      byCause: countsBy(delays, 0, "cause") as { cause: string; count: number }[],
      byCarrier: countsBy(delays, 1, "carrier") as { carrier: string; count: number }[],
    },
    codes: purposes.map((purpose) => ({
      purpose,
      issued: t.get("codes.issued", purpose),
      redeemed: t.get("codes.redeemed", purpose),
      redeemedRevenueCents: t.get("codes.redeemed_revenue", purpose),
    })),
    loyalty: { issued: t.get("points.issued"), pending: t.get("points.pending"), redeemed: t.get("points.redeemed") },
    offers: { shown: t.get("offers.shown"), clicked: t.get("offers.clicked"), converted: t.get("offers.converted"), revenueCents: t.get("offers.revenue") },
  };
}
