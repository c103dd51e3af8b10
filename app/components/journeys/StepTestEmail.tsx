// A journey step's test email: the step as saved (subject and body) rendered with the sample order
// and sent to the shop's own address or the signed-in staff member's, within the shop's hourly
// allowance shared with the flow editor. Says where it went, or why not.
import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Select, Text } from "@shopify/polaris";
import type { JourneyActionResult, StepValues } from "~/engine/admin/journeys";

interface Props {
  /** 1, 2, 3… as the journey numbers its steps. */
  step: number;
  /** The step as last saved (none: not saved yet); `current` is the form's. */
  saved: StepValues | undefined;
  current: StepValues;
  recipients: string[];
  limit: number;
}

export function StepTestEmail({ step, saved, current, recipients, limit }: Props) {
  const [to, setTo] = useState(recipients[0] ?? "");
  const test = useFetcher<JourneyActionResult>({ key: `journey-test-${step}` });
  const result = test.data?.test;
  const changed = saved && (saved.subject !== current.subject || saved.body !== current.body);
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="end">
        <Select
          label={`Test email of step ${step} to`}
          options={recipients}
          value={to}
          onChange={setTo}
          disabled={!saved || recipients.length === 0}
          error={test.data?.errors.to}
        />
        <Button
          disabled={!saved || recipients.length === 0}
          loading={test.state !== "idle"}
          onClick={() => test.submit({ intent: "test", step: String(step), to }, { method: "post" })}
        >
          {`Send test of step ${step}`}
        </Button>
      </InlineStack>
      <Text as="p" variant="bodySm" tone="subdued">
        {!saved
          ? "Save the journey to send this step as a test."
          : `Sends the step as saved${changed ? " (save first to test your changes)" : ""}, with a sample order; at most ${limit} test emails per hour for the shop.`}
      </Text>
      {result?.status === "sent" && <Banner tone="success">{`Test email of step ${step} sent to ${result.to}.`}</Banner>}
      {result?.status === "failed" && <Banner tone="critical">{`Test email not sent: ${result.reason}`}</Banner>}
      {result?.status === "limited" && (
        <Banner tone="warning">
          {`Test email not sent: this shop has sent ${result.limit} test emails in the last hour. Try again in ${result.retryInMinutes} minute${result.retryInMinutes === 1 ? "" : "s"}.`}
        </Banner>
      )}
    </BlockStack>
  );
}
