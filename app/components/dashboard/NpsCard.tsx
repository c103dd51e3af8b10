// NPS in the period: the score, the three groups, and the 0–10 answers as a bar chart.
import { Text } from "@shopify/polaris";
import type { DashboardFigures } from "~/engine/dashboard/types";
import { ChartFrame } from "../ChartFrame";
import { count, DASH, plural } from "./format";
import { MetricCard } from "./MetricCard";

const signed = (score: number | null) => (score === null ? DASH : score > 0 ? `+${score}` : String(score).replace("-", "−"));

export function NpsCard({ nps }: { nps: DashboardFigures["nps"] }) {
  const data = [{ name: "Answers", data: nps.distribution.map((n, score) => ({ key: String(score), value: n })) }];
  return (
    <MetricCard
      title="NPS"
      value={signed(nps.score)}
      detail={
        nps.responses
          ? `${count(nps.promoters)} promoters · ${count(nps.passives)} passives · ${count(nps.detractors)} detractors (${plural(nps.responses, "answer", "answers")})`
          : "No answers in this period yet"
      }
      definition="% of promoters (9–10) minus % of detractors (0–6) among the survey answers in this period."
    >
      {nps.responses ? (
        <ChartFrame height={180} testId="nps-distribution-chart">
          {({ BarChart }) => <BarChart theme="Light" isAnimated={false} showLegend={false} data={data} yAxisOptions={{ integersOnly: true }} />}
        </ChartFrame>
      ) : (
        <Text as="p" variant="bodySm" tone="subdued">
          The survey goes out 14 days after delivery; answers show up here.
        </Text>
      )}
    </MetricCard>
  );
}
