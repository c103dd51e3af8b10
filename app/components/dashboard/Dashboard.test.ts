// The dashboard rendered on the server (as the first HTML the merchant gets), from fixtures:
// every figure carries its definition, and a brand-new shop reads well (no NaN, no "null").
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { Dashboard } from "./Dashboard";
import { dashboardFixture, emptyDashboardFixture, withoutCustomers } from "./fixture";
import type { DashboardData } from "~/engine/dashboard/types";

function text(data: DashboardData): string {
  const html = renderToString(createElement(AppProvider, { i18n: en }, createElement(Dashboard, { data, onPeriodChange: () => undefined })));
  return html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** What a page must show, a test for each part of it: text to find, or a pattern to match. */
const SHOWN: [string, (string | RegExp)[]][] = [
  [
    "shows the headline figures, each with its one-line definition",
    [
      "Repeat purchase rate 19.6 % 19 of 97 new customers ordered again",
      "Of the customers whose first order fell in this period, the share who have ordered again since.",
      "Time to second order 34 days median",
      "Median days from a customer's first order to their second",
      "10,482.50 USD revenue",
    ],
  ],
  [
    "lists the cohorts with their maturing windows marked",
    ["Dec 2025 31 9.7 % 16.1 % 22.6 % 91.20 USD", "Nov 2026 21 4.8 % still maturing 4.8 % still maturing 4.8 % still maturing 66.10 USD still maturing"],
  ],
  [
    "shows each flow's lift with its interval and sample sizes, or that there is not enough data yet",
    [
      /Check-in \/ product tips.*\+16\.3 pts \(95 % CI \+5\.1 to \+22\.9\) · 380 vs 41 Success Positive/,
      /Review request.*−9\.3 pts \(95 % CI −24\.7 to \+3\.1\) · 290 vs 33 Critical Negative/,
      "not enough data yet · 63 vs 7",
      "review received (3) no kept items (2)",
    ],
  ],
  [
    "shows the engagement figures, the checklist and the pending note",
    [
      "NPS +40 27 promoters · 13 passives · 8 detractors (48 answers)",
      "Review rate 26.3 % 21 reviews from 80 requests · average 4.4 ★",
      "Not shipped 7",
      "Apology 4 / 9 · 283.50 USD",
      "Set up Trustloop 2 of 4 done",
      "Figures are being updated",
    ],
  ],
];

const EMPTY_SHOWN = [
  "Repeat purchase rate — No new customer in this period yet",
  "No cohorts yet.",
  "No orders in this period yet.",
  "No answers in this period yet",
  "Set up Trustloop 0 of 4 done",
];

function expectShown(page: string, parts: (string | RegExp)[]) {
  for (const part of parts) {
    if (typeof part === "string") expect(page).toContain(part);
    else expect(page).toMatch(part);
  }
}

describe("the dashboard", () => {
  const page = text(dashboardFixture);

  it.each(SHOWN)("%s", (_, parts) => expectShown(page, parts));

  it("reads well for a shop with no data at all", () => {
    const empty = text(emptyDashboardFixture);
    expect(empty).not.toMatch(/NaN|null|undefined|Infinity/);
    expectShown(empty, EMPTY_SHOWN);
    expect(empty).not.toContain("Figures are being updated");
  });

  it("starts the cohort table at the shop's first customers", () => {
    const cohorts = dashboardFixture.figures.cohorts.map((c, i) => (i < 9 ? withoutCustomers(c) : c));
    const young = text({ ...dashboardFixture, figures: { ...dashboardFixture.figures, cohorts } });
    expect(young).not.toContain("Aug 2026");
    expect(young).toContain("Sep 2026 30 10.0 %");
  });

  it("hides the checklist once everything is done", () => {
    const done = text({ ...dashboardFixture, checklist: dashboardFixture.checklist.map((i) => ({ ...i, done: true })) });
    expect(done).not.toContain("Set up Trustloop");
  });
});
