// Flows: every preset flow of the shop (journey steps live on the Journeys pages) with its timing,
// holdout, on/off switch and 30-day figures.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineGrid, InlineStack, Page, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { adminContext } from "~/route-context.server";
import { listFlows } from "~/engine/admin/flows";
import { STATS_WINDOW_DAYS } from "~/engine/admin/flow-stats";
import { formatMinorUnits } from "~/engine/util/money";
import { Figure } from "~/components/Figure";
import { ListCard } from "~/components/ListCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, clock } = await adminContext(request);
  return { flows: await listFlows(db, shop.id, clock.now()), currency: shop.currency };
};

type FlowRow = Awaited<ReturnType<typeof listFlows>>[number];
const CATEGORY_TONE = { service: "info", survey: "attention", marketing: "magic" } as const;

function Toggle({ flow }: { flow: FlowRow }) {
  const fetcher = useFetcher({ key: `toggle-${flow.id}` });
  // Optimistic: show the state being submitted until the list reloads.
  const enabled = fetcher.formData ? fetcher.formData.get("enabled") === "true" : flow.enabled;
  return (
    <InlineStack gap="200" blockAlign="center">
      {enabled ? <Badge tone="success">on</Badge> : <Badge>off</Badge>}
      <Button
        size="slim"
        accessibilityLabel={`${enabled ? "Turn off" : "Turn on"} ${flow.name}`}
        loading={fetcher.state !== "idle"}
        onClick={() => fetcher.submit({ intent: "toggle", enabled: String(!enabled) }, { method: "post", action: `/app/flows/${flow.id}` })}
      >
        {enabled ? "Turn off" : "Turn on"}
      </Button>
    </InlineStack>
  );
}

export default function Flows() {
  const { flows, currency } = useLoaderData<typeof loader>();
  return (
    <Page title="Flows" subtitle={`Figures cover the last ${STATS_WINDOW_DAYS} days.`} backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        {flows.map((f) => (
          <ListCard
            key={f.id}
            url={`/app/flows/${f.id}`}
            name={f.name}
            badges={<Badge tone={CATEGORY_TONE[f.category as keyof typeof CATEGORY_TONE]}>{f.category}</Badge>}
            details={`Trigger: ${f.trigger.replace(/_/g, " ")} · ${f.timing} · holdout ${f.holdoutPercent} %`}
            aside={<Toggle flow={f} />}
          >
            <InlineGrid columns={{ xs: 3, md: 6 }} gap="300">
              <Figure inline label="Waiting" value={f.stats.scheduled} />
              <Figure inline label="Sent" value={f.stats.sent} />
              <Figure inline label="Skipped" value={f.stats.skipped} />
              <Figure inline label="Clicks" value={f.stats.clicks} />
              <Figure inline label="Attributed orders" value={f.stats.attributedOrders} />
              <Figure inline label="Revenue" value={`${formatMinorUnits(f.stats.revenueCents, currency)} ${currency}`} />
            </InlineGrid>
            {f.stats.topSkipReasons.length > 0 && (
              <Box>
                <Text as="p" variant="bodySm" tone="subdued">
                  Top skip reasons: {f.stats.topSkipReasons.map((r) => `${r.reason} (${r.count})`).join(" · ")}
                </Text>
              </Box>
            )}
          </ListCard>
        ))}
      </BlockStack>
    </Page>
  );
}
