// Shipping delays in the admin: the order page's "Delays" card (incidents, notice, apology code) and
// the small pieces the Delays page shares with it.
import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { DelayIncidentRow } from "~/engine/admin/delays";
import { MessageStatusBadge } from "./MessageStatusBadge";
import { Entry, Section } from "./Section";

type Row = DelayIncidentRow;

const CODE_TONES: Record<string, "success" | "info" | "critical" | undefined> = { created: "success", pending: "info", failed: "critical" };

export function DelayCodeBadge({ code }: { code: NonNullable<Row["code"]> }) {
  if (code.redeemedAt) return <Badge tone="success">redeemed</Badge>;
  return <Badge tone={CODE_TONES[code.status]}>{code.status === "created" ? "issued" : code.status}</Badge>;
}

/** The notice of an incident in words: status badge + when/why. */
export function DelayNotice({ notice }: { notice: Row["notice"] }) {
  if (!notice)
    return (
      <Text as="span" tone="subdued">
        no notice planned
      </Text>
    );
  return (
    <BlockStack gap="050" inlineAlign="start">
      <MessageStatusBadge status={notice.status} />
      {notice.sentAt && (
        <Text as="span" tone="subdued" variant="bodySm">
          {notice.sentAt}
        </Text>
      )}
      {notice.reason && (
        <Text as="span" tone="subdued" variant="bodySm" breakWord>
          {notice.reason}
        </Text>
      )}
    </BlockStack>
  );
}

/** The apology code of an incident in words. */
export function DelayCode({ code }: { code: Row["code"] }) {
  if (!code)
    return (
      <Text as="span" tone="subdued">
        —
      </Text>
    );
  const detail = [
    `${code.value} off`,
    code.status === "created" && !code.redeemedAt ? `until ${code.endsAt}` : null,
    code.redeemedAt ? `used ${code.redeemedAt}${code.redeemedRevenue ? ` on an order of ${code.redeemedRevenue}` : ""}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <BlockStack gap="050" inlineAlign="start">
      <InlineStack gap="100" blockAlign="center">
        <Text as="span" fontWeight="semibold">
          {code.code}
        </Text>
        <DelayCodeBadge code={code} />
      </InlineStack>
      <Text as="span" tone="subdued" variant="bodySm">
        {detail}
      </Text>
      {code.status === "failed" && code.error && (
        <Text as="span" tone="critical" variant="bodySm" breakWord>
          {code.error}
        </Text>
      )}
    </BlockStack>
  );
}

/** The order page's "Delays" card. Renders nothing when the order never had a delay. */
export function DelayTimeline({ incidents }: { incidents: Row[] }) {
  if (!incidents.length) return null;
  return (
    <Section title="Delays" gap="400">
      {incidents.map((i) => (
        <Entry
          key={i.id}
          title={i.causeLabel}
          gap="100"
          aside={
            <>
              {i.resolvedAt ? <Badge>resolved</Badge> : <Badge tone="warning">open</Badge>}
              <Text as="span" tone="subdued">
                detected {i.detectedAt}
              </Text>
            </>
          }
        >
          {i.detail && <Text as="p">{i.detail}</Text>}
          {i.expectedAt && <Text as="p">New expectation: {i.expectedAt}</Text>}
          {i.resolvedAt && (
            <Text as="p" tone="subdued">
              Resolved {i.resolvedAt}
            </Text>
          )}
          <InlineStack gap="200" blockAlign="center">
            <Text as="span">Notice:</Text>
            <DelayNotice notice={i.notice} />
          </InlineStack>
          <InlineStack gap="200" blockAlign="center">
            <Text as="span">Apology code:</Text>
            <DelayCode code={i.code} />
          </InlineStack>
        </Entry>
      ))}
    </Section>
  );
}
