// Per flow in the period: what was planned, sent, held out and skipped (and why), what it
// brought back (clicks, orders within 7 days of a click, their revenue), and its measured lift.
// A journey is one line (its steps summed), linked to its builder.
import { BlockStack, Link, Text } from "@shopify/polaris";
import { TableCard } from "../Section";
import type { FlowFigures } from "~/engine/dashboard/types";
import { count, money } from "./format";
import { LiftCell } from "./LiftCell";

function FlowName({ flow }: { flow: FlowFigures }) {
  return (
    <BlockStack gap="050" inlineAlign="start">
      <Text as="p" fontWeight="medium">
        {flow.journeyId ? (
          <Link url={`/app/journeys/${flow.journeyId}`} removeUnderline>
            {flow.name}
          </Link>
        ) : (
          flow.name
        )}
      </Text>
      <Text as="p" variant="bodySm" tone="subdued">
        {flow.journeyId ? "Journey · " : ""}
        {flow.enabled ? "" : "Off · "}
        {flow.holdoutPercent ? `${flow.holdoutPercent} % held out` : "No holdout"}
      </Text>
    </BlockStack>
  );
}

function Skipped({ flow }: { flow: FlowFigures }) {
  const top = [...flow.skipReasons].sort((a, b) => b.count - a.count).slice(0, 2);
  return (
    <BlockStack gap="050" inlineAlign="end">
      <Text as="p" numeric>
        {count(flow.skipped)}
      </Text>
      {top.map((r) => (
        <Text as="p" key={r.reason} variant="bodySm" tone="subdued">
          {r.reason} ({count(r.count)})
        </Text>
      ))}
    </BlockStack>
  );
}

export function FlowTable({ flows, currency }: { flows: FlowFigures[]; currency: string }) {
  const rows = flows.map((f) => [
    <FlowName key="name" flow={f} />,
    count(f.scheduled),
    count(f.sent),
    count(f.heldOut),
    <Skipped key="skipped" flow={f} />,
    count(f.clicks),
    count(f.attributedOrders),
    money(f.attributedRevenueCents, currency),
    <LiftCell key="lift" lift={f.lift} holdoutPercent={f.holdoutPercent} />,
  ]);
  return (
    <TableCard
      title="Flow performance"
      empty="No flows yet. The preset flows are created when the app is installed."
      intro="Attributed orders: placed within 7 days of a click in the flow’s email. Lift: the repeat purchase rate of customers who got the flow minus that of its holdout group (left out at random), with its 95 % confidence interval and the two sample sizes; an interval that spans zero is not proof yet."
      testId="flow-table"
      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
      headings={["Flow", "Scheduled", "Sent", "Held out", "Skipped", "Clicks", "Orders", "Revenue", "Lift vs holdout"]}
      rows={rows}
      verticalAlign="top"
    />
  );
}
