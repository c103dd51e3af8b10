// The per-order timeline's NPS card: the customer's answer, linked to admin › NPS (and its case).
import { BlockStack, Card, InlineStack, Link, Text } from "@shopify/polaris";
import { CaseStatusBadge, ScoreBadge } from "./NpsCase";

export interface NpsOrderAnswerView {
  score: number;
  comment: string | null;
  respondedAt: string;
  caseId: string | null;
  caseStatus: string | null;
}

export function NpsOrderAnswer({ answer }: { answer: NpsOrderAnswerView | null }) {
  if (!answer) return null;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            NPS answer
          </Text>
          <Link url={answer.caseId ? `/app/nps?case=${answer.caseId}` : "/app/nps"} removeUnderline>
            {answer.caseId ? "Open the case" : "NPS"}
          </Link>
        </InlineStack>
        <InlineStack gap="200" blockAlign="center">
          <ScoreBadge score={answer.score} />
          {answer.caseStatus && <CaseStatusBadge status={answer.caseStatus} />}
          <Text as="span" tone="subdued">
            {answer.respondedAt}
          </Text>
        </InlineStack>
        {answer.comment && (
          <Text as="p" breakWord>
            {answer.comment}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
