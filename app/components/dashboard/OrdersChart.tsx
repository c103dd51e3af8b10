// Orders and new customers over the selected period (Polaris Viz, browser only): per day for
// 30 days, per week beyond.
import { Text } from "@shopify/polaris";
import type { DaySeriesPoint } from "~/engine/dashboard/types";
import { ChartFrame } from "../ChartFrame";
import { Section } from "../Section";
import { dayLabel, weeklySeries } from "./format";

const WEEKLY_FROM_DAYS = 45;

export function OrdersChart({ series }: { series: DaySeriesPoint[] }) {
  const weekly = series.length > WEEKLY_FROM_DAYS;
  const points = weekly ? weeklySeries(series) : series;
  const key = (p: DaySeriesPoint) => (weekly ? `Week of ${dayLabel(p.day)}` : dayLabel(p.day));
  const data = [
    { name: "Orders", data: points.map((p) => ({ key: key(p), value: p.orders })) },
    { name: "New customers", data: points.map((p) => ({ key: key(p), value: p.newCustomers })) },
  ];
  const empty = series.every((p) => p.orders === 0 && p.newCustomers === 0);
  return (
    <Section title="Orders and new customers">
      <ChartFrame height={260} testId="orders-chart" empty={empty ? "No orders in this period yet. They appear here day by day as customers buy." : null}>
        {({ LineChart }) => (
          <LineChart
            theme="Light"
            isAnimated={false}
            data={data}
            xAxisOptions={{ labelFormatter: (v) => String(v ?? "").replace(/^Week of /, "") }}
            yAxisOptions={{ integersOnly: true }}
          />
        )}
      </ChartFrame>
      <Text as="p" variant="bodySm" tone="subdued">
        Orders placed each {weekly ? "week (weeks ending today)" : "day"}, and the customers among them who ordered for the first time.
      </Text>
    </Section>
  );
}
