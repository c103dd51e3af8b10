// A chart's fixed-height frame: the Polaris Viz chart once loaded in the browser, a short note
// meanwhile (server render, first client render) or when there is nothing to draw.
import type { ReactNode } from "react";
import { Box, Text } from "@shopify/polaris";
import { useVizModule, type VizModule } from "./useVizModule";

interface Props {
  height: number;
  testId: string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
  children: (viz: VizModule) => ReactNode;
}

export function ChartFrame({ height, testId, empty, children }: Props) {
  const { viz, failed } = useVizModule();
  if (empty) {
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  }
  if (!viz) {
    return (
      <Box minHeight={`${height}px`}>
        <Text as="p" tone="subdued">
          {failed ? "The chart could not be loaded." : "Loading the chart…"}
        </Text>
      </Box>
    );
  }
  return (
    <viz.PolarisVizProvider>
      <div style={{ height }} data-testid={testId}>
        {children(viz)}
      </div>
    </viz.PolarisVizProvider>
  );
}
