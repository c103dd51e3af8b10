// The rating distribution (published reviews, 5★ to 1★) as a Polaris Viz bar chart. Polaris Viz
// reads `window` while rendering, so it is loaded and mounted in the browser only; the server
// (and a browser without scripts) renders the same figures as a plain list.
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { useVizModule } from "./useVizModule";

export interface Distribution {
  stars: number;
  count: number;
}

export function ReviewRatingChart({ distribution }: { distribution: Distribution[] }) {
  const { viz } = useVizModule(); // when it fails to load, the list below stays

  const total = distribution.reduce((sum, d) => sum + d.count, 0);
  const data = [{ name: "Published reviews", data: [...distribution].sort((a, b) => a.stars - b.stars).map((d) => ({ key: `${d.stars} ★`, value: d.count })) }];
  return (
    <BlockStack gap="200">
      <div style={{ height: 220 }} data-testid="rating-chart" aria-hidden={viz ? undefined : true}>
        {viz ? (
          <viz.PolarisVizProvider>
            <viz.BarChart data={data} theme="Light" showLegend={false} yAxisOptions={{ integersOnly: true }} emptyStateText="No published review yet" />
          </viz.PolarisVizProvider>
        ) : null}
      </div>
      <InlineStack gap="300">
        {distribution.map((d) => (
          <Text as="span" key={d.stars} tone="subdued" variant="bodySm">
            {d.stars}★ {d.count}
            {total ? ` (${Math.round((100 * d.count) / total)} %)` : ""}
          </Text>
        ))}
      </InlineStack>
    </BlockStack>
  );
}
