// The dashboard rendered on the server (as the first HTML the merchant gets), from fixtures:
// every figure carries its definition, and a brand-new shop reads well (no NaN, no "null").
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { Dashboard } from "./Dashboard";
import { dashboardFixture, emptyDashboardFixture } from "./fixture";
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

describe("the dashboard", () => {
  const page = text(dashboardFixture);

  it("shows the headline figures, each with its one-line definition", () => {
    expect(page).toContain("Repeat purchase rate 19.6 % 19 of 97 new customers ordered again");
    expect(page).toContain("Of the customers whose first order fell in this period, the share who have ordered again since.");
    expect(page).toContain("Time to second order 34 days median");
    expect(page).toContain("Median days from a customer's first order to their second");
    expect(page).toContain("10,482.50 USD revenue");
  });

  it("lists the cohorts with their maturing windows marked", () => {
    expect(page).toContain("Dec 2025 31 9.7 % 16.1 % 22.6 % 91.20 USD");
    expect(page).toContain("Nov 2026 21 4.8 % still maturing 4.8 % still maturing 4.8 % still maturing 66.10 USD still maturing");
  });

  it("shows each flow's lift with its interval and sample sizes, or that there is not enough data yet", () => {
    expect(page).toMatch(/Check-in \/ product tips.*\+16\.3 pts \(95 % CI \+5\.1 to \+22\.9\) · 380 vs 41 Success Positive/);
    expect(page).toMatch(/Review request.*−9\.3 pts \(95 % CI −24\.7 to \+3\.1\) · 290 vs 33 Critical Negative/);
    expect(page).toContain("not enough data yet · 63 vs 7");
    expect(page).toContain("review received (3) no kept items (2)");
  });

  it("shows the engagement figures, the checklist and the pending note", () => {
    expect(page).toContain("NPS +40 27 promoters · 13 passives · 8 detractors (48 answers)");
    expect(page).toContain("Review rate 26.3 % 21 reviews from 80 requests · average 4.4 ★");
    expect(page).toContain("Not shipped 7");
    expect(page).toContain("Apology 4 / 9 · 283.50 USD");
    expect(page).toContain("Set up Trustloop 2 of 4 done");
    expect(page).toContain("Figures are being updated");
  });

  it("reads well for a shop with no data at all", () => {
    const empty = text(emptyDashboardFixture);
    expect(empty).not.toMatch(/NaN|null|undefined|Infinity/);
    expect(empty).toContain("Repeat purchase rate — No new customer in this period yet");
    expect(empty).toContain("No cohorts yet.");
    expect(empty).toContain("No orders in this period yet.");
    expect(empty).toContain("No answers in this period yet");
    expect(empty).toContain("Set up Trustloop 0 of 4 done");
    expect(empty).not.toContain("Figures are being updated");
  });

  it("starts the cohort table at the shop's first customers", () => {
    const cohorts = dashboardFixture.figures.cohorts.map((c, i) =>
      i < 9 ? { ...c, customers: 0, within30: null, within60: null, within90: null, revenue90PerCustomerCents: null } : c,
    );
    const young = text({ ...dashboardFixture, figures: { ...dashboardFixture.figures, cohorts } });
    expect(young).not.toContain("Aug 2026");
    expect(young).toContain("Sep 2026 30 10.0 %");
  });

  it("hides the checklist once everything is done", () => {
    const done = text({ ...dashboardFixture, checklist: dashboardFixture.checklist.map((i) => ({ ...i, done: true })) });
    expect(done).not.toContain("Set up Trustloop");
  });
});
