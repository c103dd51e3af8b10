// NPS by week as a Polaris Viz line chart (drawn in the browser only, see ChartFrame).
import { ChartFrame } from "./ChartFrame";
import { dayLabel } from "./dashboard/format";

export interface TrendPoint {
  week: string; // Monday, YYYY-MM-DD
  nps: number | null;
  responses: number;
}

const HEIGHT = 260;
const shortDate = (isoDay: string) => dayLabel(isoDay);

export function NpsTrendChart({ points }: { points: TrendPoint[] }) {
  // Weeks without answers are left out (a null would break the line into isolated dots).
  const answered = points.filter((p) => p.nps !== null);
  return (
    <ChartFrame height={HEIGHT} testId="nps-trend-chart" empty={answered.length ? null : "No answers in this period yet."}>
      {({ LineChart }) => (
        <LineChart
          theme="Light"
          showLegend={false}
          isAnimated={false}
          data={[{ name: "NPS", data: answered.map((p) => ({ key: `Week of ${shortDate(p.week)}`, value: p.nps })) }]}
          xAxisOptions={{ labelFormatter: (v) => String(v ?? "").replace(/^Week of /, "") }}
          yAxisOptions={{ integersOnly: true, ticksOverride: [-100, -50, 0, 50, 100], labelFormatter: (v) => String(v ?? "") }}
        />
      )}
    </ChartFrame>
  );
}
