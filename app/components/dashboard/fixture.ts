// Dashboard data for component tests only (never imported by a route): a shop with a year of
// history, and a shop installed a minute ago with nothing yet.
import type { CohortRow, DashboardData, DaySeriesPoint, FlowFigures, Lift } from "~/engine/dashboard/types";

const TODAY = "2026-11-22";

function series(days: number): DaySeriesPoint[] {
  const end = Date.parse(`${TODAY}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const orders = 3 + ((i * 7) % 5);
    return { day, orders, revenueCents: orders * 6450 + ((i * 131) % 900), newCustomers: Math.max(1, orders - 2) };
  });
}

const cohort = (
  month: string,
  customers: number,
  r: [number, number, number],
  revenue: number,
  maturing = { d30: false, d60: false, d90: false },
): CohortRow => ({
  month,
  customers,
  within30: r[0],
  within60: r[1],
  within90: r[2],
  revenue90PerCustomerCents: revenue,
  maturing,
});

/** A cohort month before the shop's first customers. */
export const withoutCustomers = (c: CohortRow): CohortRow => ({
  ...c,
  customers: 0,
  within30: null,
  within60: null,
  within90: null,
  revenue90PerCustomerCents: null,
});

const lift = (treated: [number, number], holdout: [number, number], ci: [number, number] | null, verdict: Lift["verdict"]): Lift => ({
  treated: { n: treated[0], repeat: treated[1] },
  holdout: { n: holdout[0], repeat: holdout[1] },
  difference: verdict === "not_enough_data" ? null : treated[1] / treated[0] - holdout[1] / holdout[0],
  ci,
  verdict,
});

/** A flow's figures in the period: scheduled, sent, held out, clicks, attributed orders, attributed revenue (cents). */
type Activity = [scheduled: number, sent: number, heldOut: number, clicks: number, attributedOrders: number, attributedRevenueCents: number];
const NO_ACTIVITY: Activity = [0, 0, 0, 0, 0, 0];

/** The activity as FlowFigures; the skipped messages are those of the reasons given (by reason, in that order). */
const activity = (
  [scheduled, sent, heldOut, clicks, attributedOrders, attributedRevenueCents]: Activity,
  skipReasons: Record<string, number> = {},
): Omit<FlowFigures, "flowId" | "key" | "name" | "enabled" | "holdoutPercent" | "lift"> => {
  const reasons = Object.entries(skipReasons).map(([reason, count]) => ({ reason, count }));
  const skipped = reasons.reduce((sum, r) => sum + r.count, 0);
  return { scheduled, sent, heldOut, skipped, skipReasons: reasons, clicks, attributedOrders, attributedRevenueCents };
};

const flow = (
  key: string,
  name: string,
  figures: Activity,
  lift: Lift,
  skipReasons: Record<string, number> = {},
  settings: Partial<Pick<FlowFigures, "enabled" | "holdoutPercent">> = {},
): FlowFigures => ({ flowId: `flow_${key}`, key, name, enabled: true, holdoutPercent: 10, ...settings, ...activity(figures, skipReasons), lift });

const noLift = (treated = 0, holdout = 0): Lift => ({
  treated: { n: treated, repeat: 0 },
  holdout: { n: holdout, repeat: 0 },
  difference: null,
  ci: null,
  verdict: "not_enough_data",
});

export const dashboardFixture: DashboardData = {
  shop: { name: "Trustloop Demo Outfitters", domain: "trustloop-demo.myshopify.com", currency: "USD", timezone: "Europe/Paris" },
  figures: {
    period: { key: "30d", from: "2026-10-24", to: TODAY, days: 30 },
    orders: { count: 142, revenueCents: 1_048_250, series: series(30) },
    customers: {
      newCustomers: 97,
      repeatRate: { numerator: 19, denominator: 97, rate: 19 / 97 },
      medianDaysToSecondOrder: 34,
    },
    cohorts: [
      cohort("2025-12", 31, [0.097, 0.161, 0.226], 9120),
      cohort("2026-01", 24, [0.083, 0.125, 0.208], 8740),
      cohort("2026-02", 22, [0.091, 0.182, 0.227], 9310),
      cohort("2026-03", 27, [0.111, 0.148, 0.259], 9905),
      cohort("2026-04", 25, [0.12, 0.2, 0.24], 9050),
      cohort("2026-05", 29, [0.069, 0.138, 0.207], 8410),
      cohort("2026-06", 26, [0.115, 0.154, 0.192], 8120),
      cohort("2026-07", 23, [0.13, 0.174, 0.217], 8870),
      cohort("2026-08", 28, [0.107, 0.179, 0.25], 9440),
      cohort("2026-09", 30, [0.1, 0.133, 0.167], 7630, { d30: false, d60: false, d90: true }),
      cohort("2026-10", 33, [0.091, 0.121, 0.121], 7020, { d30: false, d60: true, d90: true }),
      cohort("2026-11", 21, [0.048, 0.048, 0.048], 6610, { d30: true, d60: true, d90: true }),
    ],
    flows: [
      flow("thank_you", "Thank-you & reassurance", [142, 126, 14, 31, 6, 41_820], lift([412, 95], [45, 8], [-0.012, 0.094], "inconclusive"), { cancelled: 2 }),
      flow("check_in", "Check-in / product tips", [118, 101, 11, 22, 4, 27_300], lift([380, 99], [41, 4], [0.051, 0.229], "positive"), {
        refunded: 4,
        unsubscribed: 2,
      }),
      flow("shipping_delay", "Shipping-delay notice", [9, 9, 0, 5, 3, 18_450], noLift(9, 0), {}, { holdoutPercent: 0 }),
      flow("review_request", "Review request", [96, 80, 9, 40, 2, 12_900], lift([290, 52], [33, 9], [-0.247, 0.031], "negative"), {
        "review received": 3,
        "no kept items": 2,
        "quiet hours": 1,
        suppressed: 1,
      }),
      flow("nps", "NPS survey", [70, 63, 7, 48, 0, 0], noLift(63, 7)),
      flow("points_earned", "Points earned", NO_ACTIVITY, noLift(), {}, { enabled: false, holdoutPercent: 0 }),
    ],
    nps: { responses: 48, promoters: 27, passives: 13, detractors: 8, score: 40, distribution: [1, 0, 1, 2, 1, 1, 2, 6, 7, 12, 15] },
    reviews: { requestsSent: 80, submitted: 21, rate: 21 / 80, averageRating: 4.43 },
    delays: {
      incidents: 12,
      noticesSent: 9,
      byCause: [
        { cause: "not_shipped", count: 7 },
        { cause: "late_in_transit", count: 3 },
        { cause: "carrier_exception", count: 2 },
      ],
      byCarrier: [
        { carrier: "UPS", count: 3 },
        { carrier: "Colissimo", count: 2 },
      ],
    },
    codes: [
      { purpose: "apology", issued: 9, redeemed: 4, redeemedRevenueCents: 28_350 },
      { purpose: "reward", issued: 6, redeemed: 5, redeemedRevenueCents: 41_200 },
      { purpose: "offer", issued: 14, redeemed: 3, redeemedRevenueCents: 17_990 },
    ],
    loyalty: { issued: 10_480, pending: 2_310, redeemed: 3_000 },
    offers: { shown: 310, clicked: 47, converted: 9, revenueCents: 52_110 },
  },
  checklist: [
    { key: "sender", label: "Configure the sender", done: true, help: "Emails go out from your own address, signed for deliverability.", url: "/app/settings" },
    {
      key: "flows",
      label: "Review the flows",
      done: false,
      help: "Check the timing and wording of each preset flow before customers receive them.",
      url: "/app/flows",
    },
    {
      key: "extension",
      label: "Place the extension in the checkout editor",
      done: false,
      help: "Add the Trustloop block to the thank-you and order status pages.",
      url: "https://admin.shopify.com/store/trustloop-demo/settings/checkout/editor",
    },
    { key: "history", label: "Import your order history", done: true, help: "Past orders fill the cohorts and repeat rates from day one.", url: "/app" },
  ],
  history: {
    status: "done",
    orders: 302,
    pages: 7,
    since: "2025-11-22",
    until: TODAY,
    oldestSeen: "2025-11-24",
    startedAt: "2026-11-22T10:00:00.000Z",
    finishedAt: "2026-11-22T10:00:09.000Z",
    error: null,
  },
  pendingDays: 2,
};

/** A shop installed a minute ago: no order, no message, nothing to divide by. */
export const emptyDashboardFixture: DashboardData = {
  shop: dashboardFixture.shop,
  figures: {
    period: dashboardFixture.figures.period,
    orders: { count: 0, revenueCents: 0, series: series(30).map((p) => ({ ...p, orders: 0, revenueCents: 0, newCustomers: 0 })) },
    customers: { newCustomers: 0, repeatRate: { numerator: 0, denominator: 0, rate: null }, medianDaysToSecondOrder: null },
    cohorts: dashboardFixture.figures.cohorts.map(withoutCustomers),
    flows: dashboardFixture.figures.flows.map((f) => ({ ...f, ...activity(NO_ACTIVITY), lift: noLift() })),
    nps: { responses: 0, promoters: 0, passives: 0, detractors: 0, score: null, distribution: Array(11).fill(0) },
    reviews: { requestsSent: 0, submitted: 0, rate: null, averageRating: null },
    delays: { incidents: 0, noticesSent: 0, byCause: [], byCarrier: [] },
    codes: [],
    loyalty: { issued: 0, pending: 0, redeemed: 0 },
    offers: { shown: 0, clicked: 0, converted: 0, revenueCents: 0 },
  },
  checklist: dashboardFixture.checklist.map((item) => ({ ...item, done: false })),
  history: null,
  pendingDays: 0,
};
