// Journeys: the merchant's own sequences of emails (decision 045), with their status and 30-day
// figures; a new one starts blank or from a shipped example (created as a draft).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, InlineStack, Page, Text } from "@shopify/polaris";
import { adminContext } from "~/route-context.server";
import { listJourneys } from "~/engine/admin/journeys";
import { STATS_WINDOW_DAYS } from "~/engine/admin/flow-stats";
import { createExampleJourney, JOURNEY_EXAMPLES } from "~/engine/journeys/examples";
import { ListCard } from "~/components/ListCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, clock, db } = await adminContext(request);
  return {
    journeys: await listJourneys(db, shop.id, clock.now()),
    examples: JOURNEY_EXAMPLES.map((e) => ({ key: e.key, name: e.input.name, summary: e.summary })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, clock, db, redirect } = await adminContext(request);
  const form = await request.formData();
  if (form.get("intent") !== "example") throw new Response("Unknown intent", { status: 400 });
  const journey = await createExampleJourney(db, clock, shop, String(form.get("key") ?? ""));
  if (!journey) throw new Response("Unknown example", { status: 400 });
  return redirect(`/app/journeys/${journey.id}`);
};

const STATUS_TONE = { active: "success", paused: "attention", draft: undefined } as const;

export default function Journeys() {
  const { journeys, examples } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Journeys"
      subtitle={`Sequences of emails after an order or a delivery. Figures cover the last ${STATS_WINDOW_DAYS} days.`}
      backAction={{ url: "/app" }}
      primaryAction={{ content: "Create journey", url: "/app/journeys/new" }}
    >
      <BlockStack gap="400">
        {journeys.length === 0 && (
          <Card>
            <EmptyState heading="No journeys yet" image="">
              <p>Build one from scratch or start from an example below.</p>
            </EmptyState>
          </Card>
        )}
        {journeys.map((j) => (
          <ListCard
            key={j.id}
            url={`/app/journeys/${j.id}`}
            name={j.name}
            badges={
              <>
                <Badge tone={STATUS_TONE[j.status]}>{j.status}</Badge>
                <Badge>{j.category}</Badge>
              </>
            }
            details={`${j.trigger} · ${j.steps} ${j.steps === 1 ? "step" : "steps"}`}
            aside={<Text as="p">{`Sent ${j.sent} · Clicks ${j.clicks}`}</Text>}
          />
        ))}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Start from an example
            </Text>
            {examples.map((e) => (
              <Form method="post" key={e.key}>
                <input type="hidden" name="intent" value="example" />
                <input type="hidden" name="key" value={e.key} />
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <BlockStack gap="050">
                    <Text as="p" fontWeight="semibold">
                      {e.name}
                    </Text>
                    <Text as="p" tone="subdued">
                      {e.summary}
                    </Text>
                  </BlockStack>
                  <Button submit accessibilityLabel={`Start from ${e.name}`}>
                    Use this example
                  </Button>
                </InlineStack>
              </Form>
            ))}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
