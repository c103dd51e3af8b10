// The headline: do customers come back (repeat rate, time to second order), and the volume
// behind it (new customers, orders, revenue) in the selected period.
import { InlineGrid } from "@shopify/polaris";
import type { DashboardFigures } from "~/engine/dashboard/types";
import { count, days, money, percent, plural } from "./format";
import { MetricCard } from "./MetricCard";

export function KpiCards({ figures, currency }: { figures: DashboardFigures; currency: string }) {
  const { customers, orders } = figures;
  const { repeatRate } = customers;
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
      <MetricCard
        title="Repeat purchase rate"
        value={percent(repeatRate.rate)}
        detail={
          repeatRate.denominator
            ? `${count(repeatRate.numerator)} of ${plural(repeatRate.denominator, "new customer", "new customers")} ordered again`
            : "No new customer in this period yet"
        }
        definition="Of the customers whose first order fell in this period, the share who have ordered again since."
      />
      <MetricCard
        title="Time to second order"
        value={days(customers.medianDaysToSecondOrder)}
        detail={customers.medianDaysToSecondOrder === null ? "No second order yet" : "median"}
        definition="Median days from a customer's first order to their second, among those who came back."
      />
      <MetricCard
        title="New customers"
        value={count(customers.newCustomers)}
        definition="Customers who placed their first order with the shop in this period."
      />
      <MetricCard
        title="Orders"
        value={count(orders.count)}
        detail={`${money(orders.revenueCents, currency)} revenue`}
        definition="Orders placed in this period and their revenue, refunds deducted."
      />
    </InlineGrid>
  );
}
