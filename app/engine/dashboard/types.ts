// The dashboard's read model: what the admin home shows, computed from the daily rollups
// (read.ts) or, for checks and the benchmark, by scanning raw rows (scan.ts). Plain JSON.

export const PERIODS = { "30d": 30, "90d": 90, "365d": 365 } as const;
export type PeriodKey = keyof typeof PERIODS;

export interface Period {
  key: PeriodKey;
  from: string; // YYYY-MM-DD, first day included (UTC)
  to: string; // last day included: today
  days: number;
}

export interface Rate {
  numerator: number;
  denominator: number;
  rate: number | null; // null when the denominator is 0
}

export interface DaySeriesPoint {
  day: string;
  orders: number;
  revenueCents: number;
  newCustomers: number;
}

export interface CohortRow {
  month: string; // YYYY-MM of the customers' first order
  customers: number;
  /** Share of the cohort that ordered again within 30 / 60 / 90 days of their first order. */
  within30: number | null;
  within60: number | null;
  within90: number | null;
  /** Average net revenue per customer from orders within 90 days of the first (the LTV proxy). */
  revenue90PerCustomerCents: number | null;
  /** Windows not yet over for the cohort's last customers: the figure can still grow. */
  maturing: { d30: boolean; d60: boolean; d90: boolean };
}

export interface GroupFigures {
  n: number; // customers first exposed to the flow: their message was sent (treated) or held back (holdout)
  repeat: number; // of those, customers who ordered again after that exposure's order
}

export type LiftVerdict = "not_enough_data" | "positive" | "negative" | "inconclusive";

export interface Lift {
  treated: GroupFigures;
  holdout: GroupFigures;
  /** Repeat rate of the treated minus that of the holdout (a share, e.g. 0.04 = 4 points). */
  difference: number | null;
  /** 95 % confidence interval of the difference (Newcombe's score method); null when not enough data. */
  ci: [number, number] | null;
  verdict: LiftVerdict;
}

export interface FlowFigures {
  flowId: string;
  key: string;
  name: string;
  /** Set on a journey's line (its steps summed): the journey it stands for. */
  journeyId?: string;
  enabled: boolean;
  holdoutPercent: number;
  scheduled: number; // messages planned in the period (every outcome)
  sent: number;
  heldOut: number;
  skipped: number;
  skipReasons: { reason: string; count: number }[];
  clicks: number;
  attributedOrders: number;
  attributedRevenueCents: number;
  lift: Lift;
}

export interface DashboardFigures {
  period: Period;
  orders: { count: number; revenueCents: number; series: DaySeriesPoint[] };
  customers: {
    newCustomers: number;
    /** Of the customers whose first order fell in the period, those who have ordered again. */
    repeatRate: Rate;
    /** Median whole days from first to second order, for those customers who ordered again. */
    medianDaysToSecondOrder: number | null;
  };
  /** The last 12 monthly cohorts, oldest first (not limited by the period). */
  cohorts: CohortRow[];
  flows: FlowFigures[];
  nps: { responses: number; promoters: number; passives: number; detractors: number; score: number | null; distribution: number[] };
  reviews: { requestsSent: number; submitted: number; rate: number | null; averageRating: number | null };
  delays: { incidents: number; noticesSent: number; byCause: { cause: string; count: number }[]; byCarrier: { carrier: string; count: number }[] };
  codes: { purpose: string; issued: number; redeemed: number; redeemedRevenueCents: number }[];
  loyalty: { issued: number; pending: number; redeemed: number };
  offers: { shown: number; clicked: number; converted: number; revenueCents: number };
}

export interface ChecklistItem {
  key: "sender" | "flows" | "extension" | "history";
  label: string;
  done: boolean;
  help: string;
  url: string;
}

export interface HistoryImportView {
  status: string; // running | done | failed
  orders: number;
  pages: number;
  /** Orders in the window (null until the export has started and been counted). */
  total?: number | null;
  /** Orders Shopify has written to the export file so far (while it builds it, nothing is applied yet). */
  exported?: number;
  /** Seconds left, from the rate orders have been applied at so far (null until there is a rate). */
  secondsLeft?: number | null;
  since: string | null;
  until: string;
  oldestSeen: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface DashboardData {
  shop: { name: string; domain: string; currency: string; timezone: string };
  figures: DashboardFigures;
  checklist: ChecklistItem[];
  history: HistoryImportView | null;
  /** Days changed since their rollup was built (the worker rebuilds them within seconds). */
  pendingDays: number;
}
