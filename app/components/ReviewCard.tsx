// One review in Admin › Reviews: stars, the customer's words (always rendered as text), its status,
// and the moderation controls (publish / hide with a reason / reply publicly / delete).
import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import type { ReviewRow } from "~/engine/reviews/moderation";

export function Stars({ rating }: { rating: number }) {
  return (
    <span aria-label={`${rating} out of 5 stars`} title={`${rating} out of 5`} style={{ color: "#ffb800", letterSpacing: 1 }}>
      {"★".repeat(rating)}
      <span style={{ color: "#c9cccf" }}>{"★".repeat(5 - rating)}</span>
    </span>
  );
}

const STATUS_TONE = { published: "success", pending: "attention", hidden: undefined } as const;

export function ReviewStatusBadge({ status }: { status: string }) {
  const tone = STATUS_TONE[status as keyof typeof STATUS_TONE];
  const label = status === "pending" ? "Awaiting moderation" : status.charAt(0).toUpperCase() + status.slice(1);
  return <Badge tone={tone}>{label}</Badge>;
}

export function ReviewCard({ review }: { review: ReviewRow }) {
  const fetcher = useFetcher<{ ok: boolean; error?: string }>();
  const [mode, setMode] = useState<"none" | "hide" | "reply">("none");
  const [reason, setReason] = useState("");
  const [reply, setReply] = useState(review.reply ?? "");
  const busy = fetcher.state !== "idle";
  const submit = (fields: Record<string, string>) => {
    fetcher.submit({ id: review.id, ...fields }, { method: "post" });
    setMode("none");
  };

  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="050">
            <Text as="h3" variant="headingSm">
              {review.productTitle}
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Stars rating={review.rating} />
              <Text as="span" tone="subdued" variant="bodySm">
                {review.authorName}
                {review.verifiedBuyer ? " · Verified buyer" : ""} · {review.submittedAt}
                {review.orderName && review.orderId ? " · " : ""}
              </Text>
              {review.orderName && review.orderId ? (
                <Link url={`/app/orders/${review.orderId}`} removeUnderline>
                  {review.orderName}
                </Link>
              ) : null}
            </InlineStack>
          </BlockStack>
          <ReviewStatusBadge status={review.status} />
        </InlineStack>
        {review.title ? (
          <Text as="p" fontWeight="semibold" breakWord>
            {review.title}
          </Text>
        ) : null}
        {review.body ? (
          <Text as="p" breakWord>
            <span style={{ whiteSpace: "pre-wrap" }}>{review.body}</span>
          </Text>
        ) : null}
        {review.status === "hidden" && review.hiddenReason ? (
          <Text as="p" tone="subdued">
            Hidden: {review.hiddenReason}
          </Text>
        ) : null}
        {review.reply ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <Text as="p" variant="bodySm" tone="subdued">
              Your public reply
            </Text>
            <Text as="p" breakWord>
              <span style={{ whiteSpace: "pre-wrap" }}>{review.reply}</span>
            </Text>
          </Box>
        ) : null}
        {fetcher.data && !fetcher.data.ok ? (
          <Text as="p" tone="critical">
            {fetcher.data.error}
          </Text>
        ) : null}

        {mode === "hide" ? (
          <InlineStack gap="200" blockAlign="end">
            <div style={{ flex: 1 }}>
              <TextField
                label="Why hide this review?"
                value={reason}
                onChange={setReason}
                autoComplete="off"
                helpText="Kept with the review, not shown to shoppers."
              />
            </div>
            <Button onClick={() => submit({ intent: "hide", reason })} disabled={!reason.trim() || busy} variant="primary">
              Hide review
            </Button>
            <Button onClick={() => setMode("none")}>Cancel</Button>
          </InlineStack>
        ) : null}
        {mode === "reply" ? (
          <BlockStack gap="200">
            <TextField label="Public reply" value={reply} onChange={setReply} multiline={3} autoComplete="off" maxLength={2000} />
            <InlineStack gap="200">
              <Button onClick={() => submit({ intent: "reply", reply })} disabled={busy} variant="primary">
                Save reply
              </Button>
              <Button onClick={() => setMode("none")}>Cancel</Button>
            </InlineStack>
          </BlockStack>
        ) : null}
        {mode === "none" ? (
          <InlineStack gap="200">
            {review.status !== "published" ? (
              <Button onClick={() => submit({ intent: "publish" })} disabled={busy}>
                Publish
              </Button>
            ) : null}
            {review.status !== "hidden" ? (
              <Button onClick={() => setMode("hide")} disabled={busy}>
                Hide…
              </Button>
            ) : null}
            <Button onClick={() => setMode("reply")} disabled={busy}>
              {review.reply ? "Edit reply" : "Reply publicly"}
            </Button>
            <Button
              tone="critical"
              variant="plain"
              disabled={busy}
              onClick={() => {
                if (window.confirm("Delete this review for good? Prefer hiding it unless the customer asked.")) submit({ intent: "delete" });
              }}
            >
              Delete
            </Button>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
