// Retention by monthly cohort: of the customers whose first order fell in a month, the share
// who ordered again within 30 / 60 / 90 days, and their average revenue over those 90 days.
// A deeper tint is a higher return rate; figures whose window is not over yet are subdued.
import type { ReactNode } from "react";
import { Text } from "@shopify/polaris";
import { TableCard } from "../Section";
import type { CohortRow } from "~/engine/dashboard/types";
import { count, heatTint, money, monthLabel, percent } from "./format";

function Cell({ children, maturing, tint }: { children: ReactNode; maturing: boolean; tint?: string }) {
  return (
    <div style={{ display: "inline-block", minWidth: 72, padding: "2px 6px", borderRadius: 6, background: maturing ? undefined : tint }}>
      <Text as="p" tone={maturing ? "subdued" : undefined}>
        {children}
      </Text>
      {maturing ? (
        <Text as="p" variant="bodyXs" tone="subdued">
          still maturing
        </Text>
      ) : null}
    </div>
  );
}

const rate = (value: number | null, maturing: boolean) => (
  <Cell maturing={maturing && value !== null} tint={heatTint(value)}>
    {percent(value)}
  </Cell>
);

/** Months before the shop's first customer say nothing: the table starts at the first cohort. */
const fromFirstCustomer = (cohorts: CohortRow[]) =>
  cohorts.slice(
    Math.max(
      0,
      cohorts.findIndex((c) => c.customers > 0),
    ),
  );

export function CohortTable({ cohorts, currency }: { cohorts: CohortRow[]; currency: string }) {
  const shown = cohorts.some((c) => c.customers > 0) ? fromFirstCustomer(cohorts) : [];
  const rows = shown.map((c) => [
    monthLabel(c.month),
    count(c.customers),
    rate(c.within30, c.maturing.d30),
    rate(c.within60, c.maturing.d60),
    rate(c.within90, c.maturing.d90),
    <Cell key="revenue" maturing={c.maturing.d90 && c.revenue90PerCustomerCents !== null}>
      {money(c.revenue90PerCustomerCents, currency)}
    </Cell>,
  ]);
  return (
    <TableCard
      title="Retention by monthly cohort"
      empty="No cohorts yet. Each month of first orders becomes a row here as soon as customers buy, or once your order history is imported."
      intro="Customers grouped by the month of their first order: the share who ordered again within 30, 60 and 90 days, and their average revenue in those 90 days (an early lifetime-value measure)."
      testId="cohort-table"
      footnote="Figures marked “still maturing” can still grow: the window has not ended yet for the cohort’s latest customers."
      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
      headings={["First order in", "Customers", "Back within 30 days", "60 days", "90 days", "Revenue per customer, 90 days"]}
      rows={rows}
    />
  );
}
