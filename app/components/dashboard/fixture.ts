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

const lift = (treated: [number, number], holdout: [number, number], ci: [number, number] | null, verdict: Lift["verdict"]): Lift => ({
  treated: { n: treated[0], repeat: treated[1] },
  holdout: { n: holdout[0], repeat: holdout[1] },
  difference: verdict === "not_enough_data" ? null : treated[1] / treated[0] - holdout[1] / holdout[0],
  ci,
  verdict,
});

const flow = (key: string, name: string, f: Partial<FlowFigures> & Pick<FlowFigures, "lift">): FlowFigures => ({
  flowId: `flow_${key}`,
  key,
  name,
  enabled: true,
  holdoutPercent: 10,
  scheduled: 0,
  sent: 0,
  heldOut: 0,
  skipped: 0,
  skipReasons: [],
  clicks: 0,
  attributedOrders: 0,
  attributedRevenueCents: 0,
  ...f,
});

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
      flow("thank_you", "Thank-you & reassurance", {
        scheduled: 142,
        sent: 126,
        heldOut: 14,
        skipped: 2,
        skipReasons: [{ reason: "cancelled", count: 2 }],
        clicks: 31,
        attributedOrders: 6,
        attributedRevenueCents: 41_820,
        lift: lift([412, 95], [45, 8], [-0.012, 0.094], "inconclusive"),
      }),
      flow("check_in", "Check-in / product tips", {
        scheduled: 118,
        sent: 101,
        heldOut: 11,
        skipped: 6,
        skipReasons: [
          { reason: "refunded", count: 4 },
          { reason: "unsubscribed", count: 2 },
        ],
        clicks: 22,
        attributedOrders: 4,
        attributedRevenueCents: 27_300,
        lift: lift([380, 99], [41, 4], [0.051, 0.229], "positive"),
      }),
      flow("shipping_delay", "Shipping-delay notice", {
        scheduled: 9,
        sent: 9,
        holdoutPercent: 0,
        clicks: 5,
        attributedOrders: 3,
        attributedRevenueCents: 18_450,
        lift: noLift(9, 0),
      }),
      flow("review_request", "Review request", {
        scheduled: 96,
        sent: 80,
        heldOut: 9,
        skipped: 7,
        skipReasons: [
          { reason: "review received", count: 3 },
          { reason: "no kept items", count: 2 },
          { reason: "quiet hours", count: 1 },
          { reason: "suppressed", count: 1 },
        ],
        clicks: 40,
        attributedOrders: 2,
        attributedRevenueCents: 12_900,
        lift: lift([290, 52], [33, 9], [-0.247, 0.031], "negative"),
      }),
      flow("nps", "NPS survey", { scheduled: 70, sent: 63, heldOut: 7, clicks: 48, lift: noLift(63, 7) }),
      flow("points_earned", "Points earned", { enabled: false, holdoutPercent: 0, lift: noLift() }),
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
    cohorts: dashboardFixture.figures.cohorts.map((c) => ({
      ...c,
      customers: 0,
      within30: null,
      within60: null,
      within90: null,
      revenue90PerCustomerCents: null,
    })),
    flows: dashboardFixture.figures.flows.map((f) => ({
      ...f,
      scheduled: 0,
      sent: 0,
      heldOut: 0,
      skipped: 0,
      skipReasons: [],
      clicks: 0,
      attributedOrders: 0,
      attributedRevenueCents: 0,
      lift: noLift(),
    })),
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
