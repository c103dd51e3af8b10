// A flow's lift: treated vs holdout repeat rate, its 95 % interval, the sample sizes and a
// verdict; "not enough data yet" (with the sample sizes so far) when the groups are too small.
import { Badge, BlockStack, Text } from "@shopify/polaris";
import type { Lift } from "~/engine/dashboard/types";
import { liftSamples, liftSummary, VERDICTS } from "./format";

export function LiftCell({ lift, holdoutPercent }: { lift: Lift; holdoutPercent: number }) {
  const verdict = VERDICTS[lift.verdict];
  if (lift.verdict === "not_enough_data" || lift.difference === null) {
    return (
      <BlockStack gap="050" inlineAlign="start">
        <Text as="p" tone="subdued">
          not enough data yet · {liftSamples(lift)}
        </Text>
        {holdoutPercent === 0 ? (
          <Text as="p" variant="bodySm" tone="subdued">
            No holdout group: set one on the flow to measure lift.
          </Text>
        ) : null}
      </BlockStack>
    );
  }
  return (
    <BlockStack gap="050" inlineAlign="start">
      <Text as="p">
        {liftSummary(lift)} · {liftSamples(lift)}
      </Text>
      <Badge tone={verdict.tone}>{verdict.label}</Badge>
    </BlockStack>
  );
}
