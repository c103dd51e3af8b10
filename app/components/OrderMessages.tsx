// The order timeline's "Messages" card: every message, every event, and why.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import type { orderMessages } from "~/engine/admin/timeline";
import { MessageStatusBadge } from "./MessageStatusBadge";
import { Entry, Note, Section } from "./Section";

type Message = Awaited<ReturnType<typeof orderMessages>>[number];

function ResendButton({ messageId }: { messageId: string }) {
  const fetcher = useFetcher<{ errors: Record<string, string> }>({ key: `resend-${messageId}` });
  return (
    <BlockStack gap="100">
      <InlineStack>
        <Button loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "resend", messageId }, { method: "post" })}>
          Send again
        </Button>
      </InlineStack>
      {fetcher.data?.errors?.messageId && (
        <Text as="p" tone="critical">
          {fetcher.data.errors.messageId}
        </Text>
      )}
    </BlockStack>
  );
}

export function OrderMessages({ messages }: { messages: Message[] }) {
  return (
    <Section title="Messages" gap="400">
      {messages.length === 0 && <Note>No messages planned for this order.</Note>}
      {messages.map((m) => (
        <Entry
          key={m.id}
          title={m.flow}
          aside={
            <>
              <MessageStatusBadge status={m.status} />
              <Text as="span" tone="subdued">
                {m.sent ? `sent ${m.sent}` : `due ${m.due}${m.sendAt ? ` · next attempt ${m.sendAt}` : ""}`}
                {m.language && ` · in ${m.language}`}
              </Text>
            </>
          }
        >
          {m.reason && <Text as="p">{m.reason}</Text>}
          {m.status === "unknown" && (
            <Banner tone="warning">
              <BlockStack gap="200">
                <Text as="p">
                  The mail server connection dropped after the email was handed over; it may have been delivered. Trustloop will not resend it automatically.
                </Text>
                <ResendButton messageId={m.id} />
              </BlockStack>
            </Banner>
          )}
          <BlockStack gap="050">
            {m.events.map((e) => (
              <Text as="p" tone="subdued" variant="bodySm" key={e.id}>
                {e.at} · {e.status.replace(/_/g, " ")}
                {e.reason ? ` — ${e.reason}` : ""}
              </Text>
            ))}
          </BlockStack>
        </Entry>
      ))}
    </Section>
  );
}
