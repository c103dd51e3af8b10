// One detractor case: the answer, its status and response time, and "close the loop" — a reply
// email to the customer. Everything the customer typed is rendered as text (React escapes it).
import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, FormLayout, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import type { CaseDetail } from "~/engine/nps/admin";
import type { ReplyResult } from "~/engine/nps/cases";

export type CaseActionData =
  { intent: "reply"; errors: Record<string, string | undefined>; result?: ReplyResult } | { intent: "status"; errors: Record<string, string | undefined> };

export function CaseStatusBadge({ status }: { status: string }) {
  if (status === "open") return <Badge tone="attention">Open</Badge>;
  if (status === "contacted") return <Badge tone="info">Contacted</Badge>;
  if (status === "resolved") return <Badge tone="success">Resolved</Badge>;
  return <Badge>{status}</Badge>;
}

export function ScoreBadge({ score }: { score: number }) {
  const tone = score >= 9 ? "success" : score >= 7 ? undefined : "critical";
  return <Badge tone={tone}>{`${score}/10`}</Badge>;
}

export function NpsCase({ c }: { c: CaseDetail }) {
  const reply = useFetcher<CaseActionData>({ key: `nps-reply-${c.id}` });
  const status = useFetcher<CaseActionData>({ key: `nps-status-${c.id}` });
  const [subject, setSubject] = useState(c.replySubject ?? c.suggestedSubject);
  const [body, setBody] = useState(c.replyBody ?? c.suggestedBody);
  const data = reply.state === "idle" && reply.data?.intent === "reply" ? reply.data : null;
  const result = data && "result" in data ? data.result : undefined;
  const move = (to: string) => status.submit({ intent: "status", caseId: c.id, status: to }, { method: "post" });

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <ScoreBadge score={c.score} />
            <CaseStatusBadge status={c.status} />
            <Text as="span" tone="subdued">
              {c.tenure}
            </Text>
          </InlineStack>
          <Text as="p">
            Answered {c.respondedAt} · order{" "}
            {c.orderId ? (
              <Link url={`/app/orders/${c.orderId}`} removeUnderline>
                {c.orderName}
              </Link>
            ) : (
              c.orderName
            )}
          </Text>
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <Text as="p" breakWord>
              <span style={{ whiteSpace: "pre-wrap" }}>{c.comment ?? "No comment."}</span>
            </Text>
          </Box>
          <Text as="p" tone="subdued">
            Opened {c.openedAt} · contacted {c.contactedAt} · resolved {c.resolvedAt} · response time {c.responseTime}
          </Text>
          <InlineStack gap="200">
            {c.status === "open" && (
              <Button onClick={() => move("contacted")} loading={status.state !== "idle"}>
                Mark as contacted
              </Button>
            )}
            {c.status !== "resolved" && (
              <Button onClick={() => move("resolved")} loading={status.state !== "idle"}>
                Mark as resolved
              </Button>
            )}
            {c.status === "resolved" && (
              <Button onClick={() => move("open")} loading={status.state !== "idle"}>
                Reopen
              </Button>
            )}
          </InlineStack>
        </BlockStack>
      </Card>

      <Card>
        <reply.Form method="post">
          <input type="hidden" name="intent" value="reply" />
          <input type="hidden" name="caseId" value={c.id} />
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Close the loop
            </Text>
            <Text as="p" tone="subdued">
              {c.email
                ? `Your reply goes to the customer (${c.email}) from your shop's sender name; their answer comes back to your reply-to address.`
                : "This order has no email address any more (the customer's data may have been redacted)."}
            </Text>
            {result?.status === "sent" && (
              <Banner tone="success" title={`Reply sent to ${result.to}`}>
                The case is marked as contacted.
              </Banner>
            )}
            {result && result.status !== "sent" && (
              <Banner
                tone={result.status === "unknown" ? "warning" : "critical"}
                title={result.status === "unknown" ? "The reply may not have been delivered" : "The reply was not sent"}
              >
                {result.reason}
              </Banner>
            )}
            <FormLayout>
              <TextField label="Subject" name="subject" value={subject} onChange={setSubject} autoComplete="off" error={data?.errors.subject} maxLength={200} />
              <TextField label="Message" name="body" value={body} onChange={setBody} autoComplete="off" multiline={8} error={data?.errors.body} />
            </FormLayout>
            <InlineStack align="end">
              <Button submit variant="primary" disabled={!c.email} loading={reply.state !== "idle"}>
                Send reply
              </Button>
            </InlineStack>
          </BlockStack>
        </reply.Form>
      </Card>
    </BlockStack>
  );
}
