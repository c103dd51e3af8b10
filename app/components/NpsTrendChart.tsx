// NPS by week as a Polaris Viz line chart. Polaris Viz reads `window` while rendering, so it
// cannot render on the server: the chart is loaded and mounted in the browser only, after
// hydration; the server (and the first client render) show a same-sized placeholder.
import { Box, Text } from "@shopify/polaris";
import { dayLabel } from "./dashboard/format";
import { useVizModule } from "./useVizModule";
export interface TrendPoint {
  week: string; // Monday, YYYY-MM-DD
  nps: number | null;
  responses: number;
}

const HEIGHT = 260;
const shortDate = (isoDay: string) => dayLabel(isoDay);

export function NpsTrendChart({ points }: { points: TrendPoint[] }) {
  const { viz, failed } = useVizModule();

  if (points.every((p) => p.nps === null)) {
    return (
      <Box minHeight={`${HEIGHT}px`}>
        <Text as="p" tone="subdued">
          No answers in this period yet.
        </Text>
      </Box>
    );
  }
  if (!viz) {
    return (
      <Box minHeight={`${HEIGHT}px`}>
        <Text as="p" tone="subdued">
          {failed ? "The chart could not be loaded." : "Loading the chart…"}
        </Text>
      </Box>
    );
  }
  const { PolarisVizProvider, LineChart } = viz;
  return (
    <PolarisVizProvider>
      <div style={{ height: HEIGHT }} data-testid="nps-trend-chart">
        <LineChart
          theme="Light"
          showLegend={false}
          isAnimated={false}
          // Weeks without answers are left out (a null would break the line into isolated dots).
          data={[{ name: "NPS", data: points.filter((p) => p.nps !== null).map((p) => ({ key: `Week of ${shortDate(p.week)}`, value: p.nps })) }]}
          xAxisOptions={{ labelFormatter: (v) => String(v ?? "").replace(/^Week of /, "") }}
          yAxisOptions={{ integersOnly: true, ticksOverride: [-100, -50, 0, 50, 100], labelFormatter: (v) => String(v ?? "") }}
        />
      </div>
    </PolarisVizProvider>
  );
}
