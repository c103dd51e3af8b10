// Going live: who would enter now and what would fall due in the next 7 days, and whether past
// orders whose steps are still ahead should enter too. An active journey can be paused.
import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Text } from "@shopify/polaris";
import type { JourneyPreview } from "~/engine/journeys/preview";
import type { JourneyActionResult } from "~/engine/admin/journeys";

export function JourneyActivation({ status, entry }: { status: string; entry: JourneyPreview | null }) {
  const [sendHistory, setSendHistory] = useState(false);
  const fetcher = useFetcher<JourneyActionResult>({ key: "journey-status" });
  if (status === "active") {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="p">This journey is live: customers who match enter it when its trigger happens.</Text>
          <Button tone="critical" loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "pause" }, { method: "post" })}>
            Pause journey
          </Button>
        </BlockStack>
      </Card>
    );
  }
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Activate
        </Text>
        {entry && (
          <Text as="p" id="journey-entry">
            {`${entry.customers} ${entry.customers === 1 ? "customer" : "customers"} would enter now (${entry.basis}); ${entry.dueNext7Days} step ${entry.dueNext7Days === 1 ? "email" : "emails"} would be due in the next 7 days if past orders were included.`}
            {entry.productTagsUnchecked ? " Product tags and collections are checked when each email goes out." : ""}
          </Text>
        )}
        {entry?.historyPossible === false ? (
          <Text as="p" tone="subdued">
            A tier reached is a moment: only customers who reach it from now on enter.
          </Text>
        ) : (
          <Checkbox
            label="Also send for past orders whose steps are still ahead"
            helpText="Otherwise only orders from now on enter. Steps already due are never sent late."
            checked={sendHistory}
            onChange={setSendHistory}
          />
        )}
        {fetcher.data?.intent === "activate" && (
          <Banner
            tone="success"
            title={fetcher.data.historyQueued ? "Journey active: past orders whose steps are still ahead are being planned" : "Journey active"}
          />
        )}
        <Button
          variant="primary"
          loading={fetcher.state !== "idle"}
          onClick={() => fetcher.submit({ intent: "activate", sendHistory: String(sendHistory) }, { method: "post" })}
        >
          Activate journey
        </Button>
      </BlockStack>
    </Card>
  );
}
